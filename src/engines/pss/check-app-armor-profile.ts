/**
 * appArmorProfile (baseline, v1.0+)
 *
 * On supported hosts the RuntimeDefault AppArmor profile applies by default; baseline
 * prevents overriding or disabling it, except for localhost profiles.
 *
 * Restricted fields (annotation channel):
 *   metadata.annotations['container.apparmor.security.beta.kubernetes.io/*']
 *   Allowed values: 'runtime/default', 'localhost/*', empty, undefined
 * Restricted fields (field channel, API field since Kubernetes 1.30):
 *   spec.securityContext.appArmorProfile.type
 *   spec.{containers,initContainers,ephemeralContainers}[*].securityContext.appArmorProfile.type
 *   Allowed values: 'RuntimeDefault', 'Localhost', undefined
 *
 * Upstream amended its single v1.0 implementation in place when the fields arrived, so both
 * channels are checked at every policy version.
 */
import { containersPhrase, goQuote, joinQuote, nameOf, obj, pluralize, sortedUnique } from './helpers.js';
import type { CheckDefinition, CheckPodFn } from './types.js';

export const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function allowedAnnotationValue(v: string): boolean {
  return v.length === 0 || v === 'runtime/default' || v.startsWith('localhost/');
}

/** The profile type of an `appArmorProfile` object, or undefined when the object is absent. */
function profileType(sc: Record<string, unknown> | undefined): string | undefined {
  const p = obj(sc?.['appArmorProfile']);
  if (p === undefined) return undefined;
  const t = p['type'];
  return typeof t === 'string' ? t : t === undefined || t === null ? '' : String(t);
}

function allowedType(t: string): boolean {
  return t === 'RuntimeDefault' || t === 'Localhost';
}

const appArmorProfile_1_0: CheckPodFn = (meta, spec, view) => {
  let setters: string[] | undefined;
  let values: string[] | undefined;

  const podType = profileType(view.podSecurityContext);
  if (podType !== undefined && !allowedType(podType)) {
    (setters ??= []).push('pod');
    (values ??= []).push(podType);
  }

  let badContainers: string[] | undefined;
  for (let i = 0; i < view.containers.length; i++) {
    const c = view.containers[i]!;
    const sc = view.securityContexts[i];
    const t = profileType(sc);
    if (t !== undefined && !allowedType(t)) {
      (badContainers ??= []).push(nameOf(c));
      (values ??= []).push(t);
    }
  }
  if (badContainers !== undefined) (setters ??= []).push(containersPhrase(badContainers));

  let annotations: string[] | undefined;
  const ann = obj(meta.annotations);
  if (ann !== undefined) {
    for (const k in ann) {
      if (!k.startsWith(APPARMOR_ANNOTATION_PREFIX)) continue;
      const v = ann[k];
      const s = typeof v === 'string' ? v : String(v);
      if (!allowedAnnotationValue(s)) (annotations ??= []).push(`${k}=${goQuote(s)}`);
    }
  }

  if (setters === undefined && annotations === undefined) return undefined;
  const valueList = sortedUnique(values ?? []);
  if (annotations !== undefined) {
    annotations.sort();
    valueList.push(...annotations);
    (setters ??= []).push(pluralize('annotation', 'annotations', annotations.length));
  }
  return {
    reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', valueList.length),
    detail: `${setters!.join(' and ')} must not set AppArmor profile type to ${joinQuote(valueList)}`,
  };
};

export const checkAppArmorProfile: CheckDefinition = {
  id: 'appArmorProfile',
  level: 'baseline',
  title: 'AppArmor',
  fields: [
    "metadata.annotations['container.apparmor.security.beta.kubernetes.io/*']",
    'spec.securityContext.appArmorProfile.type',
    'spec.containers[*].securityContext.appArmorProfile.type',
    'spec.initContainers[*].securityContext.appArmorProfile.type',
    'spec.ephemeralContainers[*].securityContext.appArmorProfile.type',
  ],
  versions: [{ minimumVersion: 0, checkPod: appArmorProfile_1_0 }],
};
