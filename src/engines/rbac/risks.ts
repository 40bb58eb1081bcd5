/**
 * Dangerous RBAC powers, as data: each with the requests that prove it, its severity and
 * its MITRE ATT&CK technique (ATT&CK for Containers where one fits). `subjectRisks`
 * evaluates the catalog for one subject, cluster-wide and in every namespace where a
 * RoleBinding applies to it. Only grants that hold for any object name count (a rule
 * limited by resourceNames is not "all secrets").
 */
import type { Severity } from '../../core/types.js';
import { RbacIndex, type CompiledBinding } from './rbac-index.js';
import { bindingSubjectApplies } from './subjects.js';
import type { Reason, ResourceAttributes, Subject } from './types.js';
import { BoundedCache } from '../../core/bounded-cache.js';

export type RiskId =
  | 'cluster-admin'
  | 'secrets-read'
  | 'workload-create'
  | 'pod-exec'
  | 'pod-portforward'
  | 'nodes-proxy'
  | 'impersonate'
  | 'rbac-escalate'
  | 'sa-token-create'
  | 'csr-approve'
  | 'webhook-edit'
  | 'pv-create';

export interface Technique {
  id: string;
  name: string;
}

export interface RiskDefinition {
  id: RiskId;
  title: string;
  severity: Severity;
  technique: Technique;
  /** Cluster-scoped resources: only ClusterRoleBindings can grant them. */
  clusterScoped: boolean;
  /**
   * Any one of these requests (namespace filled in) proves the power. `clusterOnly` ones are
   * authorised without a namespace, so only ClusterRoleBindings grant them (impersonating
   * users and groups: the API server asks with no namespace).
   */
  anyOf: Array<Omit<ResourceAttributes, 'namespace'> & { clusterOnly?: true }>;
  /** When set, the power also needs one of these (authorised cluster-wide, with no namespace). */
  alsoOneOf?: Array<Omit<ResourceAttributes, 'namespace'>>;
  /** Verb phrase for summaries: "can read all secrets", "can create pods". */
  phrase: string;
}

const T = {
  validAccounts: { id: 'T1078', name: 'Valid Accounts' },
  containerApi: { id: 'T1552.007', name: 'Unsecured Credentials: Container API' },
  deployContainer: { id: 'T1610', name: 'Deploy Container' },
  adminCommand: { id: 'T1609', name: 'Container Administration Command' },
  clusterRoles: { id: 'T1098.006', name: 'Account Manipulation: Additional Container Cluster Roles' },
  stealToken: { id: 'T1528', name: 'Steal Application Access Token' },
  forgeCerts: { id: 'T1649', name: 'Steal or Forge Authentication Certificates' },
  impairDefenses: { id: 'T1562.001', name: 'Impair Defenses: Disable or Modify Tools' },
  escapeToHost: { id: 'T1611', name: 'Escape to Host' },
} as const;

const rbacGroup = 'rbac.authorization.k8s.io';

