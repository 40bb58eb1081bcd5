/**
 * privileged (baseline, v1.0+)
 *
 * Privileged pods disable most security mechanisms and must be disallowed.
 *
 * Restricted fields: spec.{containers,initContainers,ephemeralContainers}[*].securityContext.privileged
 * Allowed values: false, undefined
 */
import { containersPhrase, nameOf } from './helpers.js';
import type { CheckDefinition, CheckPodFn } from './types.js';

const privileged_1_0: CheckPodFn = (_meta, spec, view) => {
  let bad: string[] | undefined;
  for (let i = 0; i < view.containers.length; i++) {
    const c = view.containers[i]!;
    const sc = view.securityContexts[i];
    if (sc !== undefined && sc['privileged'] === true) (bad ??= []).push(nameOf(c));
  }
  if (bad === undefined) return undefined;
  return { reason: 'privileged', detail: `${containersPhrase(bad)} must not set securityContext.privileged=true` };
};

export const checkPrivileged: CheckDefinition = {
  id: 'privileged',
  level: 'baseline',
  title: 'Privileged Containers',
  fields: ['spec.containers[*].securityContext.privileged', 'spec.initContainers[*].securityContext.privileged', 'spec.ephemeralContainers[*].securityContext.privileged'],
  versions: [{ minimumVersion: 0, checkPod: privileged_1_0 }],
};
