/**
 * Conformance table: edge cases of the Kubernetes RBAC authorizer, each traced to the
 * documentation (https://kubernetes.io/docs/reference/access-authn-authz/rbac/, anchors
 * below) or, where the docs are silent, to the authorizer source it follows
 * (k8s.io/kubernetes pkg/apis/rbac/v1/evaluation_helpers.go, pkg/registry/rbac/validation/rule.go).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../core/types.js';
import { buildRbac } from './rbac-index.js';
import { anonymousSubject, bindingSubjectApplies, impersonatedSubject, serviceAccountSubject } from './subjects.js';
import type { RequestAttributes, Subject } from './types.js';

const DOCS = 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/';
const SRC = 'k8s.io/kubernetes pkg/apis/rbac/v1/evaluation_helpers.go';
const RESOLVER = 'k8s.io/kubernetes pkg/registry/rbac/validation/rule.go';

type Rule = { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; nonResourceURLs?: string[] };
type Subj = { kind: string; name: string; namespace?: string; apiGroup?: string };

const role = (ns: string, name: string, rules: Rule[]): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: ns }, rules });
const clusterRole = (name: string, rules: Rule[], extra: Record<string, unknown> = {}, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name, ...(labels ? { labels } : {}) },
  rules,
  ...extra,
});
const rb = (ns: string, name: string, roleKind: string, roleName: string, subjects: Subj[]): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name, namespace: ns },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: roleName },
  subjects,
});
const crb = (name: string, roleName: string, subjects: Subj[], roleKind = 'ClusterRole'): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: roleName },
  subjects,
});
const user = (name: string): Subj => ({ kind: 'User', name, apiGroup: 'rbac.authorization.k8s.io' });
const group = (name: string): Subj => ({ kind: 'Group', name, apiGroup: 'rbac.authorization.k8s.io' });
const sa = (namespace: string | undefined, name: string): Subj => ({ kind: 'ServiceAccount', name, ...(namespace !== undefined ? { namespace } : {}) });
const jane: Subject = { user: 'jane', groups: ['system:authenticated'] };

interface Case {
  title: string;
  ref: string;
  objects: KubeObject[];
  subject: Subject;
  attrs: RequestAttributes;
  allowed: boolean;
}

const podReader = role('default', 'pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch', 'list'] }]);
const secretReader = clusterRole('secret-reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }]);

const cases: Case[] = [
  // Role and ClusterRole; RoleBinding and ClusterRoleBinding
  { title: 'Role grants in its namespace', ref: `${DOCS}#role-example`, objects: [podReader, rb('default', 'read-pods', 'Role', 'pod-reader', [user('jane')])], subject: jane, attrs: { verb: 'get', resource: 'pods', namespace: 'default' }, allowed: true },
  { title: 'Role grants nothing in another namespace', ref: `${DOCS}#role-example`, objects: [podReader, rb('default', 'read-pods', 'Role', 'pod-reader', [user('jane')])], subject: jane, attrs: { verb: 'get', resource: 'pods', namespace: 'other' }, allowed: false },
  { title: 'RoleBinding grants nothing cluster-wide (no namespace)', ref: `${DOCS}#rolebinding-example`, objects: [podReader, rb('default', 'read-pods', 'Role', 'pod-reader', [user('jane')])], subject: jane, attrs: { verb: 'list', resource: 'pods' }, allowed: false },
  { title: 'RoleBinding to a ClusterRole grants only in the binding namespace', ref: `${DOCS}#rolebinding-example`, objects: [secretReader, rb('development', 'read-secrets', 'ClusterRole', 'secret-reader', [user('dave')])], subject: { user: 'dave', groups: [] }, attrs: { verb: 'get', resource: 'secrets', namespace: 'development' }, allowed: true },
  { title: 'RoleBinding to a ClusterRole: other namespace denied', ref: `${DOCS}#rolebinding-example`, objects: [secretReader, rb('development', 'read-secrets', 'ClusterRole', 'secret-reader', [user('dave')])], subject: { user: 'dave', groups: [] }, attrs: { verb: 'get', resource: 'secrets', namespace: 'prod' }, allowed: false },
  { title: 'ClusterRoleBinding grants in every namespace', ref: `${DOCS}#clusterrolebinding-example`, objects: [secretReader, crb('read-secrets-global', 'secret-reader', [group('manager')])], subject: { user: 'x', groups: ['manager'] }, attrs: { verb: 'list', resource: 'secrets', namespace: 'any' }, allowed: true },
  { title: 'ClusterRoleBinding grants across all namespaces (no namespace)', ref: `${DOCS}#clusterrolebinding-example`, objects: [secretReader, crb('read-secrets-global', 'secret-reader', [group('manager')])], subject: { user: 'x', groups: ['manager'] }, attrs: { verb: 'list', resource: 'secrets' }, allowed: true },
  { title: 'ClusterRoleBinding to a Role grants nothing', ref: `${DOCS}#rolebinding-and-clusterrolebinding`, objects: [podReader, crb('bad', 'pod-reader', [user('jane')], 'Role')], subject: jane, attrs: { verb: 'get', resource: 'pods', namespace: 'default' }, allowed: false },
  { title: 'RoleBinding to a Role of another namespace grants nothing', ref: RESOLVER, objects: [podReader, rb('other', 'read-pods', 'Role', 'pod-reader', [user('jane')])], subject: jane, attrs: { verb: 'get', resource: 'pods', namespace: 'other' }, allowed: false },
  { title: 'binding to a missing role grants nothing', ref: RESOLVER, objects: [crb('dangling', 'nope', [user('jane')])], subject: jane, attrs: { verb: 'get', resource: 'pods' }, allowed: false },
  { title: 'a namespaced RoleBinding applies to a cluster-scoped resource asked with that namespace (the authorizer knows no scope)', ref: RESOLVER, objects: [clusterRole('node-reader', [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }]), rb('ns1', 'n', 'ClusterRole', 'node-reader', [user('jane')])], subject: jane, attrs: { verb: 'get', resource: 'nodes', namespace: 'ns1' }, allowed: true },
  { title: 'the same RoleBinding does not grant the cluster-scoped resource without a namespace', ref: `${DOCS}#rolebinding-and-clusterrolebinding`, objects: [clusterRole('node-reader', [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }]), rb('ns1', 'n', 'ClusterRole', 'node-reader', [user('jane')])], subject: jane, attrs: { verb: 'get', resource: 'nodes' }, allowed: false },
  // Referring to resources
  { title: 'pods does not grant the subresource pods/log', ref: `${DOCS}#referring-to-resources`, objects: [clusterRole('r', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]), crb('b', 'r', [user('jane')])], subject: jane, attrs: { verb: 'get', resource: 'pods', subresource: 'log', namespace: 'default' }, allowed: false },
  { title: 'pods/log grants the subresource', ref: `${DOCS}#referring-to-resources`, objects: [clusterRole('r', [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get'] }]), crb('b', 'r', [user('jane')])], subject: jane, attrs: { verb: 'get', resource: 'pods', subresource: 'log', namespace: 'default' }, allowed: true },
  { title: '*/scale grants the scale subresource of any resource', ref: SRC, objects: [clusterRole('r', [{ apiGroups: ['apps'], resources: ['*/scale'], verbs: ['update'] }]), crb('b', 'r', [user('jane')])], subject: jane, attrs: { verb: 'update', apiGroup: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'x' }, allowed: true },
  { title: '*/scale does not grant the resource itself', ref: SRC, objects: [clusterRole('r', [{ apiGroups: ['apps'], resources: ['*/scale'], verbs: ['update'] }]), crb('b', 'r', [user('jane')])], subject: jane, attrs: { verb: 'update', apiGroup: 'apps', resource: 'deployments', namespace: 'x' }, allowed: false },
  { title: '*/scale does not grant another subresource ending in "scale"', ref: SRC, objects: [clusterRole('r', [{ apiGroups: [''], resources: ['*/scale'], verbs: ['get'] }]), crb('b', 'r', [user('jane')])], subject: jane, attrs: { verb: 'get', resource: 'x', subresource: 'rescale' }, allowed: false },
  { title: 'pods/* is not a wildcard: it does not grant pods/exec', ref: SRC, objects: [clusterRole('r', [{ apiGroups: [''], resources: ['pods/*'], verbs: ['create'] }]), crb('b', 'r', [user('jane')])], subject: jane, attrs: { verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'x' }, allowed: false },
  { title: 'resources * grants subresources too', ref: `${DOCS}#referring-to-resources`, objects: [clusterRole('r', [{ apiGroups: [''], resources: ['*'], verbs: ['create'] }]), crb('b', 'r', [user('jane')])], subject: jane, attrs: { verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'x' }, allowed: true },
  { title: 'resources * is limited to the listed apiGroups', ref: `${DOCS}#referring-to-resources`, objects: [clusterRole('r', [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }]), crb('b', 'r', [user('jane')])], subject: jane, attrs: { verb: 'get', apiGroup: 'apps', resource: 'deployments' }, allowed: false },
  { title: 'apiGroups * grants every group', ref: `${DOCS}#referring-to-resources`, objects: [clusterRole('r', [{ apiGroups: ['*'], resources: ['deployments'], verbs: ['get'] }]), crb('b', 'r', [user('jane')])], subject: jane, attrs: { verb: 'get', apiGroup: 'apps', resource: 'deployments' }, allowed: true },
  { title: 'verbs * grants any verb, even custom ones', ref: `${DOCS}#referring-to-resources`, objects: [clusterRole('r', [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['*'] }]), crb('b', 'r', [user('jane')])], subject: jane, attrs: { verb: 'impersonate', resource: 'serviceaccounts' }, allowed: true },
  { title: 'the core group is "" and does not match apps', ref: `${DOCS}#referring-to-resources`, objects: [clusterRole('r', [{ apiGroups: [''], resources: ['deployments'], verbs: ['get'] }]), crb('b', 'r', [user('jane')])], subject: jane, attrs: { verb: 'get', apiGroup: 'apps', resource: 'deployments' }, allowed: false },
  { title: 'resourceNames grant get of that name', ref: `${DOCS}#referring-to-resources`, objects: [role('default', 'r', [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['my-configmap'], verbs: ['update', 'get'] }]), rb('default', 'b', 'Role', 'r', [user('jane')])], subject: jane, attrs: { verb: 'get', resource: 'configmaps', name: 'my-configmap', namespace: 'default' }, allowed: true },
  { title: 'resourceNames: another name is denied', ref: `${DOCS}#referring-to-resources`, objects: [role('default', 'r', [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['my-configmap'], verbs: ['update', 'get'] }]), rb('default', 'b', 'Role', 'r', [user('jane')])], subject: jane, attrs: { verb: 'get', resource: 'configmaps', name: 'other', namespace: 'default' }, allowed: false },
  { title: 'resourceNames: list (no name) is denied', ref: `${DOCS}#referring-to-resources`, objects: [role('default', 'r', [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['my-configmap'], verbs: ['list'] }]), rb('default', 'b', 'Role', 'r', [user('jane')])], subject: jane, attrs: { verb: 'list', resource: 'configmaps', namespace: 'default' }, allowed: false },
  { title: 'resourceNames: create (no name) is denied', ref: `${DOCS}#referring-to-resources`, objects: [role('default', 'r', [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['my-configmap'], verbs: ['create'] }]), rb('default', 'b', 'Role', 'r', [user('jane')])], subject: jane, attrs: { verb: 'create', resource: 'configmaps', namespace: 'default' }, allowed: false },
  { title: 'resourceNames "*" is a literal name, not a wildcard', ref: SRC, objects: [clusterRole('r', [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['*'], verbs: ['get'] }]), crb('b', 'r', [user('jane')])], subject: jane, attrs: { verb: 'get', resource: 'secrets', name: 'db', namespace: 'x' }, allowed: false },
  // Non-resource URLs
  { title: 'nonResourceURLs exact match', ref: `${DOCS}#referring-to-resources`, objects: [clusterRole('r', [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }]), crb('b', 'r', [user('jane')])], subject: jane, attrs: { verb: 'get', path: '/healthz' }, allowed: true },
  { title: 'nonResourceURLs /healthz/* matches below the prefix', ref: `${DOCS}#referring-to-resources`, objects: [clusterRole('r', [{ nonResourceURLs: ['/healthz/*'], verbs: ['get'] }]), crb('b', 'r', [user('jane')])], subject: jane, attrs: { verb: 'get', path: '/healthz/ping' }, allowed: true },
  { title: 'nonResourceURLs /healthz/* does not match /healthz', ref: `${DOCS}#referring-to-resources`, objects: [clusterRole('r', [{ nonResourceURLs: ['/healthz/*'], verbs: ['get'] }]), crb('b', 'r', [user('jane')])], subject: jane, attrs: { verb: 'get', path: '/healthz' }, allowed: false },
  { title: 'nonResourceURLs /logs* matches /logs/kube (plain prefix)', ref: SRC, objects: [clusterRole('r', [{ nonResourceURLs: ['/logs*'], verbs: ['get'] }]), crb('b', 'r', [user('jane')])], subject: jane, attrs: { verb: 'get', path: '/logs/kube' }, allowed: true },
  { title: 'nonResourceURLs * matches every path', ref: SRC, objects: [clusterRole('r', [{ nonResourceURLs: ['*'], verbs: ['get'] }]), crb('b', 'r', [user('jane')])], subject: jane, attrs: { verb: 'get', path: '/metrics' }, allowed: true },
  { title: 'nonResourceURLs: verb must still match (post vs get)', ref: `${DOCS}#referring-to-resources`, objects: [clusterRole('r', [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }]), crb('b', 'r', [user('jane')])], subject: jane, attrs: { verb: 'post', path: '/healthz' }, allowed: false },
  { title: 'nonResourceURLs in a ClusterRole bound by a RoleBinding grant nothing', ref: `${DOCS}#role-and-clusterrole`, objects: [clusterRole('r', [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }]), rb('default', 'b', 'ClusterRole', 'r', [user('jane')])], subject: jane, attrs: { verb: 'get', path: '/healthz' }, allowed: false },
  { title: 'a resource rule never grants a non-resource URL', ref: SRC, objects: [clusterRole('r', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]), crb('b', 'r', [user('jane')])], subject: jane, attrs: { verb: 'get', path: '/healthz' }, allowed: false },
  // Aggregated ClusterRoles
  {
    title: 'aggregated ClusterRole gets the rules of ClusterRoles its selector matches',
    ref: `${DOCS}#aggregated-clusterroles`,
    objects: [
      clusterRole('monitoring', [], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }] } }),
      clusterRole('monitoring-endpoints', [{ apiGroups: [''], resources: ['services', 'endpointslices', 'pods'], verbs: ['get', 'list', 'watch'] }], {}, { 'rbac.example.com/aggregate-to-monitoring': 'true' }),
      crb('b', 'monitoring', [user('jane')]),
    ],
    subject: jane,
    attrs: { verb: 'list', resource: 'pods' },
    allowed: true,
  },
  {
    title: 'aggregation replaces the aggregated role’s own rules',
    ref: `${DOCS}#aggregated-clusterroles`,
    objects: [
      clusterRole('monitoring', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { agg: 'yes' } }] } }),
      clusterRole('part', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }], {}, { agg: 'yes' }),
      crb('b', 'monitoring', [user('jane')]),
    ],
    subject: jane,
    attrs: { verb: 'get', resource: 'secrets' },
    allowed: false,
  },
  {
    title: 'nested aggregation converges',
    ref: `${DOCS}#aggregated-clusterroles`,
    objects: [
      clusterRole('top', [], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { level: 'mid' } }] } }),
      clusterRole('mid', [], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { level: 'leaf' } }] } }, { level: 'mid' }),
      clusterRole('leaf', [{ apiGroups: ['batch'], resources: ['jobs'], verbs: ['create'] }], {}, { level: 'leaf' }),
      crb('b', 'top', [user('jane')]),
    ],
    subject: jane,
    attrs: { verb: 'create', apiGroup: 'batch', resource: 'jobs', namespace: 'ci' },
    allowed: true,
  },
  {
    title: 'the built-in edit role is extended through aggregate-to-edit',
    ref: `${DOCS}#default-roles-and-role-bindings`,
    objects: [
      clusterRole('edit', [], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } }] } }),
      clusterRole('crontab-edit', [{ apiGroups: ['stable.example.com'], resources: ['crontabs'], verbs: ['create', 'update'] }], {}, { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' }),
      rb('team', 'b', 'ClusterRole', 'edit', [group('devs')]),
    ],
    subject: { user: 'x', groups: ['devs'] },
    attrs: { verb: 'create', apiGroup: 'stable.example.com', resource: 'crontabs', namespace: 'team' },
    allowed: true,
  },
  // Referring to subjects
  { title: 'user names are case-sensitive', ref: `${DOCS}#referring-to-subjects`, objects: [secretReader, crb('b', 'secret-reader', [user('Alice')])], subject: { user: 'alice', groups: [] }, attrs: { verb: 'get', resource: 'secrets' }, allowed: false },
  { title: 'group system:serviceaccounts:<ns> grants every SA of that namespace', ref: `${DOCS}#referring-to-subjects`, objects: [podReader, rb('default', 'b', 'Role', 'pod-reader', [group('system:serviceaccounts:qa')])], subject: serviceAccountSubject('qa', 'anything'), attrs: { verb: 'get', resource: 'pods', namespace: 'default' }, allowed: true },
  { title: 'group system:serviceaccounts grants every SA', ref: `${DOCS}#referring-to-subjects`, objects: [secretReader, crb('b', 'secret-reader', [group('system:serviceaccounts')])], subject: serviceAccountSubject('x', 'y'), attrs: { verb: 'get', resource: 'secrets' }, allowed: true },
  { title: 'group system:authenticated grants every authenticated user', ref: `${DOCS}#referring-to-subjects`, objects: [secretReader, crb('b', 'secret-reader', [group('system:authenticated')])], subject: jane, attrs: { verb: 'get', resource: 'secrets' }, allowed: true },
  { title: 'system:authenticated does not cover the anonymous user', ref: `${DOCS}#referring-to-subjects`, objects: [secretReader, crb('b', 'secret-reader', [group('system:authenticated')])], subject: anonymousSubject(), attrs: { verb: 'get', resource: 'secrets' }, allowed: false },
  { title: 'system:unauthenticated covers the anonymous user', ref: `${DOCS}#referring-to-subjects`, objects: [secretReader, crb('b', 'secret-reader', [group('system:unauthenticated')])], subject: anonymousSubject(), attrs: { verb: 'get', resource: 'secrets' }, allowed: true },
  { title: 'ServiceAccount subject matches its username', ref: `${DOCS}#referring-to-subjects`, objects: [secretReader, crb('b', 'secret-reader', [sa('kube-system', 'default')])], subject: serviceAccountSubject('kube-system', 'default'), attrs: { verb: 'get', resource: 'secrets' }, allowed: true },
  { title: 'ServiceAccount subject without namespace in a RoleBinding means the binding namespace', ref: RESOLVER, objects: [podReader, rb('default', 'b', 'Role', 'pod-reader', [sa(undefined, 'app')])], subject: serviceAccountSubject('default', 'app'), attrs: { verb: 'get', resource: 'pods', namespace: 'default' }, allowed: true },
  { title: 'ServiceAccount subject without namespace in a ClusterRoleBinding matches nobody', ref: RESOLVER, objects: [secretReader, crb('b', 'secret-reader', [sa(undefined, 'app')])], subject: serviceAccountSubject('default', 'app'), attrs: { verb: 'get', resource: 'secrets', namespace: 'default' }, allowed: false },
  { title: 'ServiceAccount subject in a RoleBinding may name another namespace', ref: `${DOCS}#rolebinding-example`, objects: [podReader, rb('default', 'b', 'Role', 'pod-reader', [sa('ci', 'bot')])], subject: serviceAccountSubject('ci', 'bot'), attrs: { verb: 'get', resource: 'pods', namespace: 'default' }, allowed: true },
  { title: 'a plain user named like a service account is that service account (string equality)', ref: RESOLVER, objects: [secretReader, crb('b', 'secret-reader', [sa('ns', 'sa')])], subject: { user: 'system:serviceaccount:ns:sa', groups: [] }, attrs: { verb: 'get', resource: 'secrets' }, allowed: true },
  { title: 'unknown subject kinds match nobody', ref: RESOLVER, objects: [secretReader, crb('b', 'secret-reader', [{ kind: 'Robot', name: 'jane' }])], subject: jane, attrs: { verb: 'get', resource: 'secrets' }, allowed: false },
  { title: 'impersonating a service account (--as) implies its groups', ref: 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation', objects: [podReader, rb('default', 'b', 'Role', 'pod-reader', [group('system:serviceaccounts:qa')])], subject: impersonatedSubject('system:serviceaccount:qa:x'), attrs: { verb: 'get', resource: 'pods', namespace: 'default' }, allowed: true },
  { title: 'impersonating a user (--as) implies system:authenticated', ref: 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation', objects: [secretReader, crb('b', 'secret-reader', [group('system:authenticated')])], subject: impersonatedSubject('bob'), attrs: { verb: 'get', resource: 'secrets' }, allowed: true },
];

test('conformance table: every case answers as documented, and who-can agrees', () => {
  const failures: string[] = [];
  for (const c of cases) {
    const index = buildRbac(c.objects);
    const d = index.authorize(c.subject, c.attrs);
    const fast = index.can(c.subject, c.attrs);
    const who = index.whoCan(c.attrs).some((e) => bindingSubjectApplies(e.subject, c.subject));
    if (d.allowed !== c.allowed || fast !== c.allowed || who !== c.allowed) failures.push(`${c.title} (${c.ref}): authorize ${d.allowed}, can ${fast}, who-can ${who}; expected ${c.allowed}`);
    if (d.allowed) assert.ok(d.reasons.every((r) => r.rule !== undefined && r.binding.name !== ''), c.title);
  }
  assert.deepEqual(failures, []);
  assert.ok(cases.length >= 50);
});

test('impersonatedSubject follows the API server', () => {
  assert.deepEqual(impersonatedSubject('system:serviceaccount:ns:sa'), { user: 'system:serviceaccount:ns:sa', groups: ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated'] });
  assert.deepEqual(impersonatedSubject('system:serviceaccount:ns:sa', ['g']), { user: 'system:serviceaccount:ns:sa', groups: ['g', 'system:authenticated'] });
  assert.deepEqual(impersonatedSubject('system:anonymous'), { user: 'system:anonymous', groups: ['system:unauthenticated'] });
  assert.deepEqual(impersonatedSubject('bob', ['system:unauthenticated']), { user: 'bob', groups: ['system:unauthenticated'] });
  assert.deepEqual(impersonatedSubject('system:serviceaccount:a:b:c'), { user: 'system:serviceaccount:a:b:c', groups: ['system:authenticated'] });
});

test('reasons name the binding, the matching subject, the role and the rule', () => {
  const index = buildRbac([podReader, rb('default', 'read-pods', 'Role', 'pod-reader', [user('bob'), group('system:authenticated')])]);
  const d = index.authorize(jane, { verb: 'get', resource: 'pods', namespace: 'default' });
  assert.deepEqual(d.reasons.map((r) => ({ ...r, rule: undefined })), [
    { binding: { kind: 'RoleBinding', name: 'read-pods', namespace: 'default' }, subject: { kind: 'Group', name: 'system:authenticated' }, role: { kind: 'Role', name: 'pod-reader', namespace: 'default' }, ruleIndex: 0, rule: undefined },
  ]);
});

test('problems are collected, never thrown', () => {
  const index = buildRbac([crb('x', 'missing', [sa(undefined, 'a'), { kind: 'Robot', name: 'r' }]), { apiVersion: 'v1', kind: 'ClusterRoleBinding', metadata: {} } as KubeObject]);
  assert.deepEqual(index.problems.map((p) => p.code).sort(), ['roleNotFound', 'serviceAccountWithoutNamespace', 'unsupportedRoleRefKind', 'unsupportedSubjectKind']);
});
