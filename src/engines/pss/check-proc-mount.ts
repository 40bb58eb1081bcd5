/**
 * procMount (baseline, v1.0+; v1.35 relaxes it for user-namespace pods)
 *
 * The default /proc masks reduce attack surface and are required.
 *
 * Restricted fields: spec.{containers,initContainers,ephemeralContainers}[*].securityContext.procMount
 * Allowed values: undefined, "Default"; from v1.35 any value when spec.hostUsers is false.
 * Replaced by procMount_restricted (the unconditional v1.0 rule) at the restricted level from v1.35.
 */
import { containersPhrase, inUserNamespace, joinQuote, nameOf, sortedUnique } from './helpers.js';
import type { CheckDefinition, CheckPodFn } from './types.js';

/** Unconditionally forbids any procMount other than Default. */
export const procMount_1_0: CheckPodFn = (_meta, spec, view) => {
  let bad: string[] | undefined;
  let types: string[] | undefined;
  for (let i = 0; i < view.containers.length; i++) {
    const c = view.containers[i]!;
    const sc = view.securityContexts[i];
    if (sc === undefined) continue;
    const pm = sc['procMount'];
    if (pm === undefined || pm === null) continue;
    if (pm !== 'Default') {
      (bad ??= []).push(nameOf(c));
      (types ??= []).push(String(pm));
    }
  }
  if (bad === undefined) return undefined;
  return {
    reason: 'procMount',
    detail: `${containersPhrase(bad)} must not set securityContext.procMount to ${joinQuote(sortedUnique(types ?? []))}`,
  };
};

const procMount_1_35_baseline: CheckPodFn = (meta, spec, view) => (inUserNamespace(spec) ? undefined : procMount_1_0(meta, spec, view));

export const checkProcMount: CheckDefinition = {
  id: 'procMount',
  level: 'baseline',
  title: '/proc Mount Type',
  fields: ['spec.containers[*].securityContext.procMount', 'spec.initContainers[*].securityContext.procMount', 'spec.ephemeralContainers[*].securityContext.procMount', 'spec.hostUsers'],
  versions: [
    { minimumVersion: 0, checkPod: procMount_1_0 },
    { minimumVersion: 35, checkPod: procMount_1_35_baseline },
  ],
};
