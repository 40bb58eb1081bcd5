/**
 * What a stolen service-account token is worth.
 *
 * Token mounting: a pod gets its service account's token when `automountServiceAccountToken`
 * on the pod spec is true, or is unset and the ServiceAccount object's field is true or
 * unset (default true); a projected volume with a `serviceAccountToken` source mounts one
 * regardless; a volume of a `kubernetes.io/service-account-token` Secret mounts the legacy,
 * long-lived token of the account the Secret names (whichever account the pod runs as: the
 * workload then appears once per token it carries).
 *
 * Escalation closure: identities are service accounts and users; powers become edges —
 * create pods / workloads (or change a controller's template) or mint tokens in a namespace →
 * any service account of that namespace; exec/attach in a namespace → the tokens of its
 * running pods; read Secrets in a namespace → the legacy tokens stored there; nodes/proxy →
 * the tokens of every running pod; impersonate serviceaccounts/users → those identities;
 * impersonate groups, bind/escalate cluster-wide, `*` on `*`, or create pods in
 * kube-system → cluster-admin-equivalent. One reverse breadth-first search from
 * "cluster-admin" gives every identity its shortest chain.
 */
import type { KubeObject } from '../../core/types.js';
import { isMirrorPod, isWorkloadKind, namespaceOf, podTemplateOf, serviceAccountOf } from '../../model/workloads.js';
import type { RbacIndex } from './rbac-index.js';
import { describeGrant, subjectRisks, type RiskGrant, type RiskId } from './risks.js';
import { impersonatedSubject, parseServiceAccountUsername, serviceAccountSubject, serviceAccountUsername } from './subjects.js';
import type { ResourceAttributes, Subject } from './types.js';
import { asRecord as rec } from '../../core/records.js';

export interface WorkloadRef {
  kind: string;
  name: string;
  namespace: string;
}

/** One step of an escalation chain: `from` uses `action` and becomes `to`. */
export interface EscalationStep {
  from: string;
  action: string;
  risk: RiskId;
  scope: string;
  to: string;
}

export interface TokenMount {
  mounted: boolean;
  /** `secret`: a volume of a `kubernetes.io/service-account-token` Secret (a long-lived legacy token). */
  via: Array<'automount' | 'projected' | 'secret'>;
}

/** The annotation of a legacy token Secret that names its service account. */
export const TOKEN_SECRET_ACCOUNT = 'kubernetes.io/service-account.name';

/** A legacy, long-lived service-account token Secret (`kubernetes.io/service-account-token`). */
export function isTokenSecret(o: KubeObject): boolean {
  return o?.kind === 'Secret' && o['type'] === 'kubernetes.io/service-account-token';
}

/** Legacy token Secrets by `namespace/secret name` → the service account they belong to. */
export function tokenSecrets(objects: readonly KubeObject[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of objects) {
    if (!isTokenSecret(o)) continue;
    const sa = o.metadata.annotations?.[TOKEN_SECRET_ACCOUNT];
    if (typeof sa === 'string' && sa !== '' && o.metadata.name) out.set(`${namespaceOf(o)}/${o.metadata.name}`, sa);
  }
  return out;
}

/** Names of the Secrets a pod spec reads: volumes (plain and projected) and containers' env and envFrom. */
export function secretsReadBy(spec: Record<string, unknown>): string[] {
  const names: unknown[] = [];
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  for (const v of list(spec['volumes'])) {
    names.push(rec(rec(v)?.['secret'])?.['secretName']);
    for (const src of list(rec(rec(v)?.['projected'])?.['sources'])) names.push(rec(rec(src)?.['secret'])?.['name']);
  }
  for (const group of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of list(spec[group])) {
      for (const e of list(rec(c)?.['env'])) names.push(rec(rec(rec(e)?.['valueFrom'])?.['secretKeyRef'])?.['name']);
      for (const e of list(rec(c)?.['envFrom'])) names.push(rec(rec(e)?.['secretRef'])?.['name']);
    }
  }
  return [...new Set(names.filter((n): n is string => typeof n === 'string' && n !== ''))].sort(cmp);
}

