/**
 * windowsHostProcess (baseline, v1.0+)
 *
 * Windows pods offer the ability to run HostProcess containers, which give privileged access
 * to the Windows node; the pod and its containers must not set hostProcess=true.
 *
 * Restricted fields:
 *   spec.securityContext.windowsOptions.hostProcess
 *   spec.{containers,initContainers,ephemeralContainers}[*].securityContext.windowsOptions.hostProcess
 * Allowed values: undefined, false
 */
import { containersPhrase, nameOf, obj } from './helpers.js';
import type { CheckDefinition, CheckPodFn } from './types.js';

function hostProcess(sc: Record<string, unknown> | undefined): boolean {
  return obj(sc?.['windowsOptions'])?.['hostProcess'] === true;
}

const windowsHostProcess_1_0: CheckPodFn = (_meta, spec, view) => {
  let bad: string[] | undefined;
  for (let i = 0; i < view.containers.length; i++) {
    const c = view.containers[i]!;
    const sc = view.securityContexts[i];
    if (hostProcess(sc)) (bad ??= []).push(nameOf(c));
  }
  const pod = hostProcess(view.podSecurityContext);
  if (!pod && bad === undefined) return undefined;
  const setters: string[] = [];
  if (pod) setters.push('pod');
  if (bad !== undefined) setters.push(containersPhrase(bad));
  return { reason: 'hostProcess', detail: `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true` };
};

export const checkWindowsHostProcess: CheckDefinition = {
  id: 'windowsHostProcess',
  level: 'baseline',
  title: 'HostProcess',
  fields: [
    'spec.securityContext.windowsOptions.hostProcess',
    'spec.containers[*].securityContext.windowsOptions.hostProcess',
    'spec.initContainers[*].securityContext.windowsOptions.hostProcess',
    'spec.ephemeralContainers[*].securityContext.windowsOptions.hostProcess',
  ],
  versions: [{ minimumVersion: 0, checkPod: windowsHostProcess_1_0 }],
};
