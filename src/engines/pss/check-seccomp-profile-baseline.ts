/**
 * seccompProfile_baseline (baseline; annotations v1.0–v1.18, fields from v1.19)
 *
 * If seccomp profiles are specified, only runtime default and localhost profiles are allowed.
 *
 * v1.0 – v1.18, restricted fields:
 *   metadata.annotations['seccomp.security.alpha.kubernetes.io/pod']
 *   metadata.annotations['container.seccomp.security.alpha.kubernetes.io/<container name>']
 *   Allowed values: 'runtime/default', 'docker/default', 'localhost/*', undefined
 * v1.19+, restricted fields:
 *   spec.securityContext.seccompProfile.type
 *   spec.{containers,initContainers,ephemeralContainers}[*].securityContext.seccompProfile.type
 *   Allowed values: 'RuntimeDefault', 'Localhost', undefined
 * Replaced by seccompProfile_restricted at the restricted level from v1.19.
 */
import { containersPhrase, goQuote, joinQuote, nameOf, obj, pluralize, sortedUnique } from './helpers.js';
import type { CheckDefinition, CheckPodFn } from './types.js';

export const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
export const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

function validAnnotationValue(v: string): boolean {
  return v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');
}

/** A seccompProfile object's type: undefined when the object is absent, '' when its type is. */
export function seccompType(sc: Record<string, unknown> | undefined): string | undefined {
  const p = obj(sc?.['seccompProfile']);
  if (p === undefined) return undefined;
  const t = p['type'];
  return typeof t === 'string' ? t : t === undefined || t === null ? '' : String(t);
}

export function validSeccompType(t: string): boolean {
  return t === 'RuntimeDefault' || t === 'Localhost';
}

const seccompProfileBaseline_1_0: CheckPodFn = (meta, spec, view) => {
  const ann = obj(meta.annotations);
  if (ann === undefined) return undefined;
  let forbidden: string[] | undefined;
  const podVal = ann[SECCOMP_POD_ANNOTATION];
  if (podVal !== undefined) {
    const s = String(podVal);
    if (!validAnnotationValue(s)) (forbidden ??= []).push(`${SECCOMP_POD_ANNOTATION}=${goQuote(s)}`);
  }
  for (let i = 0; i < view.containers.length; i++) {
    const c = view.containers[i]!;
    const key = SECCOMP_CONTAINER_ANNOTATION_PREFIX + nameOf(c);
    const v = ann[key];
    if (v === undefined) continue;
    const s = String(v);
    if (!validAnnotationValue(s)) (forbidden ??= []).push(`${key}=${goQuote(s)}`);
  }
  if (forbidden === undefined) return undefined;
  const list = sortedUnique(forbidden);
  return { reason: 'seccompProfile', detail: `forbidden ${pluralize('annotation', 'annotations', list.length)} ${list.join(', ')}` };
};

const seccompProfileBaseline_1_19: CheckPodFn = (_meta, spec, view) => {
  let setters: string[] | undefined;
  let values: string[] | undefined;
  const podType = seccompType(view.podSecurityContext);
  if (podType !== undefined && !validSeccompType(podType)) {
    (setters ??= []).push('pod');
    (values ??= []).push(podType);
  }
  let bad: string[] | undefined;
  for (let i = 0; i < view.containers.length; i++) {
    const c = view.containers[i]!;
    const sc = view.securityContexts[i];
    const t = seccompType(sc);
    if (t !== undefined && !validSeccompType(t)) {
      (bad ??= []).push(nameOf(c));
      (values ??= []).push(t);
    }
  }
  if (bad !== undefined) (setters ??= []).push(containersPhrase(bad));
  if (setters === undefined) return undefined;
  return {
    reason: 'seccompProfile',
    detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedUnique(values ?? []))}`,
  };
};

export const checkSeccompProfileBaseline: CheckDefinition = {
  id: 'seccompProfile_baseline',
  level: 'baseline',
  title: 'Seccomp',
  fields: [
    "metadata.annotations['seccomp.security.alpha.kubernetes.io/pod'] (< v1.19)",
    "metadata.annotations['container.seccomp.security.alpha.kubernetes.io/*'] (< v1.19)",
    'spec.securityContext.seccompProfile.type (v1.19+)',
    'spec.containers[*].securityContext.seccompProfile.type (v1.19+)',
    'spec.initContainers[*].securityContext.seccompProfile.type (v1.19+)',
    'spec.ephemeralContainers[*].securityContext.seccompProfile.type (v1.19+)',
  ],
  versions: [
    { minimumVersion: 0, checkPod: seccompProfileBaseline_1_0 },
    { minimumVersion: 19, checkPod: seccompProfileBaseline_1_19 },
  ],
};
