/**
 * hostProbesAndHostLifecycle (baseline, v1.34+)
 *
 * The host field of probes and lifecycle handlers is restricted: it would let the kubelet
 * connect to arbitrary hosts on the pod's behalf.
 *
 * Restricted fields, for spec.{containers,initContainers,ephemeralContainers}[*]:
 *   {livenessProbe,readinessProbe,startupProbe}.{httpGet,tcpSocket}.host
 *   lifecycle.{postStart,preStop}.{httpGet,tcpSocket}.host
 * Allowed values: "", undefined
 */
import { containersPhrase, joinQuote, nameOf, obj, pluralize, sortedUnique } from './helpers.js';
import type { CheckDefinition, CheckPodFn } from './types.js';

/** Appends the non-empty hosts of a probe or lifecycle handler to `out`; returns whether any was found. */
function badHosts(handler: unknown, out: string[]): boolean {
  const h = obj(handler);
  if (h === undefined) return false;
  let found = false;
  const http = obj(h['httpGet'])?.['host'];
  if (typeof http === 'string' && http !== '') {
    out.push(http);
    found = true;
  }
  const tcp = obj(h['tcpSocket'])?.['host'];
  if (typeof tcp === 'string' && tcp !== '') {
    out.push(tcp);
    found = true;
  }
  return found;
}

const hostProbesAndHostLifecycle_1_34: CheckPodFn = (_meta, spec, view) => {
  let bad: string[] | undefined;
  let hosts: string[] | undefined;
  for (let i = 0; i < view.containers.length; i++) {
    const c = view.containers[i]!;
    const sc = view.securityContexts[i];
    if (c['livenessProbe'] === undefined && c['readinessProbe'] === undefined && c['startupProbe'] === undefined && c['lifecycle'] === undefined) continue;
    const out: string[] = [];
    let found = badHosts(c['livenessProbe'], out);
    found = badHosts(c['readinessProbe'], out) || found;
    found = badHosts(c['startupProbe'], out) || found;
    const lc = obj(c['lifecycle']);
    if (lc !== undefined) {
      found = badHosts(lc['postStart'], out) || found;
      found = badHosts(lc['preStop'], out) || found;
    }
    if (found) {
      (bad ??= []).push(nameOf(c));
      (hosts ??= []).push(...out);
    }
  }
  if (bad === undefined) return undefined;
  const containers = sortedUnique(bad);
  const uniqueHosts = sortedUnique(hosts ?? []);
  return {
    reason: 'probe or lifecycle host',
    detail: `${containersPhrase(containers)} ${pluralize('uses', 'use', containers.length)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', uniqueHosts.length)} ${joinQuote(uniqueHosts)}`,
  };
};

export const checkHostProbesAndHostLifecycle: CheckDefinition = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  title: 'Host Probes / Lifecycle Hooks',
  fields: [
    'spec.containers[*].{livenessProbe,readinessProbe,startupProbe}.{httpGet,tcpSocket}.host',
    'spec.containers[*].lifecycle.{postStart,preStop}.{httpGet,tcpSocket}.host',
    'spec.initContainers[*] (same fields)',
    'spec.ephemeralContainers[*] (same fields)',
  ],
  versions: [{ minimumVersion: 34, checkPod: hostProbesAndHostLifecycle_1_34 }],
};
