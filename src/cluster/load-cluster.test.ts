import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCluster } from './load-cluster.js';
import { memoryReader, type ClusterReader } from './reader.js';
import { kubernetesReader } from './kubernetes-reader.js';
import { scan } from '../scan.js';

const objects = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', uid: 'd1', managedFields: [{ manager: 'kubectl' }] },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', securityContext: { privileged: true } }] } } },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-5d8', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', controller: true }] },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', securityContext: { privileged: true } }] } } },
  },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, data: { password: 'c2VjcmV0LXZhbHVl' } },
];

test('a cluster read through the reader interface scans like manifests, owners deduplicated, secrets dropped', async () => {
  const loaded = await loadCluster(memoryReader(objects, 'test'));
  assert.equal(loaded.resources.length, 4);
  assert.ok(!JSON.stringify(loaded.resources.map((r) => r.object)).includes('c2VjcmV0'));
  assert.ok(loaded.resources.every((r) => r.source.file === 'cluster:test'));
  assert.ok(!('managedFields' in (loaded.resources[1]?.object.metadata ?? {})));
  const { result } = await scan({ paths: [], preloaded: loaded, only: ['privileged-container'] });
  const priv = result.findings.filter((f) => f.ruleId === 'privileged-container');
  assert.deepEqual(
    priv.map((f) => `${f.resource.kind}/${f.resource.name}`),
    ['Deployment/web'],
    'the ReplicaSet owned by the Deployment is not reported twice',
  );
  assert.ok((priv[0]?.location.line ?? 0) > 1);
});

test('a kind that cannot be listed is a warning and the rest still loads', async () => {
  const failing: ClusterReader = {
    context: 'partial',
    list: (apiVersion, kind) => (kind === 'Secret' ? Promise.reject(new Error('secrets is forbidden')) : memoryReader(objects).list(apiVersion, kind)),
  };
  const loaded = await loadCluster(failing);
  assert.equal(loaded.resources.length, 3);
  assert.equal(loaded.problems[0]?.level, 'warning');
  assert.match(loaded.problems[0]?.message ?? '', /forbidden/);
});

const kubeconfig = process.env['KUBEWARD_TEST_KUBECONFIG'];
test('a real cluster (KUBEWARD_TEST_KUBECONFIG)', { skip: kubeconfig ? false : 'KUBEWARD_TEST_KUBECONFIG not set' }, async () => {
  if (!kubeconfig) return;
  const loaded = await loadCluster(await kubernetesReader({ kubeconfig }));
  assert.ok(loaded.resources.some((r) => r.object.kind === 'Namespace' && r.object.metadata.name === 'kube-system'));
});
if (!kubeconfig) console.log('NOTICE: KUBEWARD_TEST_KUBECONFIG not set; skipping the real-cluster test');
