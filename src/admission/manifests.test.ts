/**
 * The install manifests, checked against the Kubernetes API's own structure: every field
 * name and value type is compared with the OpenAPI-generated models that
 * @kubernetes/client-node ships (`attributeTypeMap` of V1Deployment, V1ValidatingWebhook, …),
 * so a misspelt or misplaced field fails. Required fields and enum values the models do not
 * encode are asserted explicitly. The Deployment must itself pass Pod Security `restricted`.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import type { KubeObject } from '../core/types.js';
import { evaluateWorkload } from '../engines/pss/index.js';
import { checkObject } from '../rules/index.js';
import { generateCertificates, serviceDnsNames } from './certs.js';
import { renderManifests } from './manifests.js';
import { validate } from './decide.js';
import { StaticNamespaceSource } from './namespace-watch.js';
import { compilePolicy, defaultPolicy } from './policy.js';
import { requestFor } from './review.js';

type Attr = { baseName: string; type: string };
const models = k8s as unknown as Record<string, { attributeTypeMap?: Attr[] } | undefined>;

function checkType(value: unknown, type: string, path: string, errors: string[]): void {
  if (value === undefined || value === null) return;
  const arr = /^Array<(.+)>$/.exec(type);
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (arr) {
    if (!Array.isArray(value)) errors.push(`${path}: expected a list`);
    else value.forEach((v, i) => checkType(v, arr[1]!, `${path}[${i}]`, errors));
  } else if (map) {
    if (typeof value !== 'object' || Array.isArray(value)) errors.push(`${path}: expected a map`);
    else for (const [k, v] of Object.entries(value)) checkType(v, map[1]!, `${path}.${k}`, errors);
  } else if (type === 'string' || type === 'Date') {
    if (typeof value !== 'string') errors.push(`${path}: expected a string, got ${typeof value}`);
  } else if (type === 'number') {
    if (typeof value !== 'number') errors.push(`${path}: expected a number, got ${typeof value}`);
  } else if (type === 'boolean') {
    if (typeof value !== 'boolean') errors.push(`${path}: expected a boolean, got ${typeof value}`);
  } else if (type === 'IntOrString') {
    if (typeof value !== 'string' && typeof value !== 'number') errors.push(`${path}: expected an int or string`);
  } else if (type === 'any' || type === 'object') {
    // free-form
  } else {
    const model = models[type]?.attributeTypeMap;
    if (!model) {
      errors.push(`${path}: unknown model ${type}`);
      return;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      errors.push(`${path}: expected an object (${type})`);
      return;
    }
    const fields = new Map(model.map((a) => [a.baseName, a.type]));
    for (const [k, v] of Object.entries(value)) {
      const t = fields.get(k);
      if (t === undefined) errors.push(`${path}.${k}: no such field in ${type}`);
      else checkType(v, t, `${path}.${k}`, errors);
    }
  }
}

function schemaErrors(obj: KubeObject): string[] {
  const errors: string[] = [];
  checkType(obj, `V1${obj.kind}`, obj.kind, errors);
  return errors;
}

const bundle = await generateCertificates({ dnsNames: serviceDnsNames('kubeward-admission', 'kubeward-system') });
const objects = renderManifests({ caCert: bundle.caCert, tlsCert: bundle.tlsCert, tlsKey: bundle.tlsKey });
const byKind = (kind: string) => objects.find((o) => o.kind === kind) as KubeObject & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

test('every object matches the API structure of its kind', () => {
  assert.deepEqual(
    objects.map((o) => o.kind),
    ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'Secret', 'Deployment', 'NetworkPolicy', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
  );
  for (const o of objects) assert.deepEqual(schemaErrors(o), [], o.kind);
  // the checker does catch mistakes
  assert.ok(schemaErrors({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: {}, spec: { replica: 2 } }).some((e) => e.includes('replica: no such field')));
  assert.ok(schemaErrors({ apiVersion: 'v1', kind: 'Service', metadata: {}, spec: { ports: [{ port: '443' }] } }).some((e) => e.includes('expected a number')));
});

test('required fields and enum values', () => {
  for (const o of objects) {
    assert.ok(o.metadata.name, o.kind);
    if (!['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'].includes(o.kind)) assert.equal(o.metadata.namespace, 'kubeward-system', o.kind);
  }
  for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) {
    const hook = byKind(kind)['webhooks'][0];
    assert.match(hook.name, /^[a-z0-9-]+(\.[a-z0-9-]+){2,}$/, 'fully qualified webhook name');
    assert.deepEqual(hook.admissionReviewVersions, ['v1']);
    assert.equal(hook.sideEffects, 'None');
    assert.equal(hook.matchPolicy, 'Equivalent');
    assert.ok(['Fail', 'Ignore'].includes(hook.failurePolicy));
    assert.ok(hook.timeoutSeconds >= 1 && hook.timeoutSeconds <= 30);
    assert.equal(Buffer.from(hook.clientConfig.caBundle, 'base64').toString(), bundle.caCert);
    assert.deepEqual(hook.clientConfig.service, { namespace: 'kubeward-system', name: 'kubeward-admission', path: kind.startsWith('Mutating') ? '/mutate' : '/validate', port: 443 });
    assert.deepEqual(hook.namespaceSelector, { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kubeward-system', 'kube-system'] }] });
    const resources = hook.rules.flatMap((r: { resources: string[] }) => r.resources);
    for (const r of ['pods', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'replicationcontrollers', 'podtemplates']) assert.ok(resources.includes(r), r);
    for (const r of hook.rules) assert.deepEqual(r.operations, ['CREATE', 'UPDATE']);
  }
  assert.equal(byKind('ValidatingWebhookConfiguration')['webhooks'][0].failurePolicy, 'Fail');
  const dep = byKind('Deployment');
  assert.equal(dep['spec'].replicas, 2);
  assert.ok(dep['spec'].template.spec.affinity.podAntiAffinity);
  assert.equal(dep['spec'].template.metadata.labels['app.kubernetes.io/name'], 'kubeward-admission');
  assert.deepEqual(dep['spec'].selector.matchLabels, { 'app.kubernetes.io/name': 'kubeward-admission' });
  assert.deepEqual(byKind('PodDisruptionBudget')['spec'], { minAvailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'kubeward-admission' } } });
  // One replica: no budget that would block every node drain.
  const single = renderManifests({ caCert: bundle.caCert, tlsCert: bundle.tlsCert, tlsKey: bundle.tlsKey, replicas: 1 });
  assert.equal(single.some((o) => o.kind === 'PodDisruptionBudget'), false);
  // The kubelet writes the TLS Secret's files root-owned with mode 0440: readable through fsGroup only.
  const podSpec = dep['spec'].template.spec;
  const tlsVolume = podSpec.volumes.find((v: { name: string }) => v.name === 'tls');
  assert.equal(tlsVolume.secret.defaultMode & 0o004, 0, 'the key is not world-readable');
  assert.equal(podSpec.securityContext.fsGroup, podSpec.securityContext.runAsGroup);
  const secret = byKind('Secret');
  assert.equal(secret['type'], 'kubernetes.io/tls');
  assert.equal(Buffer.from(secret['data']['tls.key'], 'base64').toString(), bundle.tlsKey);
  const role = byKind('ClusterRole');
  assert.deepEqual(role['rules'], [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] }]);
});

test('the webhook Deployment is hardened: restricted, and admitted by the webhook itself', () => {
  const dep = byKind('Deployment');
  const r = evaluateWorkload(dep, 'restricted', 'latest');
  assert.deepEqual(r?.failures, []);
  const c = dep['spec'].template.spec.containers[0];
  assert.equal(c.securityContext.readOnlyRootFilesystem, true);
  const verdict = validate(requestFor(dep).request, compilePolicy(defaultPolicy()), { namespaces: new StaticNamespaceSource() });
  assert.equal(verdict.allowed, true, verdict.status?.message);
  // no automount; when namespaces are watched the token is projected (short-lived), otherwise absent
  assert.equal(dep['spec'].template.spec.automountServiceAccountToken, false);
  const projected = dep['spec'].template.spec.volumes.find((v: { name: string }) => v.name === 'api-token');
  assert.equal(projected.projected.sources[0].serviceAccountToken.expirationSeconds, 600);
  assert.ok(c.volumeMounts.some((m: { mountPath: string }) => m.mountPath === '/var/run/secrets/kubernetes.io/serviceaccount'));
  const quiet = renderManifests({ caCert: bundle.caCert, tlsCert: bundle.tlsCert, tlsKey: bundle.tlsKey, watchNamespaces: false });
  assert.equal(quiet.find((o) => o.kind === 'ClusterRole'), undefined);
  const qd = quiet.find((o) => o.kind === 'Deployment') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.equal(qd['spec'].template.spec.automountServiceAccountToken, false);
  assert.equal(qd['spec'].template.spec.volumes.find((v: { name: string }) => v.name === 'api-token'), undefined);
  assert.ok(qd['spec'].template.spec.containers[0].args.includes('policy'));
});

test('kubeward rules find nothing high or critical in the manifests', () => {
  const findings = objects.flatMap((o) => checkObject(o, { context: objects.filter((x) => x !== o) }));
  const serious = findings.filter((f) => f.severity === 'high' || f.severity === 'critical');
  assert.deepEqual(serious.map((f) => `${f.ruleId} ${f.resource.kind}/${f.resource.name}: ${f.message}`), []);
});

test('the server times a request out before the API server gives up on the webhook, for every timeoutSeconds', async () => {
  const { buildProgram } = await import('../cli/main.js');
  for (const timeoutSeconds of [1, 2, 5, 10, 30]) {
    const rendered = renderManifests({ caCert: bundle.caCert, tlsCert: bundle.tlsCert, tlsKey: bundle.tlsKey, timeoutSeconds });
    const webhooks = rendered.filter((o) => o.kind.endsWith('WebhookConfiguration')).flatMap((o) => (o as unknown as { webhooks: Array<{ timeoutSeconds: number }> }).webhooks);
    assert.ok(webhooks.length >= 2 && webhooks.every((w) => w.timeoutSeconds === timeoutSeconds));
    const deploy = rendered.find((o) => o.kind === 'Deployment') as unknown as { spec: { template: { spec: { containers: Array<{ args: string[] }> } } } };
    const args = deploy.spec.template.spec.containers[0]?.args ?? [];
    // The container's arguments parse as `kubeward admission serve` reads them.
    let parsed: { requestTimeout?: number } | undefined;
    const program = buildProgram({ stdout: () => {}, stderr: () => {}, readStdin: async () => '', isTTY: false, env: {}, cwd: '/', exitCode: 0 });
    const serve = program.commands.find((c) => c.name() === 'admission')?.commands.find((c) => c.name() === 'serve');
    assert.ok(serve);
    serve.action((flags: { requestTimeout: number }) => {
      parsed = flags;
    });
    await program.parseAsync(['node', 'kubeward', ...args]);
    assert.ok(parsed?.requestTimeout !== undefined, 'serve reads --request-timeout');
    assert.ok(parsed.requestTimeout < timeoutSeconds * 1000 && parsed.requestTimeout >= timeoutSeconds * 500, `${parsed.requestTimeout} ms for timeoutSeconds ${timeoutSeconds}`);
  }
});
