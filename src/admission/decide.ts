/**
 * The decision: an AdmissionRequest plus the current policy and namespace labels in, a
 * Verdict out. Synchronous and allocation-light, because it sits in the path of every
 * pod-creating API request. No I/O, no logging: the server does both around it.
 *
 * Pod Security semantics follow Pod Security Admission: the namespace's
 * `pod-security.kubernetes.io/{enforce,warn,audit}[-version]` labels (or the policy's static
 * map, or its defaults) give a level per mode; `enforce` denies, `warn` returns warnings,
 * `audit` adds audit annotations; exempt namespaces, users, groups and RuntimeClasses are
 * allowed outright; updates that leave the pod template unchanged are not re-evaluated.
 * Where PSA only warns for workload kinds (Deployment, Job, …), kubeward applies the
 * `workloads` mode of the policy (`enforce` by default), so a bad Deployment is rejected at
 * creation rather than its pods failing later.
 */
import { BoundedCache } from '../core/bounded-cache.js';
import { asRecord, ownValue } from '../core/records.js';
import type { KubeObject, ObjectMeta } from '../core/types.js';
import { evaluatePod, formatFailures, namespacePolicy, PSS_LABEL_PREFIX, SECCOMP_CONTAINER_ANNOTATION_PREFIX, SECCOMP_POD_ANNOTATION } from '../engines/pss/index.js';
import { imagePolicyVerdict, type VerdictCache } from '../images/verdict-cache.js';
import { allContainers, podSecurityTemplateOf, type ContainerGroup, type PodSpec, type PodTemplate } from '../model/workloads.js';
import { runChecks, type AdmissionCheck, type Violation } from './checks-runner.js';
import { mutationPatch } from './mutate.js';
import type { NamespaceSource } from './namespace-watch.js';
import type { AdmissionRuleId, CompiledPolicy, Level, LevelSetting, Mode } from './policy.js';
import { forbidden, type AdmissionRequest, type Status, type Verdict } from './review.js';


export interface PssFailure {
  id: string;
  reason: string;
  detail: string;
}

/** The part of the Pod Security Standards engine the webhook uses. */
export interface PssEvaluator {
  evaluatePod(metadata: ObjectMeta, spec: PodSpec, level: Level, version: string): { allowed: boolean; failures: readonly PssFailure[] };
}

/** The Pod Security Standards engine, as the webhook calls it. */
export const PSS_ENGINE: PssEvaluator = { evaluatePod };

export interface DecideDeps {
  /** Defaults to the kubeward PSS engine. */
  pss?: PssEvaluator;
  namespaces: NamespaceSource;
  /** Replacements for the built-in kubeward checks, by rule id. */
  checks?: Partial<Record<AdmissionRuleId, AdmissionCheck>>;
  /** Image verdicts by digest, for the policy's `images` section (without it, that section is inert). */
  images?: VerdictCache;
}

/** A cache view that asks for no background scan: dry-run requests have no side effects. */
function withoutScans(cache: VerdictCache): VerdictCache {
  return { get: (d) => cache.get(d), put: () => undefined, requestScan: () => undefined };
}

export interface LevelVersion {
  level: Level;
  version: string;
}

export interface NamespaceLevels {
  enforce: LevelVersion;
  warn: LevelVersion;
  audit: LevelVersion;
  /** Where the levels came from, for audit annotations and `admission test`. */
  source: 'policy' | 'labels' | 'default';
  /** Invalid label values (enforce fails closed to restricted, warn and audit open, as PSA does). */
  errors: string[];
}

function defaultsOf(s: LevelSetting): Partial<Record<Mode, LevelVersion>> {
  return { [s.mode]: { level: s.level, version: s.version } };
}

/**
 * Levels for a namespace: the policy's static entry if any, else the namespace's Pod
 * Security labels read exactly as Pod Security Admission reads them (modes without a label
 * take the policy default), else the policy defaults.
 */