export const RISKS: readonly RiskDefinition[] = [
  { id: 'cluster-admin', title: 'Full control: * verbs on * resources in * groups', severity: 'critical', technique: T.validAccounts, clusterScoped: false, anyOf: [{ verb: '*', apiGroup: '*', resource: '*' }], phrase: 'has every permission (* on *)' },
  {
    id: 'secrets-read',
    title: 'Read secrets',
    severity: 'high',
    technique: T.containerApi,
    clusterScoped: false,
    anyOf: [
      { verb: 'get', apiGroup: '', resource: 'secrets' },
      { verb: 'list', apiGroup: '', resource: 'secrets' },
      { verb: 'watch', apiGroup: '', resource: 'secrets' },
    ],
    phrase: 'can read all secrets',
  },
  {
    id: 'workload-create',
    title: 'Create pods or pod-owning workloads (mount any service account of the namespace)',
    severity: 'high',
    technique: T.deployContainer,
    clusterScoped: false,
    anyOf: [
      { verb: 'create', apiGroup: '', resource: 'pods' },
      { verb: 'create', apiGroup: 'apps', resource: 'deployments' },
      { verb: 'create', apiGroup: 'apps', resource: 'daemonsets' },
      { verb: 'create', apiGroup: 'apps', resource: 'statefulsets' },
      { verb: 'create', apiGroup: 'apps', resource: 'replicasets' },
      { verb: 'create', apiGroup: '', resource: 'replicationcontrollers' },
      { verb: 'create', apiGroup: 'batch', resource: 'jobs' },
      { verb: 'create', apiGroup: 'batch', resource: 'cronjobs' },
      // Changing a controller's pod template (its service account included) makes it create
      // new pods from it: as good as creating them. (A Job's template is immutable.)
      ...(['deployments', 'daemonsets', 'statefulsets', 'replicasets'] as const).flatMap((resource) => (['patch', 'update'] as const).map((verb) => ({ verb, apiGroup: 'apps', resource }))),
      { verb: 'patch', apiGroup: '', resource: 'replicationcontrollers' },
      { verb: 'update', apiGroup: '', resource: 'replicationcontrollers' },
      { verb: 'patch', apiGroup: 'batch', resource: 'cronjobs' },
      { verb: 'update', apiGroup: 'batch', resource: 'cronjobs' },
    ],
    phrase: 'can create pods',
  },
  {
    id: 'pod-exec',
    title: 'Exec into or attach to pods',
    severity: 'high',
    technique: T.adminCommand,
    clusterScoped: false,
    anyOf: [
      { verb: 'create', apiGroup: '', resource: 'pods', subresource: 'exec' },
      { verb: 'create', apiGroup: '', resource: 'pods', subresource: 'attach' },
      { verb: 'get', apiGroup: '', resource: 'pods', subresource: 'exec' },
    ],
    phrase: 'can exec into pods',
  },
  { id: 'pod-portforward', title: 'Port-forward to pods', severity: 'medium', technique: T.adminCommand, clusterScoped: false, anyOf: [{ verb: 'create', apiGroup: '', resource: 'pods', subresource: 'portforward' }], phrase: 'can port-forward to pods' },
  {
    id: 'nodes-proxy',
    title: 'Proxy to the kubelet API (nodes/proxy): exec in any pod of a node',
    severity: 'critical',
    technique: T.adminCommand,
    clusterScoped: true,
    anyOf: [
      { verb: 'get', apiGroup: '', resource: 'nodes', subresource: 'proxy' },
      { verb: 'create', apiGroup: '', resource: 'nodes', subresource: 'proxy' },
    ],
    phrase: 'can reach the kubelet API of every node (nodes/proxy)',
  },
  {
    id: 'impersonate',
    title: 'Impersonate users, groups or service accounts',
    severity: 'critical',
    technique: T.validAccounts,
    clusterScoped: false,
    anyOf: [
      { verb: 'impersonate', apiGroup: '', resource: 'users', clusterOnly: true },
      { verb: 'impersonate', apiGroup: '', resource: 'groups', clusterOnly: true },
      // The API server authorises impersonation with the target's name: a rule limited to it counts.
      { verb: 'impersonate', apiGroup: '', resource: 'groups', name: 'system:masters', clusterOnly: true },
      { verb: 'impersonate', apiGroup: '', resource: 'serviceaccounts' },
    ],
    phrase: 'can impersonate other identities',
  },
  {
    id: 'rbac-escalate',
    title: 'Bind or escalate roles (grant permissions it does not hold)',
    severity: 'critical',
    technique: T.clusterRoles,
    clusterScoped: false,
    anyOf: [
      { verb: 'bind', apiGroup: rbacGroup, resource: 'clusterroles' },
      { verb: 'escalate', apiGroup: rbacGroup, resource: 'clusterroles' },
      { verb: 'bind', apiGroup: rbacGroup, resource: 'roles' },
      { verb: 'escalate', apiGroup: rbacGroup, resource: 'roles' },
      // Binding is authorised with the role's name (escalation_check.go): bind on cluster-admin alone is enough.
      { verb: 'bind', apiGroup: rbacGroup, resource: 'clusterroles', name: 'cluster-admin' },
    ],
    phrase: 'can bind or escalate roles',
  },
  { id: 'sa-token-create', title: 'Create service-account tokens', severity: 'high', technique: T.stealToken, clusterScoped: false, anyOf: [{ verb: 'create', apiGroup: '', resource: 'serviceaccounts', subresource: 'token' }], phrase: 'can mint tokens for service accounts' },
  {
    id: 'csr-approve',
    title: 'Approve certificate signing requests',
    severity: 'high',
    technique: T.forgeCerts,
    clusterScoped: true,
    anyOf: [
      { verb: 'update', apiGroup: 'certificates.k8s.io', resource: 'certificatesigningrequests', subresource: 'approval' },
      { verb: 'patch', apiGroup: 'certificates.k8s.io', resource: 'certificatesigningrequests', subresource: 'approval' },
    ],
    // The CertificateApproval admission plugin: `approve` on the CSR's signer, by its name or
    // its domain wildcard; the API server's client signer is the one that makes identities.
    alsoOneOf: [
      { verb: 'approve', apiGroup: 'certificates.k8s.io', resource: 'signers', name: 'kubernetes.io/kube-apiserver-client' },
      { verb: 'approve', apiGroup: 'certificates.k8s.io', resource: 'signers', name: 'kubernetes.io/*' },
    ],
    phrase: 'can approve certificate signing requests',
  },
  {
    id: 'webhook-edit',
    title: 'Create or change admission webhook configurations',
    severity: 'high',
    technique: T.impairDefenses,
    clusterScoped: true,
    anyOf: ['create', 'update', 'patch'].flatMap((verb) =>
      ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'].map((resource) => ({ verb, apiGroup: 'admissionregistration.k8s.io', resource })),
    ),
    phrase: 'can change admission webhooks',
  },
  { id: 'pv-create', title: 'Create PersistentVolumes (hostPath: node filesystem)', severity: 'high', technique: T.escapeToHost, clusterScoped: true, anyOf: [{ verb: 'create', apiGroup: '', resource: 'persistentvolumes' }], phrase: 'can create PersistentVolumes (hostPath)' },
];

