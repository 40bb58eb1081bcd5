/** Small shared predicates for rules: where containers live and what their security context says. */
import type { JsonPatchOp } from '../core/finding.js';
import { escapeSegment, unescapeSegment } from '../core/json-pointer.js';
import type { KubeObject, Resource } from '../core/types.js';
import { memoised, topLevelWorkloads, type ClusterModel, type Workload } from '../model/cluster.js';
import { allContainers, type Container, type ContainerGroup } from '../model/workloads.js';
import { apiGroupMatches, normaliseRule, resourceMatches, verbMatches, type PolicyRule } from '../engines/rbac/index.js';
import { aggregatableRole, aggregateClusterRoles } from '../engines/rbac/aggregate.js';
import { sameRule } from '../engines/rbac/match.js';
import { isRecord } from '../core/records.js';
import { BoundedCache } from '../core/bounded-cache.js';

export type { PolicyRule } from '../engines/rbac/index.js';

export interface ContainerRef {
  workload: Workload;
  resource: Resource;
  container: Container;
  group: ContainerGroup;
  index: number;
  /** JSON pointer of the container inside the workload object. */
  pointer: string;
}

/** Every container of every top-level workload, with its JSON pointer (computed once per model; do not mutate). */
export function containersOf(model: ClusterModel): readonly ContainerRef[] {
  return memoised(model, 'containers', () => {
    const out: ContainerRef[] = [];
    for (const w of topLevelWorkloads(model)) {
      for (const { container, group, index } of allContainers(w.template.spec)) {
        out.push({ workload: w, resource: w.resource, container, group, index, pointer: `${w.template.specPointer}/${group}/${index}` });
      }
    }
    return out;
  });
}

/** A container's effective security-context field: the container's value, else the pod's. */
export function effectiveSecurityField(w: Workload, c: Container, field: string): unknown {
  const own = c.securityContext?.[field];
  if (own !== undefined && own !== null) return own;
  const pod = w.template.spec.securityContext?.[field];
  return pod === null ? undefined : pod;
}

/**
 * Where a report about a container's security-context field points: the field where it is
 * written, else the `securityContext` that lacks it, else the container.
 */
export function securityFieldPointer(ref: ContainerRef, field: string): string {
  const sc: unknown = ref.container.securityContext;
  if (isRecord(sc) && field in sc) return `${ref.pointer}/securityContext/${field}`;
  return sc ? `${ref.pointer}/securityContext` : ref.pointer;
}

/** The JSON Patch that sets the container's `securityContext.<path>` to `value`. */
export function securityFieldFix(ref: ContainerRef, path: readonly string[], value: unknown): JsonPatchOp[] {
  return setFieldFix(ref.resource.object, ref.pointer, ['securityContext', ...path], value);
}

/** Where a container's seccomp or AppArmor profile is set, and whether it is Unconfined. */
export interface ProfileSetting {
  unconfined: boolean;
  pointer: string;
}

function profileField(sc: unknown, field: 'seccompProfile' | 'appArmorProfile', pointer: string): ProfileSetting | undefined {
  const p = isRecord(sc) ? sc[field] : undefined;
  if (!isRecord(p) || typeof p['type'] !== 'string') return undefined;
  return { unconfined: p['type'] === 'Unconfined', pointer: `${pointer}/${field}/type` };
}

/**
 * A container's effective seccomp or AppArmor profile: the container's securityContext
 * field, else the pod's, else the first of the legacy annotations (value `unconfined` or a
 * profile name) that is set.
 */
export function effectiveProfile(ref: ContainerRef, field: 'seccompProfile' | 'appArmorProfile', annotationKeys: readonly string[]): ProfileSetting | undefined {
  const t = ref.workload.template;
  const own = profileField(ref.container.securityContext, field, `${ref.pointer}/securityContext`) ?? profileField(t.spec.securityContext, field, `${t.specPointer}/securityContext`);
  if (own) return own;
  for (const key of annotationKeys) {
    const v = t.metadata.annotations?.[key];
    if (typeof v === 'string') return { unconfined: v === 'unconfined', pointer: `${t.metadataPointer}/annotations/${escapeSegment(key)}` };
  }
  return undefined;
}