export function namespaceLevels(namespace: string, policy: CompiledPolicy, labels: Readonly<Record<string, string>> | undefined): NamespaceLevels {
  const entry = ownValue(policy.policy.namespaces, namespace);
  if (entry) return { ...namespacePolicy(undefined, defaultsOf(entry)), source: 'policy' };
  const p = namespacePolicy(labels as Record<string, string> | undefined, defaultsOf(policy.policy.defaults));
  return { ...p, source: labels && Object.keys(labels).some((k) => k.startsWith(PSS_LABEL_PREFIX)) ? 'labels' : 'default' };
}

/**
 * Memoised `namespaceLevels`: label maps from a NamespaceSource are replaced, never
 * mutated, when a namespace changes, so (policy, namespace, labels object) identifies a result.
 */
const levelCache = new WeakMap<CompiledPolicy, BoundedCache<string, { labels: object | undefined; levels: NamespaceLevels }>>();
function cachedNamespaceLevels(namespace: string, policy: CompiledPolicy, labels: Readonly<Record<string, string>> | undefined): NamespaceLevels {
  let byNs = levelCache.get(policy);
  if (!byNs) {
    byNs = new BoundedCache(10_000);
    levelCache.set(policy, byNs);
  }
  const hit = byNs.get(namespace);
  if (hit && hit.labels === labels) return hit.levels;
  return byNs.set(namespace, { labels, levels: namespaceLevels(namespace, policy, labels) }).levels;
}

function policyName(lv: LevelVersion): string {
  return `${lv.level}:${lv.version}`;
}


/** A verdict that allows without comment. */
const ALLOW: Verdict = Object.freeze({ allowed: true }) as Verdict;

/** PSA's answer for a pod in a namespace privileged in every mode. */
const PRIVILEGED_POD: Verdict = Object.freeze({ allowed: true, auditAnnotations: Object.freeze({ 'enforce-policy': 'privileged:latest' }) }) as Verdict;

/** PSA's audit annotation key for violations of the namespace's audit level. */
const AUDIT_VIOLATIONS = 'audit-violations';

/** API group of each pod-owning kind (a custom resource that reuses a name is not ours). */
const WORKLOAD_GROUPS: Record<string, string> = {
  Pod: '',
  ReplicationController: '',
  Deployment: 'apps',
  ReplicaSet: 'apps',
  StatefulSet: 'apps',
  DaemonSet: 'apps',
  Job: 'batch',
  CronJob: 'batch',
  PodTemplate: '',
};

interface Subject {
  template: PodTemplate;
  namespace: string;
}

/** The pod template of an admitted object of `kind` (the request's kind, which the object must carry). */
function templateOf(obj: KubeObject, kind: string): PodTemplate | undefined {
  return podSecurityTemplateOf(obj.kind === kind ? obj : { ...obj, kind });
}

/** What a request is about, or undefined when the webhook has no opinion on it. */
function subjectOf(req: AdmissionRequest): Subject | undefined {
  if (req.operation !== 'CREATE' && req.operation !== 'UPDATE') return undefined;
  // As Pod Security Admission: a pod subresource that carries a Pod (ephemeralcontainers,
  // resize, and any it does not know, to fail safe) is evaluated; controllers' are not.
  if (req.subResource && (req.resource?.resource !== 'pods' || IGNORED_POD_SUBRESOURCES.has(req.subResource))) return undefined;
  const obj = req.object;
  if (!obj || typeof obj !== 'object' || !Object.hasOwn(WORKLOAD_GROUPS, req.kind.kind) || WORKLOAD_GROUPS[req.kind.kind] !== req.kind.group) return undefined;
  if (typeof obj.metadata !== 'object' || obj.metadata === null) obj.metadata = {};
  const template = templateOf(obj, req.kind.kind);
  if (!template) return undefined;
  const namespace = req.namespace || obj.metadata.namespace || 'default';
  return { template, namespace };
}

