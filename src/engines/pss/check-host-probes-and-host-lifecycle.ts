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

/** The non-empty host of a probe's or lifecycle handler's httpGet/tcpSocket, appended to `out`. */
function collectHosts(handler: unknown, out: string[]): void {
  const h = obj(handler);
  if (h === undefined) return;
  const http = obj(h['httpGet'])?.['host'];
  if (typeof http === 'string' && http !== '') out.push(http);
  const tcp = obj(h['tcpSocket'])?.['host'];
  if (typeof tcp === 'string' && tcp !== '') out.push(tcp);
}

const hostProbesAndHostLifecycle_1_34: CheckPodFn = (_meta, _spec, view) => {
  let bad: string[] | undefined;
  let hosts: string[] | undefined;
  for (let i = 0; i < view.containers.length; i++) {
    const c = view.containers[i]!;
    const lc = c['lifecycle'];
    if (c['livenessProbe'] === undefined && c['readinessProbe'] === undefined && c['startupProbe'] === undefined && lc === undefined) continue;
    hosts ??= [];
    const before = hosts.length;
    collectHosts(c['livenessProbe'], hosts);
    collectHosts(c['readinessProbe'], hosts);
    collectHosts(c['startupProbe'], hosts);
    const lifecycle = obj(lc);
    if (lifecycle !== undefined) {
      collectHosts(lifecycle['postStart'], hosts);
      collectHosts(lifecycle['preStop'], hosts);
    }
    if (hosts.length > before) (bad ??= []).push(nameOf(c));
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
