/**
 * allowPrivilegeEscalation (restricted, v1.8+; Windows pods exempt from v1.25)
 *
 * Privilege escalation (such as via set-user-ID or set-group-ID file mode) must not be allowed.
 *
 * Restricted fields: spec.{containers,initContainers,ephemeralContainers}[*].securityContext.allowPrivilegeEscalation
 * Allowed values: false
 * From v1.25 a pod with spec.os.name=windows passes (the field does not exist on Windows).
 */
import { containersPhrase, isWindowsPod, nameOf } from './helpers.js';
import type { CheckDefinition, CheckPodFn } from './types.js';

const allowPrivilegeEscalation_1_8: CheckPodFn = (_meta, spec, view) => {
  let bad: string[] | undefined;
  for (let i = 0; i < view.containers.length; i++) {
    const c = view.containers[i]!;
    const sc = view.securityContexts[i];
    if (sc?.['allowPrivilegeEscalation'] !== false) (bad ??= []).push(nameOf(c));
  }
  if (bad === undefined) return undefined;
  return {
    reason: 'allowPrivilegeEscalation != false',
    detail: `${containersPhrase(bad)} must set securityContext.allowPrivilegeEscalation=false`,
  };
};

const allowPrivilegeEscalation_1_25: CheckPodFn = (meta, spec, view) => (isWindowsPod(spec) ? undefined : allowPrivilegeEscalation_1_8(meta, spec, view));

export const checkAllowPrivilegeEscalation: CheckDefinition = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  title: 'Privilege Escalation',
  fields: [
    'spec.containers[*].securityContext.allowPrivilegeEscalation',
    'spec.initContainers[*].securityContext.allowPrivilegeEscalation',
    'spec.ephemeralContainers[*].securityContext.allowPrivilegeEscalation',
  ],
  versions: [
    { minimumVersion: 8, checkPod: allowPrivilegeEscalation_1_8 },
    { minimumVersion: 25, checkPod: allowPrivilegeEscalation_1_25 },
  ],
};