/** Exemptions by the request (namespace, user, group): PSA checks these before anything else. */
function requestExemption(req: AdmissionRequest, subject: Subject, policy: CompiledPolicy): string | undefined {
  if (policy.exemptNamespaces.has(subject.namespace)) return 'namespace';
  const user = req.userInfo.username;
  if (user !== undefined && policy.exemptUsernames.has(user)) return 'user';
  if (req.userInfo.groups?.some((g) => policy.exemptGroups.has(g))) return 'group';
  return undefined;
}

/** The RuntimeClass exemption: PSA checks it last, when the pod is about to be evaluated. */
function runtimeClassExempt(subject: Subject, policy: CompiledPolicy): boolean {
  const rc = subject.template.spec.runtimeClassName;
  return typeof rc === 'string' && policy.exemptRuntimeClasses.has(rc);
}

function exemption(req: AdmissionRequest, subject: Subject, policy: CompiledPolicy): string | undefined {
  return requestExemption(req, subject, policy) ?? (runtimeClassExempt(subject, policy) ? 'runtimeClass' : undefined);
}

/** Go's `errs.ToAggregate().Error()`: one error as it is, several in brackets. */
function aggregate(errors: readonly string[]): string {
  return errors.length === 1 ? (errors[0] as string) : `[${errors.join(', ')}]`;
}

/** Pod subresources Pod Security Admission never evaluates. */
const IGNORED_POD_SUBRESOURCES = new Set(['exec', 'attach', 'binding', 'eviction', 'log', 'portforward', 'proxy', 'status']);


const SECURITY_ANNOTATION = /^(seccomp\.security\.alpha\.kubernetes\.io\/|container\.seccomp\.security\.alpha\.kubernetes\.io\/|container\.apparmor\.security\.beta\.kubernetes\.io\/)/;

function securityAnnotations(meta: ObjectMeta): string {
  const a = meta.annotations;
  if (!a) return '';
  return Object.keys(a)
    .filter((k) => SECURITY_ANNOTATION.test(k))
    .sort()
    .map((k) => `${k}=${a[k]}`)
    .join('\n');
}

/** One container list of a pod spec, entries that are not objects read as empty ones. */
function containerList(spec: PodSpec, group: ContainerGroup): Array<Record<string, unknown>> {
  const list: unknown = spec[group];
  return Array.isArray(list) ? list.map((c) => asRecord(c) ?? {}) : [];
}

/** Go's view of a missing string: the empty string. */
function str(v: unknown): unknown {
  return v ?? '';
}

/** A container update that PSA evaluates: a new image, or a new seccomp annotation for it. */
function significantContainerUpdate(c: Record<string, unknown>, old: Record<string, unknown>, annotations: Record<string, string>, oldAnnotations: Record<string, string>): boolean {
  if (str(c['image']) !== str(old['image'])) return true;
  const key = `${SECCOMP_CONTAINER_ANNOTATION_PREFIX}${String(c['name'] ?? '')}`;
  return str(annotations[key]) !== str(oldAnnotations[key]);
}

/**
 * Whether a pod UPDATE is evaluated, exactly as Pod Security Admission decides: a running
 * pod's spec is immutable but for images (and a few fields no check reads), so only a new
 * image, a changed seccomp annotation, a changed number of containers or a new or changed
 * ephemeral container counts. Anything else (labels, tolerations, deadlines) is allowed
 * even where the namespace's level was tightened after the pod started.
 */
function significantPodUpdate(pod: PodTemplate, old: PodTemplate): boolean {
  const a = pod.metadata.annotations ?? {};
  const oa = old.metadata.annotations ?? {};
  if (str(a[SECCOMP_POD_ANNOTATION]) !== str(oa[SECCOMP_POD_ANNOTATION])) return true;
  for (const field of ['containers', 'initContainers'] as const) {
    const now = containerList(pod.spec, field);
    const before = containerList(old.spec, field);
    if (now.length !== before.length) return true;
    for (let i = 0; i < now.length; i++) if (significantContainerUpdate(now[i] ?? {}, before[i] ?? {}, a, oa)) return true;
  }
  const before = containerList(old.spec, 'ephemeralContainers');
  for (const c of containerList(pod.spec, 'ephemeralContainers')) {
    const prev = before.find((o) => o['name'] === c['name']);
    if (!prev || significantContainerUpdate(c, prev, a, oa)) return true;
  }
  return false;
}

