/**
 * Every pod-owning kind reduced to its pod template. The one place that knows where a
 * workload keeps its pods: Pod, Deployment, ReplicaSet, ReplicationController,
 * StatefulSet, DaemonSet, Job, CronJob.
 */
import type { KubeObject, ObjectMeta } from '../core/types.js';
import { asRecord } from '../core/records.js';

export const WORKLOAD_KINDS = [
  'Pod',
  'Deployment',
  'ReplicaSet',
  'ReplicationController',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export function isWorkloadKind(kind: string): kind is WorkloadKind {
  return (WORKLOAD_KINDS as readonly string[]).includes(kind);
}

/** A container as the rules see it (the fields kubeward reads; the rest stays in the object). */
export interface Container {
  name: string;
  image?: string;
  imagePullPolicy?: string;
  command?: string[];
  args?: string[];
  ports?: Array<{ name?: string; containerPort: number; protocol?: string; hostPort?: number; hostIP?: string }>;
  env?: Array<{ name: string; value?: string; valueFrom?: Record<string, unknown> }>;
  envFrom?: Array<Record<string, unknown>>;
  resources?: { limits?: Record<string, unknown>; requests?: Record<string, unknown> };
  securityContext?: Record<string, unknown>;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean; subPath?: string }>;
  [key: string]: unknown;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  serviceAccountName?: string;
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: Record<string, unknown>;
  volumes?: Array<Record<string, unknown> & { name: string }>;
  runtimeClassName?: string;
  os?: { name?: string };
  [key: string]: unknown;
}

export interface PodTemplate {
  metadata: ObjectMeta;
  spec: PodSpec;
  /** JSON pointer of the template's `spec` inside the owning object, e.g. `/spec/template/spec`. */
  specPointer: string;
  /** JSON pointer of the template's `metadata` inside the owning object. */
  metadataPointer: string;
}


function normaliseSpec(raw: Record<string, unknown>): PodSpec {
  const spec = raw as PodSpec;
  if (!Array.isArray(spec.containers)) return { ...spec, containers: [] };
  return spec;
}

/**
 * The pod template of a workload object, or undefined for other kinds (or a workload
 * without a template). The template's metadata inherits the object's namespace.
 */
export function podTemplateOf(obj: KubeObject): PodTemplate | undefined {
  const ns = obj.metadata.namespace;
  const withNs = (m: unknown): ObjectMeta => {
    const meta = { ...(asRecord(m) ?? {}) } as ObjectMeta;
    if (ns !== undefined && meta.namespace === undefined) meta.namespace = ns;
    return meta;
  };
  const spec = asRecord(obj['spec']);
  if (!spec) return undefined;
  switch (obj.kind) {
    case 'Pod':
      return { metadata: withNs(obj.metadata), spec: normaliseSpec(spec), specPointer: '/spec', metadataPointer: '/metadata' };
    case 'Deployment':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job': {
      const tpl = asRecord(spec['template']);
      const tspec = tpl && asRecord(tpl['spec']);
      if (!tpl || !tspec) return undefined;
      return {
        metadata: withNs(tpl['metadata']),
        spec: normaliseSpec(tspec),
        specPointer: '/spec/template/spec',
        metadataPointer: '/spec/template/metadata',
      };
    }
    case 'CronJob': {
      const jt = asRecord(spec['jobTemplate']);
      const js = jt && asRecord(jt['spec']);
      const tpl = js && asRecord(js['template']);
      const tspec = tpl && asRecord(tpl['spec']);
      if (!tpl || !tspec) return undefined;
      return {
        metadata: withNs(tpl['metadata']),
        spec: normaliseSpec(tspec),
        specPointer: '/spec/jobTemplate/spec/template/spec',
        metadataPointer: '/spec/jobTemplate/spec/template/metadata',
      };
    }
    default:
      return undefined;
  }
}

/**
 * The template of a v1 PodTemplate object (`template` at its top level). Nothing runs it, so it
 * is no workload, but Pod Security Admission evaluates it as it does controllers' templates.
 */
