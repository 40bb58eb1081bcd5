/**
 * Types of the Pod Security Standards engine. Plain data only.
 */
import type { ObjectMeta } from '../../core/types.js';
import type { PodSpec } from '../../model/workloads.js';

export const PSS_LEVELS = ['privileged', 'baseline', 'restricted'] as const;
export type PssLevel = (typeof PSS_LEVELS)[number];

/** Upstream check ids (k8s.io/pod-security-admission `policy/check_*.go`). */
export const PSS_CHECK_IDS = [
  'allowPrivilegeEscalation',
  'appArmorProfile',
  'capabilities_baseline',
  'capabilities_restricted',
  'hostNamespaces',
  'hostPathVolumes',
  'hostPorts',
  'hostProbesAndHostLifecycle',
  'privileged',
  'procMount',
  'procMount_restricted',
  'restrictedVolumes',
  'runAsNonRoot',
  'runAsUser',
  'seLinuxOptions',
  'seccompProfile_baseline',
  'seccompProfile_restricted',
  'sysctls',
  'windowsHostProcess',
] as const;
export type PssCheckId = (typeof PSS_CHECK_IDS)[number];

/** Why a check denied a pod: upstream's short reason and a detail naming containers, fields and values. */
export interface PssFailure {
  id: string;
  reason: string;
  detail: string;
}

export interface PssResult {
  allowed: boolean;
  level: PssLevel;
  /** The policy version actually evaluated, e.g. `v1.34` (`latest` and newer versions resolve to the newest known). */
  version: string;
  failures: PssFailure[];
}

/** What a check returns when it denies; `undefined` means allowed. */
export interface Forbidden {
  reason: string;
  detail: string;
}

/**
 * What every check may read besides metadata and spec, computed once per evaluation:
 * the pod's container objects in upstream's visiting order (init containers, containers,
 * ephemeral containers), non-objects dropped.
 */
export interface PodView {
  containers: ReadonlyArray<Record<string, unknown>>;
  /** `securityContexts[i]` is `containers[i].securityContext` when it is an object. */
  securityContexts: ReadonlyArray<Record<string, unknown> | undefined>;
  /** `spec.securityContext` when it is an object. */
  podSecurityContext: Record<string, unknown> | undefined;
}

/** One implementation of a check, valid from `minimumVersion` (a v1 minor) until the next entry. */
export type CheckPodFn = (metadata: ObjectMeta, spec: PodSpec, view: PodView) => Forbidden | undefined;

export interface VersionedCheck {
  /** Minor version of policy `v1.<minor>` from which this implementation applies. */
  minimumVersion: number;
  checkPod: CheckPodFn;
  /** Baseline checks this (restricted) implementation replaces while it applies. */
  overrideCheckIds?: readonly PssCheckId[];
}

export interface CheckDefinition {
  id: PssCheckId;
  level: 'baseline' | 'restricted';
  /** The Pod Security Standards control this check implements. */
  title: string;
  /** Fields the check reads, as upstream's spec lists them. */
  fields: readonly string[];
  /** Ascending by `minimumVersion`; appended to, never edited in place. */
  versions: readonly VersionedCheck[];
}