/**
 * An UPDATE that is not evaluated. Pods: PSA's rule (significantPodUpdate). Controllers: one
 * that leaves the pod template (spec and security annotations) as it was — scaling,
 * relabelling, rollout annotations — so that an existing workload admitted under an older
 * policy can still be scaled (PSA re-checks controllers on every update, but only warns).
 */
function unevaluatedUpdate(req: AdmissionRequest, subject: Subject): boolean {
  if (req.operation !== 'UPDATE' || !req.oldObject) return false;
  const old = templateOf(req.oldObject, req.kind.kind);
  if (!old) return false;
  if (req.kind.kind === 'Pod') return !significantPodUpdate(subject.template, old);
  return JSON.stringify(old.spec) === JSON.stringify(subject.template.spec) && securityAnnotations(old.metadata) === securityAnnotations(subject.template.metadata);
}

function namespaceLabelErrors(o: KubeObject | null | undefined): string[] {
  const labels = o?.metadata?.labels;
  return labels && typeof labels === 'object' ? namespacePolicy(labels).errors : [];
}

/**
 * The API server's 422 for an invalid Namespace (apierrors.NewInvalid): the message, and a
 * cause per invalid label with its field and Go's error body.
 */
function invalidNamespace(name: string, errors: readonly string[]): Status {
  const causes = errors.map((e) => {
    const cut = e.indexOf(']: ');
    return cut < 0 ? { reason: 'FieldValueInvalid', message: e, field: '' } : { reason: 'FieldValueInvalid', message: e.slice(cut + 3), field: e.slice(0, cut + 1) };
  });
  return { status: 'Failure', code: 422, reason: 'Invalid', message: `Namespace ${JSON.stringify(name)} is invalid: ${aggregate(errors)}`, details: { name, kind: 'Namespace', causes } };
}

/**
 * Namespaces, as Pod Security Admission validates them: Pod Security labels with invalid
 * values are refused on CREATE, and on UPDATE unless the same invalid labels were already
 * there (status 422 Invalid, in the API server's wording for invalid objects).
 */
function validateNamespace(req: AdmissionRequest): Verdict {
  if (req.subResource || (req.operation !== 'CREATE' && req.operation !== 'UPDATE')) return ALLOW;
  const errors = namespaceLabelErrors(req.object);
  if (errors.length === 0) return ALLOW;
  if (req.operation === 'UPDATE' && req.oldObject) {
    const before = namespaceLabelErrors(req.oldObject);
    if (before.length > 0 && before.join('\n') === errors.join('\n')) return ALLOW;
  }
  const name = req.name ?? req.object?.metadata?.name ?? '';
  return { allowed: false, status: invalidNamespace(name, errors) };
}

/** Longest warning kubeward writes for one rule: the API server passes on about 4 KiB of warnings per request. */
const RULE_WARNING_CHARS = 512;

/** One warning per rule (a 60-container pod is one warning, not 60), cut to RULE_WARNING_CHARS. */
function ruleWarning(ruleId: string, messages: readonly string[]): string {
  let text = `kubeward rule ${ruleId}: ${messages[0] ?? ''}`;
  for (let i = 1; i < messages.length; i++) {
    const next = `${text}; ${messages[i] ?? ''}`;
    if (next.length > RULE_WARNING_CHARS) return `${text}; … and ${messages.length - i} more`;
    text = next;
  }
  return text;
}

