/**
 * capabilities_baseline (baseline, v1.0+)
 *
 * Adding NET_RAW or capabilities beyond the default set must be disallowed.
 *
 * Restricted fields: spec.{containers,initContainers,ephemeralContainers}[*].securityContext.capabilities.add
 * Allowed values: undefined/empty, or values from the default set AUDIT_WRITE, CHOWN, DAC_OVERRIDE,
 * FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT.
 * Replaced by capabilities_restricted at the restricted level from v1.22.
 */
import { arr, containersPhrase, joinQuote, nameOf, obj, sortedUnique } from './helpers.js';
import type { CheckDefinition, CheckPodFn } from './types.js';

export const BASELINE_ALLOWED_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

const capabilitiesBaseline_1_0: CheckPodFn = (_meta, spec, view) => {
  let bad: string[] | undefined;
  let caps: string[] | undefined;
  for (let i = 0; i < view.containers.length; i++) {
    const c = view.containers[i]!;
    const sc = view.securityContexts[i];
    const add = arr(obj(sc?.['capabilities'])?.['add']);
    if (add === undefined) continue;
    let valid = true;
    for (const cap of add) {
      const s = String(cap);
      if (!BASELINE_ALLOWED_CAPABILITIES.has(s)) {
        valid = false;
        (caps ??= []).push(s);
      }
    }
    if (!valid) (bad ??= []).push(nameOf(c));
  }
  if (bad === undefined) return undefined;
  return {
    reason: 'non-default capabilities',
    detail: `${containersPhrase(bad)} must not include ${joinQuote(sortedUnique(caps ?? []))} in securityContext.capabilities.add`,
  };
};

export const checkCapabilitiesBaseline: CheckDefinition = {
  id: 'capabilities_baseline',
  level: 'baseline',
  title: 'Capabilities',
  fields: ['spec.containers[*].securityContext.capabilities.add', 'spec.initContainers[*].securityContext.capabilities.add', 'spec.ephemeralContainers[*].securityContext.capabilities.add'],
  versions: [{ minimumVersion: 0, checkPod: capabilitiesBaseline_1_0 }],
};
