/**
 * runAsUser (restricted, v1.23+; user-namespace pods exempt from v1.35)
 *
 * Containers must not set runAsUser to 0.
 *
 * Restricted fields:
 *   spec.securityContext.runAsUser
 *   spec.{containers,initContainers,ephemeralContainers}[*].securityContext.runAsUser
 * Allowed values: any non-zero value, undefined
 * From v1.35 a pod with spec.hostUsers=false passes.
 */
import { containersPhrase, inUserNamespace, nameOf } from './helpers.js';
import type { CheckDefinition, CheckPodFn } from './types.js';

const runAsUser_1_23: CheckPodFn = (_meta, spec, view) => {
  let setters: string[] | undefined;
  if (view.podSecurityContext?.['runAsUser'] === 0) (setters ??= []).push('pod');
  let bad: string[] | undefined;
  for (let i = 0; i < view.containers.length; i++) {
    const c = view.containers[i]!;
    const sc = view.securityContexts[i];
    if (sc?.['runAsUser'] === 0) (bad ??= []).push(nameOf(c));
  }
  if (bad !== undefined) (setters ??= []).push(containersPhrase(bad));
  if (setters === undefined) return undefined;
  return { reason: 'runAsUser=0', detail: `${setters.join(' and ')} must not set runAsUser=0` };
};

const runAsUser_1_35: CheckPodFn = (meta, spec, view) => (inUserNamespace(spec) ? undefined : runAsUser_1_23(meta, spec, view));

export const checkRunAsUser: CheckDefinition = {
  id: 'runAsUser',
  level: 'restricted',
  title: 'Running as Non-root user',
  fields: [
    'spec.securityContext.runAsUser',
    'spec.containers[*].securityContext.runAsUser',
    'spec.initContainers[*].securityContext.runAsUser',
    'spec.ephemeralContainers[*].securityContext.runAsUser',
    'spec.hostUsers (v1.35+)',
  ],
  versions: [
    { minimumVersion: 23, checkPod: runAsUser_1_23 },
    { minimumVersion: 35, checkPod: runAsUser_1_35 },
  ],
};
