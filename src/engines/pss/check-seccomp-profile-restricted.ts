/**
 * seccompProfile_restricted (restricted, v1.19+; Windows pods exempt from v1.25; replaces seccompProfile_baseline)
 *
 * A seccomp profile must be set explicitly, and only runtime default and localhost profiles are allowed.
 *
 * Restricted fields:
 *   spec.securityContext.seccompProfile.type
 *   spec.{containers,initContainers,ephemeralContainers}[*].securityContext.seccompProfile.type
 * Allowed values: 'RuntimeDefault', 'Localhost'; container level may be undefined when the pod level is set.
 * From v1.25 a pod with spec.os.name=windows passes.
 */
import { seccompType, validSeccompType } from './check-seccomp-profile-baseline.js';
import { containersPhrase, isWindowsPod, joinQuote, nameOf, sortedUnique } from './helpers.js';
import type { CheckDefinition, CheckPodFn } from './types.js';

const seccompProfileRestricted_1_19: CheckPodFn = (_meta, spec, view) => {
  let setters: string[] | undefined;
  let values: string[] | undefined;
  let podSet = false;
  const podType = seccompType(view.podSecurityContext);
  if (podType !== undefined) {
    if (!validSeccompType(podType)) {
      (setters ??= []).push('pod');
      (values ??= []).push(podType);
    } else {
      podSet = true;
    }
  }
  let explicit: string[] | undefined;
  let implicit: string[] | undefined;
  for (let i = 0; i < view.containers.length; i++) {
    const c = view.containers[i]!;
    const sc = view.securityContexts[i];
    const t = seccompType(sc);
    if (t !== undefined) {
      if (!validSeccompType(t)) {
        (explicit ??= []).push(nameOf(c));
        (values ??= []).push(t);
      }
    } else if (!podSet) {
      (implicit ??= []).push(nameOf(c));
    }
  }
  if (explicit !== undefined) (setters ??= []).push(containersPhrase(explicit));
  if (setters !== undefined) {
    return {
      reason: 'seccompProfile',
      detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedUnique(values ?? []))}`,
    };
  }
  if (implicit !== undefined) {
    return {
      reason: 'seccompProfile',
      detail: `pod or ${containersPhrase(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
    };
  }
  return undefined;
};

const seccompProfileRestricted_1_25: CheckPodFn = (meta, spec, view) => (isWindowsPod(spec) ? undefined : seccompProfileRestricted_1_19(meta, spec, view));

export const checkSeccompProfileRestricted: CheckDefinition = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  title: 'Seccomp',
  fields: [
    'spec.securityContext.seccompProfile.type',
    'spec.containers[*].securityContext.seccompProfile.type',
    'spec.initContainers[*].securityContext.seccompProfile.type',
    'spec.ephemeralContainers[*].securityContext.seccompProfile.type',
  ],
  versions: [
    { minimumVersion: 19, checkPod: seccompProfileRestricted_1_19, overrideCheckIds: ['seccompProfile_baseline'] },
    { minimumVersion: 25, checkPod: seccompProfileRestricted_1_25, overrideCheckIds: ['seccompProfile_baseline'] },
  ],
};