export function podTemplateObjectTemplate(obj: KubeObject): PodTemplate | undefined {
  if (obj.kind !== 'PodTemplate') return undefined;
  const tpl = asRecord(obj['template']);
  const tspec = tpl && asRecord(tpl['spec']);
  if (!tpl || !tspec) return undefined;
  const metadata = { ...(asRecord(tpl['metadata']) ?? {}) } as ObjectMeta;
  if (metadata.namespace === undefined && obj.metadata?.namespace !== undefined) metadata.namespace = obj.metadata.namespace;
  return { metadata, spec: normaliseSpec(tspec), specPointer: '/template/spec', metadataPointer: '/template/metadata' };
}

/** What Pod Security evaluates in an object: a pod-owning kind's pod template, or a PodTemplate's. */
export function podSecurityTemplateOf(obj: KubeObject): PodTemplate | undefined {
  return obj.kind === 'PodTemplate' ? podTemplateObjectTemplate(obj) : podTemplateOf(obj);
}

export type ContainerGroup = 'containers' | 'initContainers' | 'ephemeralContainers';

/** The pod spec's container lists, in the order allContainers walks them. */
const CONTAINER_GROUPS: readonly ContainerGroup[] = ['initContainers', 'containers', 'ephemeralContainers'];

/** Every container of a pod spec with the group it belongs to and its index there. */
export function allContainers(spec: PodSpec): Array<{ container: Container; group: ContainerGroup; index: number }> {
  const out: Array<{ container: Container; group: ContainerGroup; index: number }> = [];
  for (const group of CONTAINER_GROUPS) {
    const list = spec[group];
    if (!Array.isArray(list)) continue;
    list.forEach((c, index) => {
      // An empty entry (a `-` left empty, read as {}) is no container: the API server rejects it.
      if (c && typeof c === 'object' && Object.keys(c).length > 0) out.push({ container: c, group, index });
    });
  }
  return out;
}

/**
 * Whether a pod runs on Windows, where Linux-only settings (seccomp, AppArmor, capabilities,
 * privilege escalation, read-only root filesystem, UIDs) do not apply: `spec.os.name`, or the
 * `kubernetes.io/os` node selector, or a HostProcess container (Windows only).
 */
export function isWindowsPod(spec: PodSpec): boolean {
  let w = windowsPods.get(spec);
  if (w === undefined) {
    const hostProcess = (sc: unknown): boolean => asRecord(asRecord(sc)?.['windowsOptions'])?.['hostProcess'] === true;
    w =
      spec.os?.name === 'windows' ||
      asRecord(spec['nodeSelector'])?.['kubernetes.io/os'] === 'windows' ||
      hostProcess(spec.securityContext) ||
      allContainers(spec).some(({ container }) => hostProcess(container.securityContext));
    windowsPods.set(spec, w);
  }
  return w;
}

/** isWindowsPod per spec: several rules ask it for every container. */
const windowsPods = new WeakMap<PodSpec, boolean>();

/**
 * A static pod's mirror (`kubernetes.io/config.mirror`): the kubelet runs it from a file on the
 * node; it cannot refer to a ServiceAccount and gets no token (Static Pods: limitations).
 */
/** Whether a pod spec shares any of the node's namespaces (hostNetwork, hostPID, hostIPC). */
export function sharesHostNamespaces(spec: PodSpec): boolean {
  return spec.hostNetwork === true || spec.hostPID === true || spec.hostIPC === true;
}

/** The annotation the kubelet sets on the API mirror of a static pod. */
export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

export function isMirrorPod(obj: KubeObject): boolean {
  return obj.kind === 'Pod' && obj.metadata.annotations?.[MIRROR_ANNOTATION] !== undefined;
}

/** The service account a pod runs as: `serviceAccountName`, the deprecated `serviceAccount`, or `default`. */
export function serviceAccountOf(spec: PodSpec): string {
  return spec.serviceAccountName || spec.serviceAccount || 'default';
}

/** Namespace of an object as the API server would assign it for a namespaced kind (empty → `default`). */
export function namespaceOf(obj: { metadata: ObjectMeta }): string {
  return obj.metadata.namespace || 'default';
}
