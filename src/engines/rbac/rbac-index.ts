/**
 * The RBAC index: Roles, ClusterRoles and their bindings compiled once, then queried.
 *
 * Decisions follow the Kubernetes RBAC authorizer (plugin/pkg/auth/authorizer/rbac and
 * pkg/registry/rbac/validation DefaultRuleResolver.VisitRulesFor):
 * - every ClusterRoleBinding whose subjects apply to the user contributes its
 *   ClusterRole's rules, in every namespace and for non-resource URLs;
 * - when the request has a namespace, every RoleBinding of that namespace whose subjects
 *   apply contributes the rules of its Role (same namespace) or ClusterRole;
 *   non-resource requests have no namespace, so RoleBindings never grant URLs;
 * - a subject applies when: User — the name equals the user; Group — the user has that
 *   group; ServiceAccount — `system:serviceaccount:<ns>:<name>` equals the user, where an
 *   empty namespace means the RoleBinding's namespace (and matches nothing in a
 *   ClusterRoleBinding);
 * - a binding whose role does not exist, or a ClusterRoleBinding naming a Role, grants nothing;
 * - the request is allowed when any contributed rule matches (match.ts); there is no deny.
 * The authorizer knows nothing of resource scope: a namespace given with a cluster-scoped
 * resource still brings that namespace's RoleBindings in, exactly as the API server does.
 *
 * Indexes: bindings by user / group (cluster-wide, and per namespace), each role's rules
 * by verb, bindings by role (for who-can).
 */
import type { KubeObject } from '../../core/types.js';
import { namespaceOf } from '../../model/workloads.js';
import { aggregatableRole, aggregateClusterRoles, type AggregatableRole } from './aggregate.js';
import { nonResourceRuleAllows, normaliseRules, resourceRuleAllows } from './match.js';
import { bindingSubjectApplies, bindingSubjectUser } from './subjects.js';
import {
  isNonResource,
  type BindingRef,
  type BindingSubject,
  type Decision,
  type EffectiveRule,
  type NonResourceAttributes,
  type PolicyRule,
  type RbacProblem,
  type Reason,
  type RequestAttributes,
  type ResourceAttributes,
  type RoleRef,
  type Subject,
  type WhoCanEntry,
} from './types.js';

export interface BuildOptions {
  /**
   * The bootstrap roles and bindings every cluster starts with (the data in
   * `data/bootstrap-rbac-v1.34.json`, read by the caller). Objects given directly win
   * over a default of the same kind, namespace and name.
   */
  defaultRoles?: readonly KubeObject[];
}

/** A role compiled for matching: its rules and, per verb, the indexes of rules naming that verb. */
interface CompiledRole {
  ref: RoleRef;
  rules: PolicyRule[];
  byVerb: Map<string, number[]>;
  anyVerb: number[];
  labels: Record<string, string>;
}

export interface CompiledBinding {
  ref: BindingRef;
  role: RoleRef;
  /** Subjects with service-account namespaces defaulted (RoleBinding) — entries that can match nobody are kept. */
  subjects: BindingSubject[];
  /** Undefined when the role does not exist or cannot be referenced. */
  compiled: CompiledRole | undefined;
}

interface SubjectIndex {
  byUser: Map<string, CompiledBinding[]>;
  byGroup: Map<string, CompiledBinding[]>;
}

