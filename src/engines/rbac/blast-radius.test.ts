import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../core/types.js';
import { analyseEscalation, secretTokenAccounts, tokenMount, tokenSecrets } from './blast-radius.js';
import { rbacFindings } from './findings.js';
import { buildRbac } from './rbac-index.js';
import { RISKS, subjectRisks } from './risks.js';
import { serviceAccountSubject } from './subjects.js';

const pod = (ns: string, name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { containers: [{ name: 'c', image: 'x' }], ...spec } });
const sa = (ns: string, name: string, automount?: boolean): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns }, ...(automount !== undefined ? { automountServiceAccountToken: automount } : {}) });
const role = (ns: string, name: string, rules: unknown[]): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: ns }, rules });
const cr = (name: string, rules: unknown[]): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules });
const rb = (ns: string, name: string, kind: string, roleName: string, subjects: unknown[]): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name, namespace: ns }, roleRef: { kind, name: roleName }, subjects });
const crb = (name: string, roleName: string, subjects: unknown[]): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { kind: 'ClusterRole', name: roleName }, subjects });

test('token mounting: pod field, then ServiceAccount field, default true; projected tokens count', () => {
  assert.deepEqual(tokenMount({}, undefined), { mounted: true, via: ['automount'] });
  assert.deepEqual(tokenMount({}, false), { mounted: false, via: [] });
  assert.deepEqual(tokenMount({ automountServiceAccountToken: true }, false), { mounted: true, via: ['automount'] });
  assert.deepEqual(tokenMount({ automountServiceAccountToken: false }, true), { mounted: false, via: [] });
  const projected = { automountServiceAccountToken: false, volumes: [{ name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }] };
  assert.deepEqual(tokenMount(projected, undefined), { mounted: true, via: ['projected'] });
  // a token for another audience (IRSA, Vault) does not open the API server; one for the API server does
  const forAudience = (audience: string) => ({ automountServiceAccountToken: false, volumes: [{ name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token', audience } }] } }] });
  assert.deepEqual(tokenMount(forAudience('sts.amazonaws.com'), undefined), { mounted: false, via: [] });
  assert.deepEqual(tokenMount(forAudience('vault'), undefined), { mounted: false, via: [] });
  assert.deepEqual(tokenMount(forAudience('https://kubernetes.default.svc.cluster.local'), undefined), { mounted: true, via: ['projected'] });
});

test('approving CSRs needs approve on a signer too (CertificateApproval)', () => {
  const approval = { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] };
  const signer = { apiGroups: ['certificates.k8s.io'], resources: ['signers'], resourceNames: ['kubernetes.io/kube-apiserver-client'], verbs: ['approve'] };
  const risksOf = (rules: unknown[]) =>
    subjectRisks(buildRbac([cr('c', rules), crb('b', 'c', [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }])]), serviceAccountSubject('shop', 'web')).map((g) => g.risk);
  assert.deepEqual(risksOf([approval]), []);
  assert.deepEqual(risksOf([approval, signer]), ['csr-approve']);
  assert.deepEqual(risksOf([approval, { ...signer, resourceNames: ['kubernetes.io/*'] }]), ['csr-approve']);
});

test('every risk carries a MITRE ATT&CK technique', () => {
  for (const r of RISKS) assert.match(r.technique.id, /^T\d{4}(\.\d{3})?$/, r.id);
});

test('risks: namespace and cluster scopes; names-limited rules do not count as "all secrets"', () => {
  const index = buildRbac([
    role('shop', 'r', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }, { apiGroups: [''], resources: ['configmaps'], resourceNames: ['x'], verbs: ['get'] }]),
    rb('shop', 'b', 'Role', 'r', [{ kind: 'ServiceAccount', name: 'web' }]),
    cr('limited', [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['one'], verbs: ['get'] }]),
    crb('l', 'limited', [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }]),
  ]);
  const grants = subjectRisks(index, serviceAccountSubject('shop', 'web'));
  assert.deepEqual(grants.map((g) => [g.risk, g.scope]), [['secrets-read', 'shop']]);
});