/** Service accounts whose legacy token Secret a pod spec reads (as a volume, a projected source or environment). */
export function secretTokenAccounts(spec: Record<string, unknown>, namespace: string, secrets: ReadonlyMap<string, string>): string[] {
  if (secrets.size === 0) return [];
  const out = new Set<string>();
  for (const name of secretsReadBy(spec)) {
    const sa = secrets.get(`${namespace}/${name}`);
    if (sa) out.add(sa);
  }
  return [...out].sort(cmp);
}

export interface WorkloadBlastRadius {
  workload: WorkloadRef;
  serviceAccount: { namespace: string; name: string };
  token: TokenMount;
  /** Powers of the token (empty when no token is mounted). */
  grants: RiskGrant[];
  summary: string[];
  clusterAdminEquivalent: boolean;
  /** Shortest chain from this token to cluster-admin-equivalent power, or empty. */
  chain: EscalationStep[];
}

export const CLUSTER_ADMIN = 'cluster-admin';


function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether a pod template mounts a service-account token, given the ServiceAccount objects' automount settings. */
/**
 * Whether a projected service-account token opens the API server: one without an audience
 * (the API server's), or one for the API server itself. A token for another audience
 * (`sts.amazonaws.com`, `vault`) is refused by the API server unless it is among its
 * `--api-audiences`, which default to its issuer.
 */
function isApiServerToken(source: unknown): boolean {
  if (source === undefined || source === null) return false;
  const audience = rec(source)?.['audience'];
  if (typeof audience !== 'string' || audience === '') return true;
  return /^(https:\/\/)?kubernetes\.default(\.svc(\.[a-z0-9.-]+)?)?(:443)?\/?$|^(api|kubernetes|kube-apiserver)$/.test(audience);
}

export function tokenMount(spec: Record<string, unknown>, saAutomount: boolean | undefined): TokenMount {
  const via: TokenMount['via'] = [];
  const pod = spec['automountServiceAccountToken'];
  const auto = typeof pod === 'boolean' ? pod : (saAutomount ?? true);
  if (auto) via.push('automount');
  const volumes = Array.isArray(spec['volumes']) ? (spec['volumes'] as unknown[]) : [];
  const projected = volumes.some((v) => {
    const sources = rec(rec(v)?.['projected'])?.['sources'];
    return Array.isArray(sources) && sources.some((src) => isApiServerToken(rec(src)?.['serviceAccountToken']));
  });
  if (projected) via.push('projected');
  return { mounted: via.length > 0, via };
}

interface Edge {
  to: string;
  risk: RiskId;
  scope: string;
  action: string;
}

interface WorkloadInfo {
  ref: WorkloadRef;
  sa: string;
  token: TokenMount;
}

/** The escalation graph over every identity the inputs mention, with each one's way to cluster-admin. */
export class EscalationAnalysis {
  readonly workloads: WorkloadInfo[] = [];
  /** Service-account usernames by namespace. */
  private readonly sasByNs = new Map<string, Set<string>>();
  private readonly runningByNs = new Map<string, Set<string>>();
  /** Service accounts with a legacy token Secret, by namespace (whoever reads that namespace's Secrets has them). */
  private readonly tokensByNs = new Map<string, Set<string>>();
  private readonly users = new Set<string>();
  private readonly edges = new Map<string, Edge[]>();
  private readonly next = new Map<string, Edge>();
  private readonly grantsMemo = new Map<string, RiskGrant[]>();

