/**
 * Pod Security Standards engine: evaluates a pod (or any workload's pod template) against a
 * level at a policy version with the semantics of Kubernetes Pod Security Admission.
 * Pure: plain data in, plain data out; never throws on malformed input.
 */
import type { KubeObject, ObjectMeta } from '../../core/types.js';
import { podSecurityTemplateOf } from '../../model/workloads.js';
import type { PodSpec } from '../../model/workloads.js';
import { podView } from './helpers.js';
import { planFor } from './registry.js';
import type { PssFailure, PssLevel, PssResult } from './types.js';

export type { PssCheckId, PssFailure, PssLevel, PssResult, CheckDefinition, VersionedCheck, CheckPodFn, Forbidden, PodView } from './types.js';
export { PSS_CHECK_IDS, PSS_LEVELS } from './types.js';
export { LATEST_PSS_VERSION, PSS_CHECKS, parseLevel, parseVersion, validateRegistry, versionTable, planFor, buildPlan } from './registry.js';
export type { EvaluationPlan, PlannedCheck } from './registry.js';
export { isExempt, namespacePolicy, PSS_LABEL_PREFIX, PSS_MODES } from './namespace-policy.js';
export { SECCOMP_CONTAINER_ANNOTATION_PREFIX, SECCOMP_POD_ANNOTATION } from './check-seccomp-profile-baseline.js';
export type { NamespacePssPolicy, PssExemptions, PssMode, PssModePolicy } from './namespace-policy.js';

const EMPTY_META: ObjectMeta = {};
const EMPTY_SPEC: PodSpec = { containers: [] };

/**
 * Evaluates a pod's metadata and spec. `version` is `latest` or `v1.<minor>`; versions newer
 * than the newest known resolve to it. An invalid level evaluates as restricted and an
 * invalid version as latest (fail closed, as the admission controller does).
 */
export function evaluatePod(metadata: ObjectMeta, spec: PodSpec, level: PssLevel, version: string): PssResult {
  const plan = planFor(level, version);
  const meta = metadata !== null && typeof metadata === 'object' ? metadata : EMPTY_META;
  const podSpec = spec !== null && typeof spec === 'object' ? spec : EMPTY_SPEC;
  const checks = plan.checks;
  if (checks.length === 0) return { allowed: true, level: plan.level, version: plan.version, failures: [] };
  const view = podView(podSpec);
  let failures: PssFailure[] | undefined;
  for (let i = 0; i < checks.length; i++) {
    const c = checks[i]!;
    const r = c.checkPod(meta, podSpec, view);
    if (r !== undefined) (failures ??= []).push({ id: c.id, reason: r.reason, detail: r.detail });
  }
  return { allowed: failures === undefined, level: plan.level, version: plan.version, failures: failures ?? [] };
}

/** Evaluates the pod template of any pod-owning kind or PodTemplate; undefined for other kinds. */
export function evaluateWorkload(obj: KubeObject, level: PssLevel, version: string): PssResult | undefined {
  const tpl = podSecurityTemplateOf(obj);
  if (tpl === undefined) return undefined;
  return evaluatePod(tpl.metadata, tpl.spec, level, version);
}

/** Upstream's one-line summary: `reason1 (detail1), reason2 (detail2)`. */
export function formatFailures(failures: readonly PssFailure[]): string {
  return failures.map((f) => (f.detail ? `${f.reason} (${f.detail})` : f.reason)).join(', ');
}