/** Human label for a container: `container "web"`, `init container "setup"`. */
export function containerLabel(ref: ContainerRef): string {
  const kind = ref.group === 'initContainers' ? 'init container' : ref.group === 'ephemeralContainers' ? 'ephemeral container' : 'container';
  return `${kind} "${ref.container.name}"`;
}

/** The `targets` text of every rule that reads pod templates. */
export const WORKLOAD_TARGETS = 'Pod, Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job, CronJob';


/**
 * A JSON Patch that sets `segments` under `base` (a pointer into `root`) to `value`,
 * creating missing parents: JSON Patch `add` needs the parent to exist, so the first
 * missing member is added with the rest of the path nested inside its value.
 */
export function setFieldFix(root: unknown, base: string, segments: readonly string[], value: unknown): JsonPatchOp[] {
  let node: unknown = resolvePointer(root, base);
  let path = base;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as string;
    const escaped = escapeSegment(seg);
    if (!isRecord(node) || !(seg in node) || (i < segments.length - 1 && !isRecord(node[seg]))) {
      let nested: unknown = value;
      for (let j = segments.length - 1; j > i; j--) nested = { [segments[j] as string]: nested };
      return [{ op: 'add', path: `${path}/${escaped}`, value: nested }];
    }
    node = node[seg];
    path = `${path}/${escaped}`;
  }
  return [{ op: 'replace', path, value }];
}

/** The value at a JSON pointer, or undefined. */
export function resolvePointer(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = unescapeSegment(raw);
    if (Array.isArray(node)) node = node[Number(seg)];
    else if (isRecord(node)) node = node[seg];
    else return undefined;
  }
  return node;
}

// ---------------------------------------------------------------- capabilities

/**
 * `cap_sys_admin` → `SYS_ADMIN`, as runtimes read names (containerd and CRI-O prefix `CAP_`
 * when it is missing). `ALL` is a keyword only as itself: `CAP_ALL` names no capability and
 * drops nothing, so it is kept as written.
 */
export function normaliseCapability(c: unknown): string {
  const name = String(c).trim().toUpperCase();
  return name === 'CAP_ALL' ? name : name.replace(/^CAP_/, '');
}

/** Entries of `securityContext.capabilities.add` or `.drop`, normalised, with their index. */
export function capabilityEntries(c: Container, which: 'add' | 'drop'): Array<{ name: string; index: number }> {
  const caps = c.securityContext?.['capabilities'];
  const list = isRecord(caps) ? caps[which] : undefined;
  return Array.isArray(list) ? list.map((x, index) => ({ name: normaliseCapability(x), index })) : [];
}

// ---------------------------------------------------------------- images

export interface ImageRef {
  /** As written in the manifest. */
  raw: string;
  /** Registry host, docker.io defaults applied (`docker.io`, `ghcr.io`, `localhost:5000`). */
  registry: string;
  /** Repository path inside the registry (`library/nginx`, `org/app`). */
  path: string;
  /** `registry/path`: the fully qualified repository. */
  repository: string;
  tag?: string;
  digest?: string;
}

/**
 * Parsed references by text. A cluster (and a stream of admission requests) names few
 * distinct images many times; the cache is cleared when it fills, so memory stays bounded.
 */
const parsedImages = new BoundedCache<string, Readonly<ImageRef>>(4096);

/** Parses an image reference the way container runtimes normalise it (`nginx` → docker.io/library/nginx). The result is shared: read-only. */
export function parseImageRef(image: string): Readonly<ImageRef> {
  return parsedImages.get(image) ?? parsedImages.set(image, Object.freeze(parseImageRefUncached(image)));
}

