/** The webhook's kubeward checks are the rule catalog's: one implementation, one verdict per rule. */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../core/types.js';
import { podTemplateOf } from '../model/workloads.js';
import { getRule } from '../rules/index.js';
import { runChecks } from './checks-runner.js';
import { ADMISSION_RULE_IDS, compilePolicy, defaultPolicy, type AdmissionPolicy, type AdmissionRuleId } from './policy.js';

function run(id: AdmissionRuleId, spec: object, over: Partial<AdmissionPolicy> = {}, ns = 'apps') {
  const obj: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: ns }, spec };
  return runChecks(obj, { policy: compilePolicy({ ...defaultPolicy(), ...over }), namespace: ns, template: podTemplateOf(obj)! }, [id]);
}
const c = (image: string, extra: object = {}) => ({ containers: [{ name: 'c', image, ...extra }] });
const digest = `@sha256:${'a'.repeat(64)}`;

test('every admission rule id is a rule of the catalog', () => {
  for (const id of ADMISSION_RULE_IDS) assert.ok(getRule(id), `${id} is in the catalog`);
});

test('each check through the catalog: one valid and one invalid case', () => {
  assert.equal(run('automount-service-account-token', { ...c('x'), automountServiceAccountToken: false }).length, 0);
  assert.equal(run('automount-service-account-token', c('x'))[0]?.ruleId, 'automount-service-account-token');
  assert.equal(run('image-digest-pinning', c(`nginx${digest}`)).length, 0);
  assert.equal(run('image-digest-pinning', c('nginx:1'))[0]?.pointer, '/spec/containers/0/image');
  const allow = { registries: { allow: ['registry.example.com'] } };
  assert.equal(run('image-registry-allowlist', c('registry.example.com/a:1'), allow).length, 0);
  assert.equal(run('image-registry-allowlist', c('nginx'), allow)[0]?.pointer, '/spec/containers/0/image');
  assert.equal(run('image-registry-allowlist', c('nginx')).length, 0, 'empty allowlist = any');
  const sandbox = { sandbox: { namespaces: ['apps'], runtimeClassName: 'gvisor', handlers: ['gvisor'] } };
  assert.equal(run('sandbox-runtime-class', { ...c('x'), runtimeClassName: 'gvisor' }, sandbox).length, 0);
  assert.equal(run('sandbox-runtime-class', c('x'), sandbox)[0]?.ruleId, 'sandbox-runtime-class');
  assert.equal(run('sandbox-runtime-class', c('x')).length, 0);
  assert.equal(run('dashboard-insecure-flags', c('kubernetesui/dashboard:v2.7.0', { args: ['--auto-generate-certificates'] })).length, 0);
  const bad = run('dashboard-insecure-flags', c('kubernetesui/dashboard:v2.7.0', { args: ['--enable-skip-login', '--enable-insecure-login=false'] }));
  assert.deepEqual(
    bad.map((v) => v.pointer),
    ['/spec/containers/0/args/0'],
  );
});

test('a caller-supplied check replaces the catalog for its id', () => {
  const obj: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'apps' }, spec: c('nginx:1') };
  const out = runChecks(obj, { policy: compilePolicy(defaultPolicy()), namespace: 'apps', template: podTemplateOf(obj)! }, ['image-digest-pinning'], {
    'image-digest-pinning': () => [{ ruleId: 'image-digest-pinning', message: 'custom', pointer: '' }],
  });
  assert.deepEqual(out, [{ ruleId: 'image-digest-pinning', message: 'custom', pointer: '' }]);
});