  constructor(
    private readonly index: RbacIndex,
    objects: readonly KubeObject[],
  ) {
    const saAutomount = new Map<string, boolean>();
    const owners = new Set<string>();
    const secrets = tokenSecrets(objects);
    for (const [key, sa] of secrets) {
      const ns = key.slice(0, key.indexOf('/'));
      let set = this.tokensByNs.get(ns);
      if (!set) this.tokensByNs.set(ns, (set = new Set()));
      set.add(serviceAccountUsername(ns, sa));
      this.addSa(ns, sa);
    }
    for (const o of objects) {
      if (!o?.metadata) continue;
      if (o.kind === 'ServiceAccount') {
        const ns = namespaceOf(o);
        this.addSa(ns, o.metadata.name ?? '');
        const a = o['automountServiceAccountToken'];
        if (typeof a === 'boolean') saAutomount.set(`${ns}/${o.metadata.name ?? ''}`, a);
      }
      if (o.kind === 'Namespace' && o.metadata.name) this.addSa(o.metadata.name, 'default');
      if (o.metadata.name) owners.add(`${namespaceOf(o)}/${o.kind}/${o.metadata.name}`);
    }
    for (const o of objects) {
      if (!o?.metadata || !isWorkloadKind(o.kind)) continue;
      const ns = namespaceOf(o);
      const ctl = (o.metadata.ownerReferences ?? []).find((r) => r.controller);
      if (ctl && owners.has(`${ns}/${ctl.kind}/${ctl.name}`)) continue;
      const tpl = podTemplateOf(o);
      if (!tpl) continue;
      const sa = serviceAccountOf(tpl.spec);
      // A static pod's mirror gets no token (it cannot refer to a ServiceAccount).
      const token = isMirrorPod(o) ? { mounted: false, via: [] } : tokenMount(tpl.spec, saAutomount.get(`${ns}/${sa}`));
      const ref = { kind: o.kind, name: o.metadata.name ?? o.metadata.generateName ?? '', namespace: ns };
      // A mounted legacy token Secret: its account's token, whichever account the pod runs as.
      const fromSecrets = secretTokenAccounts(tpl.spec, ns, secrets);
      if (fromSecrets.includes(sa)) token.via.push('secret');
      token.mounted = token.via.length > 0;
      this.addSa(ns, sa);
      this.addSa(ns, 'default');
      if (token.mounted) this.running(ns, sa);
      this.workloads.push({ ref, sa, token });
      for (const other of fromSecrets) {
        if (other === sa) continue;
        this.addSa(ns, other);
        this.running(ns, other);
        this.workloads.push({ ref, sa: other, token: { mounted: true, via: ['secret'] } });
      }
    }
    for (const s of index.allBindingSubjects()) {
      if (s.kind === 'ServiceAccount' && s.namespace) this.addSa(s.namespace, s.name);
      else if (s.kind === 'User') this.users.add(s.name);
    }
    for (const ns of index.namespaces()) this.addSa(ns, 'default');
    this.workloads.sort((a, b) => cmp(a.ref.namespace, b.ref.namespace) || cmp(a.ref.kind, b.ref.kind) || cmp(a.ref.name, b.ref.name) || cmp(a.sa, b.sa));
    this.buildEdges();
    this.solve();
  }

  /** A token of `ns/sa` sits in a running pod of `ns` (exec there yields it). */
  private running(ns: string, sa: string): void {
    let s = this.runningByNs.get(ns);
    if (!s) this.runningByNs.set(ns, (s = new Set()));
    s.add(serviceAccountUsername(ns, sa));
  }

  private addSa(ns: string, name: string): void {
    if (!ns || !name) return;
    let s = this.sasByNs.get(ns);
    if (!s) this.sasByNs.set(ns, (s = new Set()));
    s.add(serviceAccountUsername(ns, name));
  }

  static subjectOf(identity: string): Subject {
    const sa = parseServiceAccountUsername(identity);
    return sa ? serviceAccountSubject(sa.namespace, sa.name) : impersonatedSubject(identity);
  }

  /** Dangerous powers of an identity (a username), memoised. */
  grantsOf(identity: string): RiskGrant[] {
    let g = this.grantsMemo.get(identity);
    if (!g) this.grantsMemo.set(identity, (g = subjectRisks(this.index, EscalationAnalysis.subjectOf(identity))));
    return g;
  }

  private identities(): string[] {
    const out = new Set<string>(this.users);
    for (const s of this.sasByNs.values()) for (const u of s) out.add(u);
    return [...out].sort(cmp);
  }

  private can(subject: Subject, q: Omit<ResourceAttributes, 'namespace'>, ns: string): boolean {
    return this.index.can(subject, { ...q, namespace: ns });
  }

