/** The admission fallbacks for kubeward rules (used when the catalog does not register an id). */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../core/types.js';
import { podTemplateOf } from '../model/workloads.js';
import { FALLBACK_CHECKS, imageRepository, registryAllows } from './checks.js';
import { compilePolicy, defaultPolicy, type AdmissionPolicy } from './policy.js';

function run(id: keyof typeof FALLBACK_CHECKS, spec: object, over: Partial<AdmissionPolicy> = {}, ns = 'apps') {
  const obj: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: ns }, spec };
  return FALLBACK_CHECKS[id](obj, { policy: compilePolicy({ ...defaultPolicy(), ...over }), namespace: ns, template: podTemplateOf(obj)! });
}
const c = (image: string, extra: object = {}) => ({ containers: [{ name: 'c', image, ...extra }] });
const digest = `@sha256:${'a'.repeat(64)}`;

test('image references', () => {
  assert.equal(imageRepository('nginx'), 'docker.io/library/nginx');
  assert.equal(imageRepository('bitnami/redis:7'), 'docker.io/bitnami/redis');
  assert.equal(imageRepository(`ghcr.io/acme/app:1${digest}`), 'ghcr.io/acme/app');
  assert.equal(imageRepository('localhost:5000/app'), 'localhost:5000/app');
  assert.ok(registryAllows('ghcr.io/acme', 'ghcr.io/acme/app'));
  assert.ok(!registryAllows('ghcr.io/acme', 'ghcr.io/acmecorp/app'));
});

test('fallback checks: one valid and one invalid case each', () => {
  assert.equal(run('automount-service-account-token', { ...c('x'), automountServiceAccountToken: false }).length, 0);
  assert.equal(run('automount-service-account-token', c('x'))[0]?.pointer, '/spec/automountServiceAccountToken');
  assert.equal(run('image-digest-pinning', c(`nginx${digest}`)).length, 0);
  assert.match(run('image-digest-pinning', c('nginx:1'))[0]?.message ?? '', /not pinned/);
  const allow = { registries: { allow: ['registry.example.com'] } };
  assert.equal(run('image-registry-allowlist', c('registry.example.com/a:1'), allow).length, 0);
  assert.equal(run('image-registry-allowlist', c('nginx'), allow)[0]?.pointer, '/spec/containers/0/image');
  assert.equal(run('image-registry-allowlist', c('nginx')).length, 0, 'empty allowlist = any');
  const sandbox = { sandbox: { namespaces: ['apps'], runtimeClassName: 'gvisor', handlers: ['gvisor'] } };
  assert.equal(run('sandbox-runtime-class', { ...c('x'), runtimeClassName: 'gvisor' }, sandbox).length, 0);
  assert.deepEqual(run('sandbox-runtime-class', c('x'), sandbox)[0]?.fix, [{ op: 'add', path: '/spec/runtimeClassName', value: 'gvisor' }]);
  assert.equal(run('sandbox-runtime-class', c('x')).length, 0);
  assert.equal(run('dashboard-insecure-flags', c('kubernetesui/dashboard:v2.7.0', { args: ['--auto-generate-certificates'] })).length, 0);
  assert.equal(run('dashboard-insecure-flags', c('nginx', { args: ['--enable-skip-login'] })).length, 0);
  const bad = run('dashboard-insecure-flags', c('kubernetesui/dashboard:v2.7.0', { args: ['--enable-skip-login', '--enable-insecure-login=false', '--insecure-bind-address=0.0.0.0'] }));
  assert.deepEqual(bad.map((v) => v.pointer), ['/spec/containers/0/args/0', '/spec/containers/0/args/2']);
});