test('namespaced powers through group bindings: harmless roles bound everywhere are skipped, a risky one is still found', () => {
  const objects: KubeObject[] = [cr('view-ish', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]), cr('reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }])];
  for (let i = 0; i < 50; i++) objects.push(rb(`ns${i}`, 'view', 'ClusterRole', 'view-ish', [{ kind: 'Group', name: 'system:serviceaccounts' }]));
  objects.push(rb('ns7', 'secrets', 'ClusterRole', 'reader', [{ kind: 'Group', name: 'system:serviceaccounts' }]));
  objects.push(rb('ns9', 'web-secrets', 'ClusterRole', 'reader', [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }]));
  const index = buildRbac(objects);
  const web = subjectRisks(index, serviceAccountSubject('shop', 'web'));
  assert.deepEqual(web.map((g) => [g.risk, g.scope, g.reason.binding.name]), [['secrets-read', 'ns7', 'secrets'], ['secrets-read', 'ns9', 'web-secrets']]);
  const other = subjectRisks(index, serviceAccountSubject('shop', 'api'));
  assert.deepEqual(other.map((g) => [g.risk, g.scope]), [['secrets-read', 'ns7']]);
});

test('escalation: create pods in a namespace reaches its service accounts; the chain ends at cluster-admin', () => {
  const objects = [
    sa('shop', 'web'),
    sa('shop', 'deployer'),
    pod('shop', 'web', { serviceAccountName: 'web' }),
    pod('shop', 'quiet', { serviceAccountName: 'web', automountServiceAccountToken: false }),
    role('shop', 'pods', [{ apiGroups: [''], resources: ['pods'], verbs: ['create'] }]),
    rb('shop', 'web-pods', 'Role', 'pods', [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }]),
    cr('binder', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] }]),
    crb('deployer-bind', 'binder', [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'shop' }]),
  ];
  const index = buildRbac(objects);
  const blast = analyseEscalation(index, objects).blastRadius();
  const web = blast.find((b) => b.workload.name === 'web');
  assert.ok(web);
  assert.equal(web.clusterAdminEquivalent, true);
  assert.deepEqual(web.chain.map((s) => [s.from, s.risk, s.to]), [
    ['system:serviceaccount:shop:web', 'workload-create', 'system:serviceaccount:shop:deployer'],
    ['system:serviceaccount:shop:deployer', 'rbac-escalate', 'cluster-admin'],
  ]);
  const quiet = blast.find((b) => b.workload.name === 'quiet');
  assert.deepEqual(quiet?.grants, []);
  assert.equal(quiet?.token.mounted, false);
  const findings = rbacFindings(index, objects);
  assert.ok(findings.some((f) => f.ruleId === 'rbac-escalation-chain' && f.resource?.name === 'web'));
  assert.ok(findings.some((f) => f.ruleId === 'rbac-token-blast-radius' && f.severity === 'critical'));
});

test('create pods in kube-system is cluster-admin-equivalent', () => {
  const objects = [pod('kube-system', 'agent', {}), role('kube-system', 'r', [{ apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['create'] }]), rb('kube-system', 'b', 'Role', 'r', [{ kind: 'ServiceAccount', name: 'default' }])];
  const [b] = analyseEscalation(buildRbac(objects), objects).blastRadius();
  assert.ok(b);
  assert.deepEqual(b.summary, ['can create pods in namespace kube-system → equivalent to cluster-admin']);
  assert.equal(b.clusterAdminEquivalent, true);
});

test('a mounted legacy token Secret is the token of the account it names, once per account', () => {
  const secrets = tokenSecrets([
    { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 'power-token', namespace: 'a', annotations: { 'kubernetes.io/service-account.name': 'power' } } },
    { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'plain', namespace: 'a' } },
  ] as KubeObject[]);
  assert.deepEqual([...secrets], [['a/power-token', 'power']]);
  const spec = { volumes: [{ name: 't', secret: { secretName: 'power-token' } }, { name: 'p', secret: { secretName: 'plain' } }, { name: 't2', secret: { secretName: 'power-token' } }] };
  assert.deepEqual(secretTokenAccounts(spec, 'a', secrets), ['power']);
  assert.deepEqual(secretTokenAccounts(spec, 'b', secrets), [], 'a Secret of another namespace cannot be mounted');
});

