import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateCluster } from '../../bench/generate.js';
import { loadPaths } from '../load/index.js';
import { loadBootstrapRbac } from '../load/bootstrap-rbac.js';
import { computeNetpolFindings, computeRbacFindings } from '../rules/engine-cache.js';
import { repoRoot } from '../../test/helpers/paths.js';
import type { KubeObject } from '../core/types.js';
import { isTokenSecret } from '../engines/rbac/blast-radius.js';
import { analyseEngines, rbacView } from './offload.js';

async function inputs(): Promise<Array<{ name: string; objects: KubeObject[] }>> {
  const examples = await loadPaths([join(repoRoot, 'examples')]);
  const fixtures = await loadPaths([join(repoRoot, 'src/rules')]);
  return [
    { name: 'examples', objects: examples.resources.map((r) => r.object) },
    { name: 'rule fixtures', objects: fixtures.resources.map((r) => r.object) },
    { name: 'generated cluster', objects: generateCluster({ objects: 4000, seed: 3 }) as KubeObject[] },
  ];
}

test('the RBAC analysis reaches the same results on the views sent to its thread', async () => {
  const defaults = loadBootstrapRbac();
  for (const { name, objects } of await inputs()) {
    const rbac = computeRbacFindings(objects, defaults);
    assert.ok(rbac.length > 0, `${name}: the comparison needs findings`);
    // as the scan sends them: Secrets read into the environment are kept only when the input has a token Secret
    const tokens = objects.some(isTokenSecret);
    assert.deepEqual(computeRbacFindings(objects.map((o) => rbacView(o, tokens)), defaults), rbac, name);
  }
});

test('a workload view keeps the service account and token mounting, and drops the rest of the pod spec', () => {
  const deploy = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          serviceAccountName: 'web',
          automountServiceAccountToken: false,
          containers: [{ name: 'web', image: 'nginx', env: [{ name: 'A', value: 'b' }], ports: [{ name: 'http', containerPort: 80 }] }],
          volumes: [
            { name: 'data', emptyDir: {} },
            { name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
          ],
        },
      },
    },
  } as KubeObject;
  const view = rbacView(deploy) as unknown as { spec: { template: { metadata: unknown; spec: Record<string, unknown> } } };
  assert.deepEqual(view.spec.template.spec, {
    serviceAccountName: 'web',
    automountServiceAccountToken: false,
    volumes: [{ name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }],
  });
  assert.equal((deploy as unknown as { spec: { template: { spec: { containers: Array<{ image: string }> } } } }).spec.template.spec.containers[0]?.image, 'nginx', 'the original is untouched');
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { serviceAccount: 'legacy', containers: [{ name: 'c' }] } } as unknown as KubeObject;
  assert.deepEqual((rbacView(pod) as unknown as { spec: unknown }).spec, { serviceAccount: 'legacy' });
  // a static pod's mirror keeps the one annotation that says so (it carries no token)
  const mirror = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'etcd-cp1', annotations: { 'kubernetes.io/config.mirror': 'abc', other: 'x' } }, spec: { containers: [{ name: 'c' }] } } as unknown as KubeObject;
  assert.deepEqual(rbacView(mirror).metadata, { name: 'etcd-cp1', annotations: { 'kubernetes.io/config.mirror': 'abc' } });
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } } as KubeObject;
  assert.equal(rbacView(cm), cm, 'nothing to drop: the object itself');
  const role = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'r', labels: { a: 'b' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' }, managedFields: [{}] },
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    status: {},
  } as unknown as KubeObject;
  const before = structuredClone(role);
  assert.deepEqual(rbacView(role), { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', labels: { a: 'b' } }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] });
  assert.deepEqual(role, before, 'the original is untouched');
});

test('the split analyses (RBAC on a worker thread, network here) equal both run here on every object', async () => {
  // The worker runs the built code: Node 20 does not carry a TypeScript loader into worker
  // threads, so the sources analyse inline. `npm ci` builds dist/ before the tests run.
  const built = join(repoRoot, 'dist/analysis/offload.js');
  assert.ok(existsSync(built), 'dist/ is built (npm run build)');
  const { analyseEngines: analyseBuilt } = (await import(pathToFileURL(built).href)) as typeof import('./offload.js');
  const defaults = loadBootstrapRbac();
  const objects = generateCluster({ objects: 12_000, seed: 5 }) as KubeObject[];
  const split = await analyseBuilt(objects, defaults, ['rbac', 'netpol']);
  assert.equal(split.rbacRanOn, 'worker');
  assert.ok(split.rbac.length > 0 && split.netpol.length > 0);
  assert.deepEqual(split.rbac, computeRbacFindings(objects, defaults));
  assert.deepEqual(split.netpol, computeNetpolFindings(objects));
  assert.deepEqual(await analyseBuilt(objects, defaults, ['netpol']), { rbac: [], netpol: split.netpol, rbacRanOn: 'main' });
  const inline = await analyseEngines(objects, defaults, ['rbac', 'netpol']);
  assert.deepEqual(inline, { ...split, rbacRanOn: 'main' }, 'the sources, analysing inline, agree');
});