  private buildEdges(): void {
    const add = (from: string, e: Edge): void => {
      let l = this.edges.get(from);
      if (!l) this.edges.set(from, (l = []));
      l.push(e);
    };
    const nsList = [...this.sasByNs.keys()].sort(cmp);
    for (const ns of nsList) {
      for (const u of [...(this.sasByNs.get(ns) ?? [])].sort(cmp)) add(`nsAny:${ns}`, { to: `id:${u}`, risk: 'workload-create', scope: ns, action: '' });
      add('allSA', { to: `nsAny:${ns}`, risk: 'workload-create', scope: ns, action: '' });
    }
    for (const [ns, set] of this.runningByNs) {
      for (const u of [...set].sort(cmp)) add(`nsRun:${ns}`, { to: `id:${u}`, risk: 'pod-exec', scope: ns, action: '' });
      add('allRun', { to: `nsRun:${ns}`, risk: 'pod-exec', scope: ns, action: '' });
    }
    for (const u of [...this.users].sort(cmp)) add('users', { to: `id:${u}`, risk: 'impersonate', scope: '*', action: '' });
    for (const [ns, set] of this.tokensByNs) {
      for (const u of [...set].sort(cmp)) add(`nsTok:${ns}`, { to: `id:${u}`, risk: 'secrets-read', scope: ns, action: '' });
      add('allTok', { to: `nsTok:${ns}`, risk: 'secrets-read', scope: ns, action: '' });
    }

    for (const id of this.identities()) {
      const from = `id:${id}`;
      const subject = EscalationAnalysis.subjectOf(id);
      for (const g of this.grantsOf(id)) {
        const nsHub = (prefix: string, all: string): string => (g.scope === '*' ? all : `${prefix}:${g.scope}`);
        const action = describeGrant(g);
        switch (g.risk) {
          case 'cluster-admin':
            if (g.scope === '*') add(from, { to: CLUSTER_ADMIN, risk: g.risk, scope: g.scope, action });
            else add(from, { to: `nsAny:${g.scope}`, risk: g.risk, scope: g.scope, action });
            break;
          case 'workload-create':
          case 'sa-token-create':
            if (g.scope === '*' || g.scope === 'kube-system') add(from, { to: CLUSTER_ADMIN, risk: g.risk, scope: g.scope, action });
            add(from, { to: nsHub('nsAny', 'allSA'), risk: g.risk, scope: g.scope, action });
            break;
          case 'pod-exec':
            add(from, { to: nsHub('nsRun', 'allRun'), risk: g.risk, scope: g.scope, action });
            break;
          case 'secrets-read':
            // Reading Secrets reads the legacy service-account tokens among them.
            add(from, { to: nsHub('nsTok', 'allTok'), risk: g.risk, scope: g.scope, action });
            break;
          case 'nodes-proxy':
            add(from, { to: 'allRun', risk: g.risk, scope: g.scope, action });
            break;
          case 'rbac-escalate':
            if (g.scope === '*') add(from, { to: CLUSTER_ADMIN, risk: g.risk, scope: g.scope, action });
            else add(from, { to: `nsAny:${g.scope}`, risk: g.risk, scope: g.scope, action });
            break;
          case 'impersonate': {
            const ns = g.scope === '*' ? '' : g.scope;
            // Asked by name, as the API server asks: a rule for any group allows it too.
            if (ns === '' && this.can(subject, { verb: 'impersonate', apiGroup: '', resource: 'groups', name: 'system:masters' }, ''))
              add(from, { to: CLUSTER_ADMIN, risk: g.risk, scope: g.scope, action: 'can impersonate any group (system:masters)' });
            if (ns === '' && this.can(subject, { verb: 'impersonate', apiGroup: '', resource: 'users' }, ''))
              add(from, { to: 'users', risk: g.risk, scope: g.scope, action: 'can impersonate any user' });
            if (this.can(subject, { verb: 'impersonate', apiGroup: '', resource: 'serviceaccounts' }, ns))
              add(from, { to: nsHub('nsAny', 'allSA'), risk: g.risk, scope: g.scope, action: `can impersonate service accounts ${g.scope === '*' ? 'in all namespaces' : `in namespace ${g.scope}`}` });
            break;
          }
          default:
            break;
        }
      }
    }
  }

