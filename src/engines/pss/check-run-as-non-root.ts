/**
 * runAsNonRoot (restricted, v1.0+; user-namespace pods exempt from v1.35)
 *
 * Containers must run as non-root users.
 *
 * Restricted fields:
 *   spec.securityContext.runAsNonRoot
 *   spec.{containers,initContainers,ephemeralContainers}[*].securityContext.runAsNonRoot
 * Allowed values: true; undefined at container level when the pod level is true.
 * From v1.35 a pod with spec.hostUsers=false passes.
 */
import { containersPhrase, inUserNamespace, nameOf } from './helpers.js';
import type { CheckDefinition, CheckPodFn } from './types.js';

const runAsNonRoot_1_0: CheckPodFn = (_meta, spec, view) => {
  let setters: string[] | undefined;
  let podRunAsNonRoot = false;
  const podValue = view.podSecurityContext?.['runAsNonRoot'];
  if (podValue !== undefined && podValue !== null) {
    if (podValue !== true) (setters ??= []).push('pod');
    else podRunAsNonRoot = true;
  }
  let explicit: string[] | undefined;
  let implicit: string[] | undefined;
  for (let i = 0; i < view.containers.length; i++) {
    const c = view.containers[i]!;
    const sc = view.securityContexts[i];
    const v = sc?.['runAsNonRoot'];
    if (v !== undefined && v !== null) {
      if (v !== true) (explicit ??= []).push(nameOf(c));
    } else if (!podRunAsNonRoot) {
      (implicit ??= []).push(nameOf(c));
    }
  }
  if (explicit !== undefined) (setters ??= []).push(containersPhrase(explicit));
  if (setters !== undefined) {
    return { reason: 'runAsNonRoot != true', detail: `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false` };
  }
  if (implicit !== undefined) {
    return { reason: 'runAsNonRoot != true', detail: `pod or ${containersPhrase(implicit)} must set securityContext.runAsNonRoot=true` };
  }
  return undefined;
};

const runAsNonRoot_1_35: CheckPodFn = (meta, spec, view) => (inUserNamespace(spec) ? undefined : runAsNonRoot_1_0(meta, spec, view));

export const checkRunAsNonRoot: CheckDefinition = {
  id: 'runAsNonRoot',
  level: 'restricted',
  title: 'Running as Non-root',
  fields: [
    'spec.securityContext.runAsNonRoot',
    'spec.containers[*].securityContext.runAsNonRoot',
    'spec.initContainers[*].securityContext.runAsNonRoot',
    'spec.ephemeralContainers[*].securityContext.runAsNonRoot',
    'spec.hostUsers (v1.35+)',
  ],
  versions: [
    { minimumVersion: 0, checkPod: runAsNonRoot_1_0 },
    { minimumVersion: 35, checkPod: runAsNonRoot_1_35 },
  ],
};