test('Roles and RoleBindings written without a namespace are in default, as kubectl apply creates them', () => {
  const objects = [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'secret-reader' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'app' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'secret-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'app' }] },
  ] as KubeObject[];
  const index = buildRbac(objects);
  const app = serviceAccountSubject('default', 'app');
  assert.equal(index.can(app, { verb: 'list', resource: 'secrets', namespace: 'default' }), true);
  assert.equal(index.can(app, { verb: 'list', resource: 'secrets', namespace: 'other' }), false);
  assert.deepEqual(index.problems, []);
});

test('escalation through named grants, template edits and stored legacy tokens', () => {
  const chainOf = (objects: KubeObject[], podName: string) => {
    const blast = analyseEscalation(buildRbac(objects), objects).blastRadius();
    return blast.find((b) => b.workload.name === podName)?.chain.map((s) => [s.risk, s.to]);
  };
  // bind limited to cluster-admin by name, impersonating system:masters by name: authorised with those names
  const named = [
    sa('app', 'binder'),
    pod('app', 'binder', { serviceAccountName: 'binder' }),
    cr('bind-admin', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: ['cluster-admin'], verbs: ['bind'] }]),
    crb('binder', 'bind-admin', [{ kind: 'ServiceAccount', name: 'binder', namespace: 'app' }]),
    sa('app', 'imp'),
    pod('app', 'imp', { serviceAccountName: 'imp' }),
    cr('imp-masters', [{ apiGroups: [''], resources: ['groups'], resourceNames: ['system:masters'], verbs: ['impersonate'] }]),
    crb('imp', 'imp-masters', [{ kind: 'ServiceAccount', name: 'imp', namespace: 'app' }]),
  ];
  assert.deepEqual(chainOf(named, 'binder'), [['rbac-escalate', 'cluster-admin']]);
  assert.deepEqual(chainOf(named, 'imp'), [['impersonate', 'cluster-admin']]);
  // patching a Deployment (its service account) makes its controller create pods as anyone in the namespace
  const patch = [
    sa('app', 'ci'),
    sa('app', 'admin'),
    pod('app', 'ci', { serviceAccountName: 'ci' }),
    role('app', 'patcher', [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'patch'] }]),
    rb('app', 'patcher', 'Role', 'patcher', [{ kind: 'ServiceAccount', name: 'ci', namespace: 'app' }]),
    crb('admin', 'cluster-admin', [{ kind: 'ServiceAccount', name: 'admin', namespace: 'app' }]),
    cr('cluster-admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
  ];
  assert.deepEqual(chainOf(patch, 'ci'), [['workload-create', 'system:serviceaccount:app:admin'], ['cluster-admin', 'cluster-admin']]);
  // reading Secrets where a legacy token of a powerful account is stored
  const stored = [
    sa('app', 'web'),
    sa('ops', 'admin-sa'),
    pod('app', 'web', { serviceAccountName: 'web' }),
    { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 'admin-sa-token', namespace: 'ops', annotations: { 'kubernetes.io/service-account.name': 'admin-sa' } } } as KubeObject,
    role('ops', 'read-secrets', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }]),
    rb('ops', 'web-read', 'Role', 'read-secrets', [{ kind: 'ServiceAccount', name: 'web', namespace: 'app' }]),
    crb('admin-sa', 'cluster-admin', [{ kind: 'ServiceAccount', name: 'admin-sa', namespace: 'ops' }]),
    cr('cluster-admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
  ];
  assert.deepEqual(chainOf(stored, 'web'), [['secrets-read', 'system:serviceaccount:ops:admin-sa'], ['cluster-admin', 'cluster-admin']]);
});