function parseImageRefUncached(image: string): ImageRef {
  const raw = image;
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  const first = parts[0] ?? '';
  let registry = 'docker.io';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first.toLowerCase();
    parts.shift();
  }
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = 'docker.io';
  if (registry === 'docker.io' && parts.length === 1) parts.unshift('library');
  const path = parts.join('/');
  const ref: ImageRef = { raw, registry, path, repository: `${registry}/${path}` };
  if (tag !== undefined && tag !== '') ref.tag = tag;
  if (digest !== undefined && digest !== '') ref.digest = digest;
  return ref;
}

/** True when the reference carries a well-formed content digest. */
export function isDigestPinned(ref: ImageRef): boolean {
  return ref.digest !== undefined && /^sha256:[0-9a-f]{64}$|^sha384:[0-9a-f]{96}$|^sha512:[0-9a-f]{128}$/.test(ref.digest);
}

/** Normalises an allowlist entry: scheme and trailing slashes dropped, host lower-cased, Docker Hub aliases folded. */
function normaliseRegistryEntry(entry: string): string {
  const parts = entry.trim().replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '').split('/');
  const host = (parts[0] ?? '').toLowerCase();
  parts[0] = host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
  return parts.join('/');
}

/** True when `entry` (`ghcr.io/acme`) allows the repository (`ghcr.io/acme/app`, not `ghcr.io/acmecorp`). */
export function registryAllows(entry: string, ref: ImageRef): boolean {
  const e = normaliseRegistryEntry(entry);
  return e !== '' && (ref.repository === e || ref.repository.startsWith(`${e}/`));
}

// ---------------------------------------------------------------- RBAC objects

export interface PolicyRuleRef {
  rule: PolicyRule;
  index: number;
  /** JSON pointer of the rule inside the Role/ClusterRole. */
  pointer: string;
}

/** The rules of a Role or ClusterRole. */
export function policyRulesOf(r: Resource): PolicyRuleRef[] {
  const rules = r.object['rules'];
  if (!Array.isArray(rules)) return [];
  const out: PolicyRuleRef[] = [];
  rules.forEach((x, index) => {
    if (!isRecord(x)) return;
    out.push({
      rule: normaliseRule(x),
      index,
      pointer: `/rules/${index}`,
    });
  });
  return out;
}

/**
 * True when the rule grants one of `verbs` on `group`/`resource` (`resource` may be
 * `pods/exec`), matched as the RBAC authorizer does (the engine's matchers): `*`, an exact
 * name, or `*` + `/sub` for any resource's subresource. `pods/*` is no wildcard.
 */
export function ruleGrants(rule: PolicyRule, verbs: readonly string[], group: string, resource: string): boolean {
  const slash = resource.indexOf('/');
  const sub = slash < 0 ? '' : resource.slice(slash + 1);
  // Creating an object and deletecollection carry no object name: a rule limited to names never
  // allows them. A subresource request (pods/exec, serviceaccounts/token) carries its parent's.
  const named = rule.resourceNames.length > 0 && sub === '';
  return verbs.some((v) => !(named && (v === 'create' || v === 'deletecollection')) && verbMatches(rule, v)) && apiGroupMatches(rule, group) && resourceMatches(rule, resource, sub);
}

/** Objects the API server creates itself (the RBAC defaults): not the cluster operator's choice. */
export function isBootstrapRbac(r: Resource): boolean {
  return r.object.metadata.labels?.['kubernetes.io/bootstrapping'] === 'rbac-defaults';
}

export interface RoleRuleRef extends PolicyRuleRef {
  /** The ClusterRole or Role (for a built-in role's rules, the binding that grants them). */
  resource: Resource;
  /** `ClusterRole "name"`, as messages name it. */
  role: string;
  /** A rule the manifest does not show: collected by aggregation or granted through a built-in role. */
  derived?: true;
}