export const RISK_BY_ID: ReadonlyMap<RiskId, RiskDefinition> = new Map(RISKS.map((r) => [r.id, r]));

/** One dangerous power held by a subject, in one scope, with the grant that gives it. */
export interface RiskGrant {
  risk: RiskId;
  severity: Severity;
  technique: Technique;
  /** Namespace, or `*` for every namespace / cluster-wide. */
  scope: string;
  /** The request that proved it, and why it is allowed. */
  request: ResourceAttributes;
  reason: Reason;
}

/**
 * Every catalogued power of `subject`: cluster-wide ones (scope `*`) and, for namespaced
 * powers, those granted in single namespaces by RoleBindings (omitted where already held cluster-wide).
 */
export function subjectRisks(index: RbacIndex, subject: Subject): RiskGrant[] {
  const out: RiskGrant[] = [];
  // Only namespaces where some binding's role could grant a namespaced power: a group bound
  // to a harmless role in every namespace costs nothing per subject.
  const namespaces = index.bindingNamespacesWhere(subject, grantsSomeNamespacedRisk);
  const scopes = new Map<string, CompiledBinding[]>();
  const bindingsIn = (ns: string): CompiledBinding[] => {
    let l = scopes.get(ns);
    if (!l) scopes.set(ns, (l = index.bindingsFor(subject, ns)));
    return l;
  };
  const cluster = clusterGrants(index, subject, bindingsIn(''));
  for (const def of RISKS) {
    const held = cluster.get(def.id);
    if (held) {
      out.push(held);
      continue;
    }
    if (def.clusterScoped) continue;
    for (const ns of namespaces) {
      const found = firstGrant(def, bindingsIn(ns), subject, ns);
      if (found) out.push(found);
    }
  }
  return out;
}

/** Whether a role can grant any namespaced power at all (rules never depend on the namespace). */
const riskyRoles = new WeakMap<object, boolean>();

function grantsSomeNamespacedRisk(b: CompiledBinding): boolean {
  const role = b.compiled;
  if (!role) return false;
  let risky = riskyRoles.get(role);
  if (risky === undefined) {
    risky = RISKS.some((def) => !def.clusterScoped && requestsFor(def, '').some((q) => RbacIndex.roleAllows(b, q)));
    riskyRoles.set(role, risky);
  }
  return risky;
}

/** The requests that prove a power in one namespace, built once and shared (they are never mutated). */
const requestCache = new BoundedCache<string, readonly ResourceAttributes[]>(100_000);

function requestsFor(def: RiskDefinition, ns: string): readonly ResourceAttributes[] {
  return requestCache.getOr(`${def.id}\0${ns}`, () =>
    def.anyOf.filter((q) => ns === '' || !q.clusterOnly).map(({ clusterOnly: _cluster, ...q }) => ({ ...q, namespace: ns })),
  );
}

function firstGrant(def: RiskDefinition, bindings: readonly CompiledBinding[], subject: Subject, ns: string): RiskGrant | undefined {
  if (bindings.length === 0) return undefined;
  if (def.alsoOneOf && !def.alsoOneOf.some((q) => RbacIndex.firstReason(bindings, subject, { ...q, namespace: '' }))) return undefined;
  for (const request of requestsFor(def, ns)) {
    const reason = RbacIndex.firstReason(bindings, subject, request);
    if (reason) return { risk: def.id, severity: def.severity, technique: def.technique, scope: ns === '' ? '*' : ns, request, reason };
  }
  return undefined;
}

/**
 * Cluster-wide grants, shared by every subject that the same ClusterRoleBindings match through
 * the same subject entries (typically every service account, through the groups
 * system:serviceaccounts and system:authenticated): the answer depends on nothing else.
 */
const clusterMemo = new WeakMap<RbacIndex, Map<string, Map<RiskId, RiskGrant>>>();

function clusterGrants(index: RbacIndex, subject: Subject, bindings: readonly CompiledBinding[]): Map<RiskId, RiskGrant> {
  let memo = clusterMemo.get(index);
  if (!memo) clusterMemo.set(index, (memo = new Map()));
  const key = bindings.map((b) => `${b.ref.kind}/${b.ref.name}#${b.subjects.findIndex((s) => bindingSubjectApplies(s, subject))}`).join('|');
  let grants = memo.get(key);
  if (!grants) {
    grants = new Map();
    for (const def of RISKS) {
      const g = firstGrant(def, bindings, subject, '');
      if (g) grants.set(def.id, g);
    }
    memo.set(key, grants);
  }
  return grants;
}

/** "can read all secrets in namespace shop" / "… in all namespaces" / "… (cluster-wide)". */
export function describeGrant(g: Pick<RiskGrant, 'risk' | 'scope'>): string {
  const def = RISK_BY_ID.get(g.risk);
  const phrase = def?.phrase ?? g.risk;
  if (def?.clusterScoped) return phrase;
  return g.scope === '*' ? `${phrase} in all namespaces` : `${phrase} in namespace ${g.scope}`;
}
