/**
 * RBAC engine benchmark: a deterministic world of 20,000 roles and bindings over 5,000
 * service accounts in 250 namespaces (plus users and groups), one workload per service
 * account. Prints index build time, can-i µs/query, who-can ms/query and the token
 * blast radius of every workload.
 *
 *   node --import tsx bench/rbac.ts
 */
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../src/core/types.js';
import { analyseEscalation, buildRbac, serviceAccountSubject, type RequestAttributes, type Subject } from '../src/engines/rbac/index.js';
import { rng } from './generate.js';


const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const RES: Array<[string, string]> = [
  ['', 'pods'], ['', 'configmaps'], ['', 'secrets'], ['', 'services'], ['apps', 'deployments'], ['apps', 'statefulsets'],
  ['batch', 'jobs'], ['', 'pods/log'], ['', 'pods/exec'], ['networking.k8s.io', 'networkpolicies'], ['', 'serviceaccounts'], ['', 'events'],
];

export interface World {
  objects: KubeObject[];
  namespaces: string[];
  serviceAccounts: Array<{ ns: string; name: string }>;
}

export function generateWorld(seed = 1, namespaces = 250, sasPerNs = 20, rolesPerNs = 36, bindingsPerNs = 36, clusterRoles = 1000, clusterBindings = 1000): World {
  const r = rng(seed);
  const pick = <T>(l: readonly T[]): T => l[Math.floor(r() * l.length)] as T;
  const rules = (n: number): unknown[] =>
    Array.from({ length: n }, () => {
      const [g, res] = pick(RES);
      return { apiGroups: [g], resources: [res], verbs: [...new Set([pick(VERBS), pick(VERBS)])], ...(r() < 0.1 ? { resourceNames: [`obj-${Math.floor(r() * 10)}`] } : {}) };
    });
  const objects: KubeObject[] = [];
  const nss = Array.from({ length: namespaces }, (_, i) => `ns-${i}`);
  const sas: Array<{ ns: string; name: string }> = [];
  for (let c = 0; c < clusterRoles; c++) objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `cr-${c}` }, rules: rules(1 + Math.floor(r() * 4)) });
  for (const ns of nss) {
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (let s = 0; s < sasPerNs; s++) {
      const name = `sa-${s}`;
      sas.push({ ns, name });
      objects.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } });
      objects.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: `app-${s}`, namespace: ns },
        spec: { template: { metadata: { labels: { app: `app-${s}` } }, spec: { serviceAccountName: name, containers: [{ name: 'c', image: 'x' }] } } },
      });
    }
    for (let i = 0; i < rolesPerNs; i++) objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `role-${i}`, namespace: ns }, rules: rules(1 + Math.floor(r() * 4)) });
    for (let i = 0; i < bindingsPerNs; i++) {
      const useCluster = r() < 0.3;
      const subjects = Array.from({ length: 1 + Math.floor(r() * 3) }, () => {
        const x = r();
        if (x < 0.7) return { kind: 'ServiceAccount', name: `sa-${Math.floor(r() * sasPerNs)}`, namespace: r() < 0.9 ? ns : pick(nss) };
        if (x < 0.9) return { kind: 'User', name: `user-${Math.floor(r() * 500)}` };
        return { kind: 'Group', name: `team-${Math.floor(r() * 50)}` };
      });
      objects.push({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: `rb-${i}`, namespace: ns },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: useCluster ? 'ClusterRole' : 'Role', name: useCluster ? `cr-${Math.floor(r() * clusterRoles)}` : `role-${Math.floor(r() * rolesPerNs)}` },
        subjects,
      });
    }
  }
  for (let c = 0; c < clusterBindings; c++) {
    const x = r();
    const subject = x < 0.5 ? { kind: 'ServiceAccount', name: `sa-${Math.floor(r() * sasPerNs)}`, namespace: pick(nss) } : x < 0.8 ? { kind: 'User', name: `user-${Math.floor(r() * 500)}` } : { kind: 'Group', name: `team-${Math.floor(r() * 50)}` };
    objects.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `crb-${c}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `cr-${Math.floor(r() * clusterRoles)}` },
      subjects: [subject],
    });
  }
  return { objects, namespaces: nss, serviceAccounts: sas };
}

export async function run(): Promise<void> {
  const world = generateWorld();
  const rbacCount = world.objects.filter((o) => ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].includes(o.kind)).length;
  console.log(`rbac bench: ${rbacCount} roles/bindings, ${world.serviceAccounts.length} service accounts, ${world.namespaces.length} namespaces`);

  let t = performance.now();
  const index = buildRbac(world.objects);
  console.log(`  index build:        ${(performance.now() - t).toFixed(1)} ms`);

  const r = rng(7);
  const queries: Array<{ s: Subject; a: RequestAttributes }> = [];
  for (let i = 0; i < 200_000; i++) {
    const sa = world.serviceAccounts[Math.floor(r() * world.serviceAccounts.length)] as { ns: string; name: string };
    const [g, res] = RES[Math.floor(r() * RES.length)] as [string, string];
    const [resource, sub = ''] = res.split('/') as [string, string?];
    queries.push({ s: serviceAccountSubject(sa.ns, sa.name), a: { verb: VERBS[Math.floor(r() * VERBS.length)] as string, apiGroup: g, resource, subresource: sub, namespace: r() < 0.8 ? sa.ns : (world.namespaces[Math.floor(r() * world.namespaces.length)] as string) } });
  }
  let allowed = 0;
  for (let i = 0; i < 20_000; i++) if (index.can(queries[i]!.s, queries[i]!.a)) allowed++; // warm-up
  allowed = 0;
  t = performance.now();
  for (const q of queries) if (index.can(q.s, q.a)) allowed++;
  const canUs = ((performance.now() - t) * 1000) / queries.length;
  console.log(`  can-i:              ${canUs.toFixed(2)} µs/query (${queries.length} queries, ${allowed} allowed)`);

  t = performance.now();
  const n = 2000;
  for (let i = 0; i < n; i++) index.authorize(queries[i]!.s, queries[i]!.a);
  console.log(`  authorize+reasons:  ${(((performance.now() - t) * 1000) / n).toFixed(2)} µs/query`);

  const whoQueries: RequestAttributes[] = [
    { verb: 'get', apiGroup: '', resource: 'secrets', namespace: 'ns-3' },
    { verb: 'create', apiGroup: '', resource: 'pods', namespace: 'ns-100' },
    { verb: 'create', apiGroup: '', resource: 'pods', subresource: 'exec', namespace: 'ns-7' },
    { verb: 'list', apiGroup: 'apps', resource: 'deployments' },
  ];
  t = performance.now();
  let entries = 0;
  const rounds = 25;
  for (let k = 0; k < rounds; k++) for (const q of whoQueries) entries += index.whoCan(q).length;
  console.log(`  who-can:            ${((performance.now() - t) / (rounds * whoQueries.length)).toFixed(2)} ms/query (${entries / rounds} grants per round)`);

  t = performance.now();
  const analysis = analyseEscalation(index, world.objects);
  const blast = analysis.blastRadius();
  const withPowers = blast.filter((b) => b.grants.length > 0).length;
  const admins = blast.filter((b) => b.clusterAdminEquivalent).length;
  console.log(`  token blast radius: ${(performance.now() - t).toFixed(0)} ms for ${blast.length} workloads (${withPowers} with dangerous powers, ${admins} reaching cluster-admin)`);

  // A group bound to a harmless role in every namespace: every service account of every
  // namespace is named there, so the work must not grow as service accounts x namespaces.
  const groupWide = (namespaces: number): number => {
    const objs: KubeObject[] = [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'viewer' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] }];
    for (let n = 0; n < namespaces; n++) {
      const ns = `ns${n}`;
      for (let i = 0; i < 6; i++) objs.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `sa${i}`, namespace: ns } });
      objs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'view', namespace: ns }, roleRef: { kind: 'ClusterRole', name: 'viewer' }, subjects: [{ kind: 'Group', name: 'system:serviceaccounts' }] });
    }
    const start = performance.now();
    analyseEscalation(buildRbac(objs), objs).blastRadius();
    return performance.now() - start;
  };
  const [g200, g400] = [groupWide(200), groupWide(400)];
  console.log(`  group bound in every namespace: 200 ns x 6 SAs ${g200.toFixed(0)} ms, 400 ns ${g400.toFixed(0)} ms (${(g400 / g200).toFixed(2)}x for 2x namespaces and 4x SA x namespace pairs)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await run();
}