/**
 * Whether a rule of `ref` can only grant within one namespace: a Role's, or a built-in role's
 * granted by a RoleBinding. Cluster-scoped powers (nodes, impersonating users and groups,
 * approving CSRs) never come that way.
 */
export function grantsInNamespaceOnly(ref: RoleRuleRef): boolean {
  const kind = ref.resource.object.kind;
  return kind === 'Role' || kind === 'RoleBinding';
}

/**
 * A filter for reports on effectiveRoleRules: a rule the manifest shows is reported each time;
 * derived ones once per resource and message id (a binding to `edit` says once that it can
 * exec, not once per rule of `edit` that allows it).
 */
export function oncePerDerived(): (ref: RoleRuleRef, messageId: string) => boolean {
  const seen = new Map<Resource, Set<string>>();
  return (ref, messageId) => {
    if (!ref.derived) return true;
    let ids = seen.get(ref.resource);
    if (!ids) seen.set(ref.resource, (ids = new Set()));
    if (ids.has(messageId)) return false;
    ids.add(messageId);
    return true;
  };
}

/** Every rule of every ClusterRole and Role the operator wrote (bootstrap defaults left out); walked once per model. */
export function operatorRoleRules(model: ClusterModel): readonly RoleRuleRef[] {
  return memoised(model, 'operatorRoleRules', () => {
    const out: RoleRuleRef[] = [];
    for (const resource of [...model.clusterRoles, ...model.roles]) {
      if (isBootstrapRbac(resource)) continue;
      const role = `${resource.object.kind} "${resource.object.metadata.name ?? ''}"`;
      for (const ref of policyRulesOf(resource)) out.push({ ...ref, resource, role });
    }
    return out;
  });
}

/**
 * The rules the object-level RBAC rules judge: every operator-written role's own rules
 * (operatorRoleRules), plus what manifests alone do not show — the rules an operator's
 * aggregating ClusterRole collects from the roles it selects (the bootstrap ones included, as
 * the aggregation controller fills them in), and the rules of a built-in ClusterRole (edit,
 * admin, system:…) that an operator's binding grants, reported on that binding. cluster-admin
 * has its own rule. `defaults` are the bootstrap roles (settings.rbacDefaults).
 */
export function effectiveRoleRules(model: ClusterModel, defaults: readonly KubeObject[]): readonly RoleRuleRef[] {
  const hit = model.memo.get('effectiveRoleRules') as { defaults: readonly KubeObject[]; refs: RoleRuleRef[] } | undefined;
  if (hit && hit.defaults === defaults) return hit.refs;
  const refs = [...operatorRoleRules(model)];
  const written = new Set(model.clusterRoles.map((r) => r.object.metadata.name ?? ''));
  // Bootstrap ClusterRoles the input does not redefine.
  const defaultRoles = defaults.filter((o) => o.kind === 'ClusterRole' && !written.has(o.metadata.name ?? ''));
  const builtIn = new Set([...model.clusterRoles.filter(isBootstrapRbac).map((r) => r.object.metadata.name ?? ''), ...defaultRoles.map((o) => o.metadata.name ?? '')]);
  const aggregating = model.clusterRoles.filter((r) => !isBootstrapRbac(r) && r.object['aggregationRule'] !== undefined && r.object['aggregationRule'] !== null);
  const bindings = [...model.clusterRoleBindings, ...model.roleBindings].filter((b) => {
    const ref = roleRefOf(b);
    return !isBootstrapRbac(b) && ref?.kind === 'ClusterRole' && ref.name !== 'cluster-admin' && builtIn.has(ref.name);
  });
  if (aggregating.length > 0 || bindings.length > 0) {
    const { rules } = aggregateClusterRoles([...model.clusterRoles.map((r) => r.object), ...defaultRoles].map(aggregatableRole));
    for (const resource of aggregating) {
      const name = resource.object.metadata.name ?? '';
      const own = policyRulesOf(resource).map((x) => x.rule);
      (rules.get(name) ?? []).forEach((rule, index) => {
        if (!own.some((o) => sameRule(o, rule))) refs.push({ resource, role: `ClusterRole "${name}" (aggregated)`, rule, index, pointer: '/aggregationRule', derived: true });
      });
    }
    for (const resource of bindings) {
      const ref = roleRefOf(resource) as { name: string };
      const role = `${resource.object.kind} "${resource.object.metadata.name ?? ''}" (built-in ClusterRole "${ref.name}")`;
      (rules.get(ref.name) ?? []).forEach((rule, index) => refs.push({ resource, role, rule, index, pointer: '/roleRef', derived: true }));
    }
  }
  model.memo.set('effectiveRoleRules', { defaults, refs });
  return refs;
}

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

