/**
 * Safe defaults as a JSON Patch. Only adds what is absent; an explicit user value (even an
 * unsafe one) is never changed, so the validating webhook still reports it.
 *
 * What is added (Linux pods; Windows pods get only the fields valid for them):
 * - `spec.securityContext.runAsNonRoot: true`, unless the pod or a container explicitly runs as UID 0;
 * - `spec.securityContext.seccompProfile: {type: RuntimeDefault}`;
 * - per container and init container: `allowPrivilegeEscalation: false` (not on privileged
 *   containers or ones adding CAP_SYS_ADMIN, which the API server would reject) and
 *   `capabilities.drop: [ALL]` (appended when a drop list exists without ALL; `add` is kept);
 * - `automountServiceAccountToken: false` when the workload does not use the API — see
 *   `usesKubernetesApi`;
 * - `runtimeClassName: <sandbox>` in sandbox namespaces when none is set.
 */
import type { JsonPatchOp } from '../core/finding.js';
import type { KubeObject } from '../core/types.js';
import type { PodTemplate } from '../model/workloads.js';
import { PatchBuilder, parsePointer } from './json-patch.js';
import type { CompiledPolicy } from './policy.js';
import { isRecord, ownValue } from '../core/records.js';
import { SECCOMP_POD_ANNOTATION } from '../engines/pss/index.js';

/** Annotation that declares a workload talks to the Kubernetes API (keeps its token). */
export const USES_API_ANNOTATION = 'kubeward.dev/uses-kubernetes-api';


/**
 * Heuristic: a workload uses the Kubernetes API when it runs as a service account other than
 * `default` (someone created an identity for it, presumably with RBAC), when it projects a
 * service-account token itself, or when its pod template or object is annotated
 * `kubeward.dev/uses-kubernetes-api: "true"`. Otherwise the token is dead weight that a
 * compromised container could steal, and mounting it is turned off.
 */
export function usesKubernetesApi(obj: KubeObject, template: PodTemplate): boolean {
  const sa = template.spec.serviceAccountName || template.spec.serviceAccount;
  if (sa && sa !== 'default') return true;
  for (const meta of [template.metadata, obj.metadata]) {
    if (meta.annotations?.[USES_API_ANNOTATION] === 'true') return true;
  }
  for (const v of template.spec.volumes ?? []) {
    const projected = v['projected'];
    if (isRecord(projected) && Array.isArray(projected['sources']) && projected['sources'].some((s) => isRecord(s) && s['serviceAccountToken'] !== undefined)) {
      return true;
    }
  }
  return false;
}

export interface MutationResult {
  patch: JsonPatchOp[];
  /** One short line per default applied, for logs and `admission test`. */
  changes: string[];
}

const SYS_ADMIN = new Set(['SYS_ADMIN', 'CAP_SYS_ADMIN']);

/** Legacy annotation values that a RuntimeDefault field matches (API validation). */
const RUNTIME_DEFAULT_ANNOTATIONS = new Set(['runtime/default', 'docker/default']);

export function mutationPatch(obj: KubeObject, template: PodTemplate, policy: CompiledPolicy, namespace: string): MutationResult {
  const b = new PatchBuilder(obj);
  const changes: string[] = [];
  const spec = parsePointer(template.specPointer);
  const windows = template.spec.os?.name === 'windows';
  const add = (segments: Array<string | number>, value: unknown, what: string): void => {
    if (b.ensure([...spec, ...segments], value)) changes.push(what);
  };

  const containers = (['initContainers', 'containers'] as const).flatMap((group) => {
    const list = template.spec[group];
    return Array.isArray(list) ? list.map((c, index) => ({ c, group, index })) : [];
  });

  // Pod level.
  const podSc = isRecord(template.spec.securityContext) ? template.spec.securityContext : {};
  // Root explicitly: UID 0, or on Windows ContainerAdministrator (which the kubelet refuses
  // to start under runAsNonRoot).
  const explicitRoot = (sc: unknown): boolean => {
    if (!isRecord(sc)) return false;
    const w = sc['windowsOptions'];
    return sc['runAsUser'] === 0 || (isRecord(w) && typeof w['runAsUserName'] === 'string' && w['runAsUserName'].toLowerCase() === 'containeradministrator');
  };
  const runsAsRoot = explicitRoot(podSc) || containers.some(({ c }) => explicitRoot(c.securityContext));
  if (!runsAsRoot) add(['securityContext', 'runAsNonRoot'], true, 'pod runAsNonRoot: true');
  // The API refuses a seccompProfile field that disagrees with the legacy pod annotation.
  const seccompAnnotation = ownValue(template.metadata.annotations ?? {}, SECCOMP_POD_ANNOTATION);
  if (!windows && (seccompAnnotation === undefined || RUNTIME_DEFAULT_ANNOTATIONS.has(seccompAnnotation))) {
    add(['securityContext', 'seccompProfile'], { type: 'RuntimeDefault' }, 'pod seccompProfile: RuntimeDefault');
  }
  if (template.spec.automountServiceAccountToken === undefined && !usesKubernetesApi(obj, template)) {
    add(['automountServiceAccountToken'], false, 'automountServiceAccountToken: false');
  }
  // A workload's own annotation does not reach the pods its controller creates (they are
  // mutated too): it is copied onto the pod template, where they inherit it.
  if (template.metadataPointer !== '/metadata' && obj.metadata.annotations?.[USES_API_ANNOTATION] === 'true' && template.metadata.annotations?.[USES_API_ANNOTATION] === undefined) {
    if (b.ensure([...parsePointer(template.metadataPointer), 'annotations', USES_API_ANNOTATION], 'true')) changes.push(`pod template annotation ${USES_API_ANNOTATION}: "true"`);
  }
  if (policy.sandboxNamespaces.has(namespace)) {
    add(['runtimeClassName'], policy.policy.sandbox.runtimeClassName, `runtimeClassName: ${policy.policy.sandbox.runtimeClassName}`);
  }

  // Containers.
  if (!windows) {
    for (const { c, group, index } of containers) {
      if (!isRecord(c)) continue;
      const sc = isRecord(c.securityContext) ? c.securityContext : {};
      const caps = isRecord(sc['capabilities']) ? sc['capabilities'] : {};
      const added = Array.isArray(caps['add']) ? caps['add'] : [];
      const label = `${group === 'initContainers' ? 'init container' : 'container'} "${String(c.name)}"`;
      if (sc['privileged'] !== true && !added.some((a) => typeof a === 'string' && SYS_ADMIN.has(a))) {
        add([group, index, 'securityContext', 'allowPrivilegeEscalation'], false, `${label} allowPrivilegeEscalation: false`);
      }
      const drop = caps['drop'];
      if (drop === undefined || drop === null) {
        add([group, index, 'securityContext', 'capabilities', 'drop'], ['ALL'], `${label} capabilities.drop: [ALL]`);
      } else if (Array.isArray(drop) && !drop.includes('ALL')) {
        if (b.append([...spec, group, index, 'securityContext', 'capabilities', 'drop'], 'ALL')) changes.push(`${label} capabilities.drop += ALL`);
      }
    }
  }
  return { patch: b.ops, changes };
}