/** The validating decision. */
export function validate(req: AdmissionRequest, policy: CompiledPolicy, deps: DecideDeps): Verdict {
  if (req.kind.kind === 'Namespace' && req.kind.group === '') return validateNamespace(req);
  const subject = subjectOf(req);
  if (!subject) return ALLOW;
  // The order is Pod Security Admission's: exempt namespace or user, a namespace privileged
  // in every mode, an update it does not evaluate, then the RuntimeClass exemption.
  const exempt = requestExemption(req, subject, policy);
  if (exempt) return { allowed: true, auditAnnotations: { exempt } };
  const { template, namespace } = subject;
  const levels = cachedNamespaceLevels(namespace, policy, deps.namespaces.labels(namespace));
  const isPod = req.kind.kind === 'Pod';
  const workloadMode: Mode = isPod ? 'enforce' : policy.policy.workloads;
  // `workloads: warn` is PSA's handling of controllers: the warn and audit levels apply, the
  // enforce level does not (PSA enforces it on the pods), and every update is evaluated.
  const asPsaController = !isPod && workloadMode === 'warn';
  const clean = levels.errors.length === 0;
  const nothingToCheck = clean && levels.warn.level === 'privileged' && levels.audit.level === 'privileged' && levels.enforce.level === 'privileged';
  // PSA records privileged:latest for pods in a namespace privileged in every mode; for
  // controllers it records nothing.
  const privilegedAnswer: Verdict = isPod ? PRIVILEGED_POD : ALLOW;
  const unchanged = unevaluatedUpdate(req, subject);
  if (unchanged && !asPsaController) return nothingToCheck ? privilegedAnswer : ALLOW;
  if (runtimeClassExempt(subject, policy)) return nothingToCheck ? privilegedAnswer : { allowed: true, auditAnnotations: { exempt: 'runtimeClass' } };

  const denials: string[] = [];
  const warnings: string[] = [];
  const audit: Record<string, string> = {};
  if (!clean) audit['error'] = `Failed to parse policy: ${aggregate(levels.errors)}`;

  // Pod Security Standards, once per distinct level:version among the modes.
  const cache = new Map<string, readonly PssFailure[]>();
  const evaluate = (lv: LevelVersion): readonly PssFailure[] => {
    if (lv.level === 'privileged') return [];
    const key = policyName(lv);
    let f = cache.get(key);
    if (!f) {
      f = (deps.pss ?? PSS_ENGINE).evaluatePod(template.metadata, template.spec, lv.level, lv.version).failures;
      cache.set(key, f);
    }
    return f;
  };
  if (!asPsaController) {
    const enforceFailures = evaluate(levels.enforce);
    if (enforceFailures.length > 0) {
      const text = `PodSecurity "${policyName(levels.enforce)}": ${formatFailures(enforceFailures)}`;
      if (workloadMode === 'enforce') denials.push(`violates ${text}`);
      else audit[AUDIT_VIOLATIONS] = `would violate ${text}`;
    }
    // As PSA: the enforced policy is recorded wherever it is enforced (pods; here also
    // workloads in enforce mode, when their level enforces anything); a namespace
    // privileged in every mode reads privileged:latest.
    if (workloadMode === 'enforce' && (isPod || levels.enforce.level !== 'privileged')) {
      audit['enforce-policy'] = nothingToCheck ? 'privileged:latest' : policyName(levels.enforce);
    }
  }
  // The PSS warn-level warning goes here, once no check has denied the request (below).
  const pssWarningAt = warnings.length;
  // A namespace labelled only `enforce: X` warns at X under PSA (the labels' defaulting); a
  // level from the policy file or its default reads the same way for PSA-style workloads.
  const warnLevel = asPsaController && levels.source !== 'labels' && levels.warn.level === 'privileged' ? levels.enforce : levels.warn;
  const auditFailures = evaluate(levels.audit);
  if (auditFailures.length > 0) audit[AUDIT_VIOLATIONS] = `would violate PodSecurity "${policyName(levels.audit)}": ${formatFailures(auditFailures)}`;

  // kubeward rules and images (not on an update that leaves the pod template as it was).
  if (!unchanged) {
    const violations: Violation[] = runChecks(req.object!, { policy, namespace, template }, policy.activeRules, deps.checks);
    const auditRules: string[] = [];
    const ruleWarnings = new Map<string, string[]>();
    for (const v of violations) {
      const mode = policy.policy.rules[v.ruleId as AdmissionRuleId] ?? 'warn';
      const text = `kubeward rule ${v.ruleId}: ${v.message}`;
      if (mode === 'enforce') denials.push(`violates ${text}`);
      else if (mode === 'warn') {
        const messages = ruleWarnings.get(v.ruleId);
        if (messages) messages.push(v.message);
        else ruleWarnings.set(v.ruleId, [v.message]);
      }
      else if (mode === 'audit') auditRules.push(text);
    }
    for (const [ruleId, messages] of ruleWarnings) warnings.push(ruleWarning(ruleId, messages));
    if (auditRules.length > 0) audit['rule-audit-violations'] = auditRules.join('; ');

    // Known vulnerabilities, from the verdict cache only.
    const imagePolicy = policy.policy.images;
    if (imagePolicy.mode !== 'off' && deps.images) {
      const cache = req.dryRun === true ? withoutScans(deps.images) : deps.images;
      const auditImages: string[] = [];
      const refs = new Set<string>();
      for (const { container } of allContainers(template.spec)) if (typeof container.image === 'string') refs.add(container.image);
      for (const ref of refs) {
        const d = imagePolicyVerdict(cache, ref, { failOn: imagePolicy.failOn, requireFix: imagePolicy.requireFix, unknown: imagePolicy.unknown, action: 'deny' });
        if (d.decision === 'allow') continue;
        const text = `image policy: ${d.message}`;
        if (imagePolicy.mode === 'audit') auditImages.push(text);
        else if (d.decision === 'deny' && imagePolicy.mode === 'enforce') denials.push(`violates ${text}`);
        else warnings.push(text);
      }
      if (auditImages.length > 0) audit['image-audit-violations'] = auditImages.join('; ');
    }
  }

  // As PSA does, no PSS warning on a request that is denied anyway (by any check).
  const warnFailures = denials.length === 0 ? evaluate(warnLevel) : [];
  if (warnFailures.length > 0) warnings.splice(pssWarningAt, 0, `would violate PodSecurity "${policyName(warnLevel)}": ${formatFailures(warnFailures)}`);

  const verdict: Verdict = { allowed: denials.length === 0 };
  if (denials.length > 0) verdict.status = forbidden(req, denials.join('; '));
  if (warnings.length > 0) verdict.warnings = [...new Set(warnings)];
  if (Object.keys(audit).length > 0) verdict.auditAnnotations = audit;
  return verdict;
}

/** True when mutation is switched on for this namespace (globally or by name). */
export function mutationEnabled(policy: CompiledPolicy, namespace: string): boolean {
  return policy.policy.mutation.enabled || policy.mutateNamespaces.has(namespace);
}

/**
 * The mutating decision: always allows (denying is the validating webhook's job, which runs
 * after all mutations), with a patch of safe defaults where mutation is enabled. Pods are
 * patched on CREATE only, since a running pod's spec is immutable.
 */
export function mutate(req: AdmissionRequest, policy: CompiledPolicy): Verdict {
  const subject = subjectOf(req);
  if (!subject || req.subResource) return ALLOW;
  if (req.operation === 'UPDATE' && req.kind.kind === 'Pod') return ALLOW;
  if (!mutationEnabled(policy, subject.namespace)) return ALLOW;
  if (exemption(req, subject, policy)) return ALLOW;
  if (unevaluatedUpdate(req, subject)) return ALLOW;
  const { patch, changes } = mutationPatch(req.object!, subject.template, policy, subject.namespace);
  if (patch.length === 0) return ALLOW;
  return { allowed: true, patch, auditAnnotations: { mutated: changes.join('; ') } };
}