/** Subjects of a RoleBinding/ClusterRoleBinding with their index (ServiceAccount namespace defaulted for RoleBindings). */
export function subjectsOf(binding: Resource): Array<{ subject: Subject; index: number; pointer: string }> {
  const list = binding.object['subjects'];
  if (!Array.isArray(list)) return [];
  const out: Array<{ subject: Subject; index: number; pointer: string }> = [];
  list.forEach((s, index) => {
    if (!isRecord(s) || typeof s['kind'] !== 'string' || typeof s['name'] !== 'string') return;
    const subject: Subject = { kind: s['kind'], name: s['name'] };
    const ns = typeof s['namespace'] === 'string' && s['namespace'] !== '' ? s['namespace'] : binding.object.kind === 'RoleBinding' ? binding.object.metadata.namespace || 'default' : undefined;
    if (ns !== undefined) subject.namespace = ns;
    out.push({ subject, index, pointer: `/subjects/${index}` });
  });
  return out;
}

export function roleRefOf(binding: Resource): { kind: string; name: string } | undefined {
  const ref = binding.object['roleRef'];
  if (!isRecord(ref) || typeof ref['kind'] !== 'string' || typeof ref['name'] !== 'string') return undefined;
  return { kind: ref['kind'], name: ref['name'] };
}

/** Bindings by the service-account keys their subjects name; built once per model. */
function saBindingIndex(model: ClusterModel): { index: Map<string, Resource[]>; order: Map<Resource, number> } {
  return memoised(model, 'saBindings', () => buildSaBindingIndex(model));
}

function buildSaBindingIndex(model: ClusterModel): { index: Map<string, Resource[]>; order: Map<Resource, number> } {
  const index = new Map<string, Resource[]>();
  const order = new Map<Resource, number>();
  const add = (key: string, b: Resource): void => {
    const list = index.get(key);
    if (!list) index.set(key, [b]);
    else if (list[list.length - 1] !== b) list.push(b);
  };
  for (const b of [...model.roleBindings, ...model.clusterRoleBindings]) {
    if (isBootstrapRbac(b)) continue;
    order.set(b, order.size);
    for (const { subject: s } of subjectsOf(b)) {
      if (s.kind === 'ServiceAccount' && s.namespace !== undefined) add(`sa:${s.namespace}/${s.name}`, b);
      else if (s.kind === 'User' && s.name.startsWith('system:serviceaccount:')) {
        const [ns, name] = s.name.slice('system:serviceaccount:'.length).split(':');
        if (ns && name) add(`sa:${ns}/${name}`, b);
      } else if (s.kind === 'Group' && s.name === 'system:serviceaccounts') add('all', b);
      else if (s.kind === 'Group' && s.name.startsWith('system:serviceaccounts:')) add(`ns:${s.name.slice('system:serviceaccounts:'.length)}`, b);
    }
  }
  return { index, order };
}

/**
 * Every binding in the model that names the service account (directly, as its user name, or
 * through the `system:serviceaccounts[:<ns>]` groups), in model order; RBAC defaults left out.
 * A RoleBinding in any namespace counts: it grants the account permissions in that namespace.
 */