  private solve(): void {
    const reverse = new Map<string, Array<{ from: string; edge: Edge }>>();
    for (const [from, list] of this.edges) {
      for (const edge of list) {
        let l = reverse.get(edge.to);
        if (!l) reverse.set(edge.to, (l = []));
        l.push({ from, edge });
      }
    }
    const queue: string[] = [CLUSTER_ADMIN];
    const seen = new Set<string>(queue);
    for (let i = 0; i < queue.length; i++) {
      const node = queue[i] as string;
      for (const { from, edge } of reverse.get(node) ?? []) {
        if (seen.has(from)) continue;
        seen.add(from);
        this.next.set(from, edge);
        queue.push(from);
      }
    }
  }

  /** True when `identity` (a username) reaches cluster-admin-equivalent power. */
  reachesClusterAdmin(identity: string): boolean {
    return this.next.has(`id:${identity}`);
  }

  /** Shortest escalation chain from `identity` to cluster-admin, or empty. */
  chainOf(identity: string): EscalationStep[] {
    const steps: EscalationStep[] = [];
    let node = `id:${identity}`;
    let current = identity;
    let pending: Edge | undefined;
    for (let guard = 0; guard < 10_000; guard++) {
      const e = this.next.get(node);
      if (!e) return [];
      if (node.startsWith('id:')) pending = e;
      if (e.to === CLUSTER_ADMIN || e.to.startsWith('id:')) {
        const to = e.to === CLUSTER_ADMIN ? CLUSTER_ADMIN : e.to.slice(3);
        const first = pending ?? e;
        steps.push({ from: current, action: first.action, risk: first.risk, scope: first.scope, to });
        if (e.to === CLUSTER_ADMIN) return steps;
        current = to;
        pending = undefined;
      }
      node = e.to;
    }
    return [];
  }

  /** Token blast radius of every workload (top-level objects only), sorted by namespace, kind, name. */
  blastRadius(): WorkloadBlastRadius[] {
    return this.workloads.map((w) => {
      const id = serviceAccountUsername(w.ref.namespace, w.sa);
      const base = { workload: w.ref, serviceAccount: { namespace: w.ref.namespace, name: w.sa }, token: w.token };
      if (!w.token.mounted) return { ...base, grants: [], summary: ['no service-account token is mounted'], clusterAdminEquivalent: false, chain: [] };
      const grants = this.grantsOf(id);
      const chain = this.chainOf(id);
      const admin = grants.find((g) => g.risk === 'cluster-admin' && g.scope === '*');
      const shown = admin ? [admin] : grants;
      const summary = shown.map((g) => {
        const text = describeGrant(g);
        const direct = this.edges.get(`id:${id}`)?.some((e) => e.to === CLUSTER_ADMIN && e.risk === g.risk && e.scope === g.scope);
        return direct ? `${text} → equivalent to cluster-admin` : text;
      });
      if (chain.length > 1) summary.push(`escalates to cluster-admin: ${formatChain(chain)}`);
      return { ...base, grants, summary, clusterAdminEquivalent: chain.length > 0, chain };
    });
  }
}

/** `ServiceAccount shop/api` / `User alice` / `cluster-admin`. */
export function displayIdentity(identity: string): string {
  if (identity === CLUSTER_ADMIN) return CLUSTER_ADMIN;
  const sa = parseServiceAccountUsername(identity);
  return sa ? `ServiceAccount ${sa.namespace}/${sa.name}` : `User ${identity}`;
}

/** `ServiceAccount shop/api —[can create pods in namespace shop]→ ServiceAccount shop/ci —[…]→ cluster-admin` */
export function formatChain(chain: readonly EscalationStep[]): string {
  if (chain.length === 0) return '';
  return [displayIdentity(chain[0]?.from ?? ''), ...chain.map((s) => `—[${s.action}]→ ${displayIdentity(s.to)}`)].join(' ');
}

/** Builds the escalation analysis for the workloads and service accounts among `objects`. */
export function analyseEscalation(index: RbacIndex, objects: readonly KubeObject[]): EscalationAnalysis {
  return new EscalationAnalysis(index, objects);
}

/** Token blast radius of every workload among `objects`. */
export function tokenBlastRadius(index: RbacIndex, objects: readonly KubeObject[]): WorkloadBlastRadius[] {
  return new EscalationAnalysis(index, objects).blastRadius();
}