function newSubjectIndex(): SubjectIndex {
  return { byUser: new Map(), byGroup: new Map() };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) {
    if (l[l.length - 1] !== v) l.push(v);
  } else m.set(k, [v]);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function rec(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function compileRole(ref: RoleRef, rules: PolicyRule[], labels: Record<string, string>): CompiledRole {
  const byVerb = new Map<string, number[]>();
  const anyVerb: number[] = [];
  rules.forEach((r, i) => {
    if (r.verbs.includes('*')) anyVerb.push(i);
    else for (const v of new Set(r.verbs)) push(byVerb, v, i);
  });
  return { ref, rules, byVerb, anyVerb, labels };
}

/** Indexes of rules that may allow `verb`, in rule order. */
function candidateRules(role: CompiledRole, verb: string): number[] {
  const exact = role.byVerb.get(verb);
  if (!exact) return role.anyVerb;
  if (role.anyVerb.length === 0) return exact;
  return [...exact, ...role.anyVerb].sort((a, b) => a - b);
}

function ruleAllows(rule: PolicyRule, attrs: RequestAttributes): boolean {
  return isNonResource(attrs) ? nonResourceRuleAllows(rule, attrs) : resourceRuleAllows(rule, attrs);
}

function firstAllowingRule(role: CompiledRole, attrs: RequestAttributes): number {
  for (const i of candidateRules(role, attrs.verb)) if (ruleAllows(role.rules[i] as PolicyRule, attrs)) return i;
  return -1;
}

function objKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

export class RbacIndex {
  readonly problems: RbacProblem[] = [];
  readonly clusterRoles = new Map<string, CompiledRole>();
  /** Roles by `namespace/name`. */
  readonly roles = new Map<string, CompiledRole>();
  readonly clusterRoleBindings: CompiledBinding[] = [];
  /** RoleBindings by namespace. */
  readonly roleBindings = new Map<string, CompiledBinding[]>();
  private readonly crbIndex = newSubjectIndex();
  private readonly rbIndex = new Map<string, SubjectIndex>();
  /** ClusterRoleBindings by ClusterRole name; RoleBindings by namespace then role key. */
  private readonly crbByRole = new Map<string, CompiledBinding[]>();
  private readonly rbByRole = new Map<string, Map<string, CompiledBinding[]>>();
  /** RoleBindings naming a user / a group, by namespace. */
  private readonly nsByUser = new Map<string, Map<string, CompiledBinding[]>>();
  private readonly nsByGroup = new Map<string, Map<string, CompiledBinding[]>>();
  /** bindingNamespacesWhere's answers per filter and user or group. */
  private readonly filteredNs = new WeakMap<(b: CompiledBinding) => boolean, Map<string, readonly string[]>>();

  constructor(objects: readonly KubeObject[], options: BuildOptions = {}) {
    // Objects given directly win over defaults with the same identity.
    const chosen = new Map<string, KubeObject>();
    for (const o of options.defaultRoles ?? []) this.admit(chosen, o);
    const defaults = new Set(chosen.values());
    for (const o of objects) this.admit(chosen, o);
    const all = [...chosen.values()];

    const agg: AggregatableRole[] = [];
    for (const o of all) if (o.kind === 'ClusterRole') agg.push(aggregatableRole(o));
    const { rules: crRules, invalid } = aggregateClusterRoles(agg);
    for (const name of invalid)
      this.problems.push({ code: 'invalidAggregationSelector', message: `ClusterRole ${name} has an invalid aggregation selector; its rules are kept as given`, object: { kind: 'ClusterRole', name } });
    for (const r of agg) this.clusterRoles.set(r.name, compileRole({ kind: 'ClusterRole', name: r.name }, crRules.get(r.name) ?? [], r.labels));
    for (const o of all) {
      if (o.kind !== 'Role') continue;
      const ns = namespaceOf(o);
      const name = o.metadata.name ?? '';
      this.roles.set(`${ns}/${name}`, compileRole({ kind: 'Role', name, namespace: ns }, normaliseRules(o['rules']), o.metadata.labels ?? {}));
    }
    // A bootstrap binding from the input (a `kubectl get -o json` dump carries them, labelled) is a default too.
    for (const o of all) if (o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding') this.addBinding(o, defaults.has(o) || o.metadata.labels?.['kubernetes.io/bootstrapping'] === 'rbac-defaults');
    this.clusterRoleBindings.sort((a, b) => cmp(a.ref.name, b.ref.name));
    for (const l of this.roleBindings.values()) l.sort((a, b) => cmp(a.ref.name, b.ref.name));
  }

  private admit(chosen: Map<string, KubeObject>, o: KubeObject): void {
    if (!o || typeof o !== 'object' || !RBAC_KINDS.has(o.kind) || !o.metadata) return;
    const ns = o.kind === 'Role' || o.kind === 'RoleBinding' ? namespaceOf(o) : undefined;
    chosen.set(objKey(o.kind, ns, o.metadata.name ?? ''), o);
  }

  private addBinding(o: KubeObject, isDefault: boolean): void {
    const isCrb = o.kind === 'ClusterRoleBinding';
    const name = o.metadata.name ?? '';
    const ns = isCrb ? undefined : namespaceOf(o);
    const ref: BindingRef = isCrb ? { kind: 'ClusterRoleBinding', name } : { kind: 'RoleBinding', name, namespace: ns as string };
    if (isDefault) ref.isDefault = true;
    const rr = rec(o['roleRef']);
    const roleKind = str(rr['kind']);
    const roleName = str(rr['name']);
    let compiled: CompiledRole | undefined;
    let role: RoleRef;
    const where = { kind: o.kind, name, ...(ns !== undefined ? { namespace: ns } : {}) };
    if (roleKind === 'ClusterRole') {
      role = { kind: 'ClusterRole', name: roleName };
      compiled = this.clusterRoles.get(roleName);
    } else if (roleKind === 'Role') {
      role = { kind: 'Role', name: roleName, namespace: ns ?? '' };
      compiled = isCrb ? undefined : this.roles.get(`${ns}/${roleName}`);
      if (isCrb) this.problems.push({ code: 'unsupportedRoleRefKind', message: `ClusterRoleBinding ${name} references a Role, which grants nothing`, object: where });
    } else {
      role = { kind: roleKind, name: roleName };
      this.problems.push({ code: 'unsupportedRoleRefKind', message: `${o.kind} ${name} references unsupported role kind "${roleKind}"`, object: where });
    }
    if (!compiled && (roleKind === 'ClusterRole' || (roleKind === 'Role' && !isCrb)))
      this.problems.push({ code: 'roleNotFound', message: `${o.kind} ${name} references ${roleKind} ${roleName}, which does not exist`, object: where });

    const subjects: BindingSubject[] = [];
    const rawSubjects = Array.isArray(o['subjects']) ? (o['subjects'] as unknown[]) : [];
    for (const raw of rawSubjects) {
      const s = rec(raw);
      const kind = str(s['kind']);
      const sname = str(s['name']);
      const b: BindingSubject = { kind, name: sname };
      if (kind === 'ServiceAccount') {
        const sns = str(s['namespace']) || ns || '';
        if (sns) b.namespace = sns;
        else this.problems.push({ code: 'serviceAccountWithoutNamespace', message: `${o.kind} ${name} names ServiceAccount ${sname} without a namespace; it matches nobody`, object: where });
      } else if (kind !== 'User' && kind !== 'Group') {
        this.problems.push({ code: 'unsupportedSubjectKind', message: `${o.kind} ${name} has a subject of unsupported kind "${kind}"`, object: where });
      }
      subjects.push(b);
    }
    const binding: CompiledBinding = { ref, role, subjects, compiled };
    let index: SubjectIndex;
    if (isCrb) {
      this.clusterRoleBindings.push(binding);
      index = this.crbIndex;
      if (role.kind === 'ClusterRole') push(this.crbByRole, role.name, binding);
    } else {
      const n = ns as string;
      push(this.roleBindings, n, binding);
      let si = this.rbIndex.get(n);
      if (!si) this.rbIndex.set(n, (si = newSubjectIndex()));
      index = si;
      let byRole = this.rbByRole.get(n);
      if (!byRole) this.rbByRole.set(n, (byRole = new Map()));
      push(byRole, `${role.kind}/${role.name}`, binding);
    }
    if (!compiled) return;
    const addNs = (m: Map<string, Map<string, CompiledBinding[]>>, key: string): void => {
      if (isCrb) return;
      let byNs = m.get(key);
      if (!byNs) m.set(key, (byNs = new Map()));
      push(byNs, ns as string, binding);
    };
    for (const s of subjects) {
      if (s.kind === 'Group') {
        push(index.byGroup, s.name, binding);
        addNs(this.nsByGroup, s.name);
      } else {
        const u = bindingSubjectUser(s);
        if (u !== undefined) {
          push(index.byUser, u, binding);
          addNs(this.nsByUser, u);
        }
      }
    }
  }

  /** Bindings of `index` that may apply to `subject`, deduplicated, in index order. */
  private candidates(index: SubjectIndex | undefined, subject: Subject, out: Set<CompiledBinding>): void {
    if (!index) return;
    const u = index.byUser.get(subject.user);
    if (u) for (const b of u) out.add(b);
    for (const g of subject.groups) {
      const l = index.byGroup.get(g);
      if (l) for (const b of l) out.add(b);
    }
  }

  private applicableBindings(subject: Subject, namespace: string): CompiledBinding[] {
    const set = new Set<CompiledBinding>();
    this.candidates(this.crbIndex, subject, set);
    const crbs = [...set].sort((a, b) => cmp(a.ref.name, b.ref.name));
    if (namespace === '') return crbs;
    const rset = new Set<CompiledBinding>();
    this.candidates(this.rbIndex.get(namespace), subject, rset);
    return [...crbs, ...[...rset].sort((a, b) => cmp(a.ref.name, b.ref.name))];
  }

  private static requestNamespace(attrs: RequestAttributes): string {
    return isNonResource(attrs) ? '' : (attrs.namespace ?? '');
  }

  /** Fast yes/no: stops at the first allowing rule. */
  can(subject: Subject, attrs: RequestAttributes): boolean {
    const check = (index: SubjectIndex | undefined): boolean => {
      if (!index) return false;
      const tryList = (l: CompiledBinding[] | undefined): boolean => {
        if (l) for (const b of l) if (b.compiled && firstAllowingRule(b.compiled, attrs) >= 0) return true;
        return false;
      };
      if (tryList(index.byUser.get(subject.user))) return true;
      for (const g of subject.groups) if (tryList(index.byGroup.get(g))) return true;
      return false;
    };
    if (check(this.crbIndex)) return true;
    const ns = RbacIndex.requestNamespace(attrs);
    return ns !== '' && check(this.rbIndex.get(ns));
  }

  /** The authorizer's decision with every binding → role → rule that allows the request. */
  authorize(subject: Subject, attrs: RequestAttributes): Decision {
    const reasons: Reason[] = [];
    for (const b of this.applicableBindings(subject, RbacIndex.requestNamespace(attrs))) {
      const role = b.compiled;
      if (!role) continue;
      const matched = b.subjects.find((s) => bindingSubjectApplies(s, subject));
      if (!matched) continue;
      for (const i of candidateRules(role, attrs.verb)) {
        const rule = role.rules[i] as PolicyRule;
        if (ruleAllows(rule, attrs)) reasons.push({ binding: b.ref, subject: matched, role: b.role, ruleIndex: i, rule });
      }
    }
    return { allowed: reasons.length > 0, reasons };
  }

  /**
   * Every subject granted the request: through which binding and role. With a namespace,
   * ClusterRoleBindings and that namespace's RoleBindings; without one (or for a
   * non-resource URL), ClusterRoleBindings only. Service-account subjects that match
   * nobody (no namespace in a ClusterRoleBinding) are left out.
   */
  whoCan(attrs: RequestAttributes): WhoCanEntry[] {
    const out: WhoCanEntry[] = [];
    const add = (b: CompiledBinding, ruleIndex: number): void => {
      for (const s of b.subjects) {
        if (s.kind === 'ServiceAccount' ? !s.namespace : s.kind !== 'User' && s.kind !== 'Group') continue;
        out.push({ subject: s, binding: b.ref, role: b.role, ruleIndex });
      }
    };
    for (const [name, role] of this.clusterRoles) {
      const bindings = this.crbByRole.get(name);
      if (!bindings) continue;
      const i = firstAllowingRule(role, attrs);
      if (i >= 0) for (const b of bindings) add(b, i);
    }
    const ns = RbacIndex.requestNamespace(attrs);
    const byRole = ns === '' ? undefined : this.rbByRole.get(ns);
    if (byRole) {
      for (const bindings of byRole.values()) {
        const role = bindings[0]?.compiled;
        if (!role) continue;
        const i = firstAllowingRule(role, attrs);
        if (i >= 0) for (const b of bindings) add(b, i);
      }
    }
    return out.sort(compareWhoCan);
  }

  /**
   * Effective rules of a subject: cluster-wide ones from ClusterRoleBindings and, with a
   * namespace, those of the namespace's RoleBindings (like `kubectl auth can-i --list`).
   */
  rulesFor(subject: Subject, namespace = ''): EffectiveRule[] {
    const out: EffectiveRule[] = [];
    for (const b of this.applicableBindings(subject, namespace)) {
      if (!b.compiled || !b.subjects.some((s) => bindingSubjectApplies(s, subject))) continue;
      b.compiled.rules.forEach((rule, ruleIndex) => {
        const e: EffectiveRule = { rule, binding: b.ref, role: b.role, ruleIndex };
        if (b.ref.namespace !== undefined) e.namespace = b.ref.namespace;
        out.push(e);
      });
    }
    return out;
  }

  /**
   * The namespaces (sorted) where a RoleBinding naming the subject, its user or one of its
   * groups, passes `keep`. Group answers are kept per `keep`, so many subjects sharing a
   * group that is bound in every namespace cost one pass over those namespaces, not one each.
   */
  bindingNamespacesWhere(subject: Subject, keep: (b: CompiledBinding) => boolean): string[] {
    const kept = (byNs: Map<string, CompiledBinding[]> | undefined): string[] => [...(byNs ?? [])].filter(([, bs]) => bs.some(keep)).map(([ns]) => ns);
    let memo = this.filteredNs.get(keep);
    if (!memo) this.filteredNs.set(keep, (memo = new Map()));
    const out = new Set<string>(kept(this.nsByUser.get(subject.user)));
    for (const g of subject.groups) {
      let l = memo.get(g);
      if (!l) memo.set(g, (l = kept(this.nsByGroup.get(g))));
      for (const ns of l) out.add(ns);
    }
    return [...out].sort(cmp);
  }

  /** True when some rule of the binding's role allows `attrs` (the binding's subjects aside). */
  static roleAllows(b: CompiledBinding, attrs: RequestAttributes): boolean {
    return b.compiled !== undefined && firstAllowingRule(b.compiled, attrs) >= 0;
  }

  /**
   * The bindings that apply to `subject` in one scope: ClusterRoleBindings for `''`, or
   * only the RoleBindings of `namespace`. For evaluating many requests for one subject.
   */
  bindingsFor(subject: Subject, namespace: string): CompiledBinding[] {
    const set = new Set<CompiledBinding>();
    this.candidates(namespace === '' ? this.crbIndex : this.rbIndex.get(namespace), subject, set);
    return [...set].filter((b) => b.compiled !== undefined).sort((a, b) => cmp(a.ref.name, b.ref.name));
  }

  /** The first reason among `bindings` (from bindingsFor) that allows `attrs`, or undefined. */
  static firstReason(bindings: readonly CompiledBinding[], subject: Subject, attrs: RequestAttributes): Reason | undefined {
    for (const b of bindings) {
      const role = b.compiled;
      if (!role) continue;
      const i = firstAllowingRule(role, attrs);
      if (i < 0) continue;
      const matched = b.subjects.find((s) => bindingSubjectApplies(s, subject));
      if (matched) return { binding: b.ref, subject: matched, role: b.role, ruleIndex: i, rule: role.rules[i] as PolicyRule };
    }
    return undefined;
  }

  /** Every namespace that has a Role or RoleBinding (sorted). */
  namespaces(): string[] {
    const s = new Set<string>(this.roleBindings.keys());
    for (const r of this.roles.values()) if (r.ref.namespace) s.add(r.ref.namespace);
    return [...s].sort(cmp);
  }

  /** Every subject named in some binding, namespaces defaulted, deduplicated and sorted. */
  allBindingSubjects(): BindingSubject[] {
    const seen = new Map<string, BindingSubject>();
    const add = (b: CompiledBinding): void => {
      for (const s of b.subjects) {
        if (s.kind === 'ServiceAccount' && !s.namespace) continue;
        seen.set(`${s.kind}\u0000${s.namespace ?? ''}\u0000${s.name}`, s);
      }
    };
    for (const b of this.clusterRoleBindings) add(b);
    for (const l of this.roleBindings.values()) for (const b of l) add(b);
    return [...seen.values()].sort(compareSubjects);
  }

  /** Rules of a ClusterRole after aggregation, or undefined. */
  clusterRoleRules(name: string): PolicyRule[] | undefined {
    return this.clusterRoles.get(name)?.rules;
  }
}

export function compareSubjects(a: BindingSubject, b: BindingSubject): number {
  return cmp(a.kind, b.kind) || cmp(a.namespace ?? '', b.namespace ?? '') || cmp(a.name, b.name);
}

export function compareBindingRefs(a: BindingRef, b: BindingRef): number {
  return cmp(a.kind, b.kind) || cmp(a.namespace ?? '', b.namespace ?? '') || cmp(a.name, b.name);
}

function compareWhoCan(a: WhoCanEntry, b: WhoCanEntry): number {
  return compareSubjects(a.subject, b.subject) || compareBindingRefs(a.binding, b.binding);
}

/** Compiles the RBAC objects among `objects` (other kinds are ignored). Pure; never throws on bad data. */
export function buildRbac(objects: readonly KubeObject[], options: BuildOptions = {}): RbacIndex {
  return new RbacIndex(objects, options);
}

export type { ResourceAttributes, NonResourceAttributes };