export function bindingsOfServiceAccount(model: ClusterModel, namespace: string, name: string): Resource[] {
  const { index, order } = saBindingIndex(model);
  const found = new Set([...(index.get(`sa:${namespace}/${name}`) ?? []), ...(index.get(`ns:${namespace}`) ?? []), ...(index.get('all') ?? [])]);
  return [...found].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
}

// ---------------------------------------------------------------- Kubernetes Dashboard

const DASHBOARD_NAME = /^kubernetes-dashboard(-|$)/;

/** True when the image is a Kubernetes Dashboard image (`kubernetesui/dashboard`, `kubernetesui/dashboard-api`, `…/kubernetes-dashboard-amd64`). */
export function isDashboardImage(image: string): boolean {
  const { path } = parseImageRef(image);
  const last = path.split('/').pop() ?? '';
  return /(^|\/)kubernetesui\/dashboard(-[a-z]+)?$/.test(path) || DASHBOARD_NAME.test(last);
}

/** Why a workload is the Kubernetes Dashboard: a JSON pointer to the image, name or label that says so, or undefined. */
function dashboardEvidence(w: Workload): string | undefined {
  for (const { container, group, index } of allContainers(w.template.spec)) {
    if (typeof container.image === 'string' && isDashboardImage(container.image)) return `${w.template.specPointer}/${group}/${index}/image`;
  }
  if (DASHBOARD_NAME.test(w.name)) return '/metadata/name';
  const labels = w.template.metadata.labels ?? {};
  for (const key of ['k8s-app', 'app.kubernetes.io/name', 'app']) {
    const v = labels[key];
    if (typeof v === 'string' && DASHBOARD_NAME.test(v)) return `${w.template.metadataPointer}/labels/${escapeSegment(key)}`;
  }
  return undefined;
}

const INSTANCE = 'app.kubernetes.io/instance';

/** A Kong gateway: its image (`kong`, `kong/kong-gateway`) or its `app.kubernetes.io/name` label. */
function isKong(w: Workload): boolean {
  if (w.template.metadata.labels?.['app.kubernetes.io/name'] === 'kong') return true;
  return allContainers(w.template.spec).some(({ container }) => typeof container.image === 'string' && /(^|\/)kong(\/kong-gateway)?$/.test(parseImageRef(container.image).path));
}

export interface DashboardWorkload {
  workload: Workload;
  /** Pointer to what says so (image, name, label). */
  evidence: string;
  /**
   * The Kong gateway of a Dashboard v7 Helm release (same namespace and release instance as a
   * Dashboard component): the only way into the UI, so its exposure and its service account
   * count as the Dashboard's.
   */
  gateway?: true;
}

/** Top-level workloads that are the Kubernetes Dashboard (or its v7 gateway), with the evidence pointer. */
export function dashboardWorkloads(model: ClusterModel): readonly DashboardWorkload[] {
  return memoised(model, 'dashboardWorkloads', () => {
    const out: DashboardWorkload[] = [];
    const releases = new Set<string>();
    for (const w of topLevelWorkloads(model)) {
      const evidence = dashboardEvidence(w);
      if (evidence === undefined) continue;
      out.push({ workload: w, evidence });
      const instance = w.template.metadata.labels?.[INSTANCE];
      if (typeof instance === 'string') releases.add(`${w.namespace}/${instance}`);
    }
    if (releases.size === 0) return out;
    const found = new Set(out.map((d) => d.workload));
    for (const w of topLevelWorkloads(model)) {
      const instance = w.template.metadata.labels?.[INSTANCE];
      if (found.has(w) || typeof instance !== 'string' || !releases.has(`${w.namespace}/${instance}`) || !isKong(w)) continue;
      out.push({ workload: w, evidence: `${w.template.metadataPointer}/labels/${escapeSegment(INSTANCE)}`, gateway: true });
    }
    return out;
  });
}
