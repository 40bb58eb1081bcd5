/**
 * Property: on generated RBAC sets, can-i (indexed fast path), authorize (with reasons),
 * who-can and a naive reference (the authorizer's visit of every binding, no index)
 * all give the same answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { KubeObject } from '../../core/types.js';
import { normaliseRules, nonResourceRuleAllows, resourceRuleAllows } from './match.js';
import { buildRbac } from './rbac-index.js';
import { bindingSubjectApplies, serviceAccountSubject } from './subjects.js';
import { isNonResource, type RequestAttributes, type Subject } from './types.js';

const NS = ['a', 'b'];
const VERBS = ['get', 'list', 'create', 'bind', '*'];
const GROUPS = ['', 'apps', '*'];
const RESOURCES = ['pods', 'secrets', 'pods/exec', '*/scale', 'deployments', 'deployments/scale', '*', 'pods/*'];
const NAMES = ['x', 'y'];
const URLS = ['/healthz', '/healthz/*', '/logs*', '*'];
const USERS = ['alice', 'bob'];
const UGROUPS = ['devs', 'system:authenticated', 'system:serviceaccounts', 'system:serviceaccounts:a'];
const SAS = ['default', 'app'];

const ruleArb = fc.oneof(
  fc.record({
    verbs: fc.subarray(VERBS, { minLength: 1 }),
    apiGroups: fc.subarray(GROUPS, { minLength: 1 }),
    resources: fc.subarray(RESOURCES, { minLength: 1 }),
    resourceNames: fc.oneof(fc.constant([] as string[]), fc.subarray(NAMES, { minLength: 1 })),
  }),
  fc.record({ verbs: fc.subarray(VERBS, { minLength: 1 }), nonResourceURLs: fc.subarray(URLS, { minLength: 1 }) }),
);
const subjectArb = fc.oneof(
  fc.record({ kind: fc.constant('User'), name: fc.constantFrom(...USERS) }),
  fc.record({ kind: fc.constant('Group'), name: fc.constantFrom(...UGROUPS) }),
  fc.record({ kind: fc.constant('ServiceAccount'), name: fc.constantFrom(...SAS), namespace: fc.constantFrom('', ...NS) }),
);
const roleName = fc.constantFrom('r0', 'r1', 'r2', 'missing');

const worldArb = fc.record({
  clusterRoles: fc.array(fc.record({ rules: fc.array(ruleArb, { maxLength: 3 }), agg: fc.boolean(), label: fc.boolean() }), { minLength: 1, maxLength: 3 }),
  roles: fc.array(fc.record({ ns: fc.constantFrom(...NS), rules: fc.array(ruleArb, { maxLength: 3 }) }), { maxLength: 3 }),
  crbs: fc.array(fc.record({ role: roleName, roleKind: fc.constantFrom('ClusterRole', 'Role'), subjects: fc.array(subjectArb, { maxLength: 3 }) }), { maxLength: 3 }),
  rbs: fc.array(fc.record({ ns: fc.constantFrom(...NS), role: roleName, roleKind: fc.constantFrom('ClusterRole', 'Role'), subjects: fc.array(subjectArb, { maxLength: 3 }) }), { maxLength: 4 }),
});

type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

function objects(w: World): KubeObject[] {
  const out: KubeObject[] = [];
  w.clusterRoles.forEach((r, i) =>
    out.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: `r${i}`, labels: r.label ? { agg: 'yes' } : {} },
      rules: r.rules,
      ...(r.agg ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { agg: 'yes' } }] } } : {}),
    }),
  );
  w.roles.forEach((r, i) => out.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `r${i}`, namespace: r.ns }, rules: r.rules }));
  w.crbs.forEach((b, i) => out.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: `crb${i}` }, roleRef: { kind: b.roleKind, name: b.role }, subjects: b.subjects }));
  w.rbs.forEach((b, i) => out.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `rb${i}`, namespace: b.ns }, roleRef: { kind: b.roleKind, name: b.role }, subjects: b.subjects }));
  return out;
}

/** The authorizer without indexes, over already-aggregated ClusterRole rules. */
function reference(objs: KubeObject[], crRules: (name: string) => unknown, subject: Subject, attrs: RequestAttributes): boolean {
  const ns = isNonResource(attrs) ? '' : (attrs.namespace ?? '');
  const applies = (s: Record<string, string>, bindingNs: string): boolean => {
    if (s['kind'] === 'User') return s['name'] === subject.user;
    if (s['kind'] === 'Group') return subject.groups.includes(s['name'] ?? '');
    if (s['kind'] === 'ServiceAccount') {
      const sns = s['namespace'] || bindingNs;
      return sns !== '' && `system:serviceaccount:${sns}:${s['name']}` === subject.user;
    }
    return false;
  };
  for (const o of objs) {
    const isCrb = o.kind === 'ClusterRoleBinding';
    if (!isCrb && !(o.kind === 'RoleBinding' && ns !== '' && o.metadata.namespace === ns)) continue;
    const bns = isCrb ? '' : ns;
    if (!(o['subjects'] as Array<Record<string, string>>).some((s) => applies(s, bns))) continue;
    const ref = o['roleRef'] as { kind: string; name: string };
    let raw: unknown;
    if (ref.kind === 'ClusterRole') raw = crRules(ref.name);
    else if (ref.kind === 'Role' && !isCrb) raw = objs.find((r) => r.kind === 'Role' && r.metadata.namespace === ns && r.metadata.name === ref.name)?.['rules'];
    for (const rule of normaliseRules(raw)) if (isNonResource(attrs) ? nonResourceRuleAllows(rule, attrs) : resourceRuleAllows(rule, attrs)) return true;
  }
  return false;
}

const identities: Subject[] = [
  ...USERS.map((u) => ({ user: u, groups: ['devs', 'system:authenticated'] })),
  { user: 'carol', groups: ['system:authenticated'] },
  ...NS.flatMap((n) => SAS.map((s) => serviceAccountSubject(n, s))),
];
const queryArb = fc.oneof(
  fc.record({
    verb: fc.constantFrom('get', 'list', 'create', 'bind', 'delete'),
    apiGroup: fc.constantFrom('', 'apps'),
    resource: fc.constantFrom('pods', 'secrets', 'deployments'),
    subresource: fc.constantFrom('', 'exec', 'scale', '*'),
    name: fc.constantFrom('', 'x', 'y'),
    namespace: fc.constantFrom('', 'a', 'b', 'c'),
  }),
  fc.record({ verb: fc.constantFrom('get', 'post'), path: fc.constantFrom('/healthz', '/healthz/ping', '/logs', '/logs/x', '/metrics') }),
);

test('property: can-i, authorize, who-can and the naive authorizer agree on generated RBAC sets', () => {
  fc.assert(
    fc.property(worldArb, fc.array(queryArb, { minLength: 1, maxLength: 8 }), (w, queries) => {
      const objs = objects(w);
      const index = buildRbac(objs);
      for (const attrs of queries as RequestAttributes[]) {
        const who = index.whoCan(attrs);
        for (const s of identities) {
          const expected = reference(objs, (n) => index.clusterRoleRules(n), s, attrs);
          assert.equal(index.can(s, attrs), expected, 'can');
          const d = index.authorize(s, attrs);
          assert.equal(d.allowed, expected, 'authorize');
          assert.equal(who.some((e) => bindingSubjectApplies(e.subject, s)), expected, 'who-can');
        }
      }
    }),
    { numRuns: 300, seed: 4242 },
  );
});
