import test from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../core/types.js';
import { loadText } from '../load/index.js';
import { scan } from '../scan.js';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } };
const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'prod', uid: 'd-1' }, spec: { selector: { matchLabels: { app: 'web' } }, template } };
const replicaSet: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web-abc', namespace: 'prod', uid: 'rs-1', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-1', controller: true }] },
  spec: { selector: { matchLabels: { app: 'web' } }, template },
};
/** A running pod as the API returns it: the token volume and mount the API server adds. */
function pod(extra: { initContainers?: unknown[]; volumes?: unknown[] } = {}, ownerUid = 'rs-1'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-abc-xyz', namespace: 'prod', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: ownerUid, controller: true }] },
    spec: {
      ...(extra.initContainers ? { initContainers: extra.initContainers } : {}),
      containers: [{ name: 'web', image: 'nginx:1.27', volumeMounts: [{ name: 'kube-api-access-x7k2p', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }] }],
      serviceAccountName: 'default',
      volumes: [{ name: 'kube-api-access-x7k2p', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }, ...(extra.volumes ?? [])],
    },
  };
}

async function findings(objects: KubeObject[]): Promise<Array<{ kind: string; rule: string; message: string }>> {
  const preloaded = loadText(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }), 'cluster.json');
  const { result } = await scan({ paths: [], preloaded, defaultRoles: false });
  return result.findings.map((f) => ({ kind: f.resource.kind, rule: f.ruleId, message: f.message }));
}

test('a pod like its controller template reports nothing of its own; the controller reports', async () => {
  const f = await findings([deployment, replicaSet, pod()]);
  assert.ok(f.some((x) => x.kind === 'Deployment' && x.rule === 'run-as-root'));
  assert.deepEqual(f.filter((x) => x.kind !== 'Deployment' && x.kind !== 'Namespace'), []);
});

test('a pod that drifted from its template (an injected sidecar) reports what it adds, not what its owner reports', async () => {
  const sidecar = { name: 'istio-init', image: 'docker.io/istio/proxyv2:1.20.0', securityContext: { runAsUser: 0, capabilities: { add: ['NET_ADMIN'] } } };
  const f = await findings([deployment, replicaSet, pod({ initContainers: [sidecar], volumes: [{ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }] })]);
  const ofPod = f.filter((x) => x.kind === 'Pod');
  assert.ok(ofPod.some((x) => x.rule === 'host-path-volume' && x.message.includes('/var/run/docker.sock')));
  assert.ok(ofPod.some((x) => x.rule === 'dangerous-capabilities' && x.message.includes('istio-init')));
  assert.ok(ofPod.some((x) => x.rule === 'run-as-root' && x.message.includes('istio-init')));
  // what the Deployment already reports for container "web" is not repeated on the Pod
  assert.equal(ofPod.some((x) => x.message.includes('container "web"')), false, JSON.stringify(ofPod));
  assert.ok(f.some((x) => x.kind === 'Deployment' && x.rule === 'run-as-root' && x.message.includes('container "web"')));
});

test('an owner reference with another uid names another object: the pod is reported in full', async () => {
  const f = await findings([deployment, replicaSet, pod({}, 'rs-other')]);
  assert.ok(f.some((x) => x.kind === 'Pod' && x.rule === 'run-as-root' && x.message.includes('container "web"')));
});

test('a previous ReplicaSet scaled to zero runs no pods: its old template adds nothing', async () => {
  const old: KubeObject = {
    ...replicaSet,
    metadata: { ...replicaSet.metadata, name: 'web-old', uid: 'rs-0' },
    spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template: { ...template, spec: { containers: [{ name: 'web', image: 'nginx:1.25', securityContext: { privileged: true } }] } } },
  };
  const f = await findings([deployment, replicaSet, old]);
  assert.deepEqual(f.filter((x) => x.kind === 'ReplicaSet'), []);
  // scaled up (a rollout in progress), its pods run: reported for what differs
  const rolling = { ...old, spec: { ...(old['spec'] as object), replicas: 1 } } as KubeObject;
  assert.ok((await findings([deployment, replicaSet, rolling])).some((x) => x.kind === 'ReplicaSet' && x.rule === 'privileged-container'));
  // without its Deployment in the input (`kubectl get replicasets -A -o json`) it still runs nothing
  assert.deepEqual((await findings([old])).filter((x) => x.kind === 'ReplicaSet'), []);
});
