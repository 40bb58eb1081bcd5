import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isExempt, namespacePolicy } from './index.js';

const L = 'pod-security.kubernetes.io/';
const P = { level: 'privileged', version: 'latest' } as const;

test('no labels: privileged/latest everywhere, or the configured defaults', () => {
  assert.deepEqual(namespacePolicy(undefined), { enforce: P, audit: P, warn: P, errors: [] });
  assert.deepEqual(namespacePolicy({}), { enforce: P, audit: P, warn: P, errors: [] });
  const d: { level: 'baseline' | 'restricted'; version: string } = { level: 'baseline', version: 'v1.30' };
  const p = namespacePolicy({ unrelated: 'x' }, { enforce: d });
  assert.deepEqual(p.enforce, d);
  assert.deepEqual(p.audit, P);
  // Defaults are copied, not shared.
  p.enforce.level = 'restricted';
  assert.equal(d.level, 'baseline');
});

test('each mode reads its level and version labels', () => {
  const p = namespacePolicy({
    [`${L}enforce`]: 'baseline',
    [`${L}enforce-version`]: 'v1.25',
    [`${L}audit`]: 'restricted',
    [`${L}audit-version`]: 'latest',
    [`${L}warn`]: 'restricted',
    [`${L}warn-version`]: 'v1.30',
  });
  assert.deepEqual(p, {
    enforce: { level: 'baseline', version: 'v1.25' },
    audit: { level: 'restricted', version: 'latest' },
    warn: { level: 'restricted', version: 'v1.30' },
    errors: [],
  });
});

test('a version label without a level label keeps the default level', () => {
  const p = namespacePolicy({ [`${L}enforce-version`]: 'v1.22' });
  assert.deepEqual(p.enforce, { level: 'privileged', version: 'v1.22' });
  assert.deepEqual(p.errors, []);
});

test('invalid enforce level fails closed (restricted); invalid audit/warn levels fail open (privileged)', () => {
  const p = namespacePolicy({ [`${L}enforce`]: 'strict', [`${L}audit`]: 'Baseline', [`${L}warn`]: '' });
  assert.equal(p.enforce.level, 'restricted');
  assert.equal(p.audit.level, 'privileged');
  assert.equal(p.warn.level, 'privileged');
  assert.deepEqual(p.errors, [
    `metadata.labels[${L}enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted`,
    `metadata.labels[${L}audit]: Invalid value: "Baseline": must be one of privileged, baseline, restricted`,
    `metadata.labels[${L}warn]: Invalid value: "": must be one of privileged, baseline, restricted`,
  ]);
});

test('invalid version labels mean latest and are reported', () => {
  for (const bad of ['v1', 'v2.0', '1.25', 'v1.025', 'v1.x', 'LATEST', 'v1.25.0', ' v1.25', '']) {
    const p = namespacePolicy({ [`${L}enforce`]: 'baseline', [`${L}enforce-version`]: bad });
    assert.equal(p.enforce.version, 'latest', bad);
    assert.equal(p.errors.length, 1, bad);
    assert.match(p.errors[0]!, /must be "latest" or "v1\.x"/);
  }
  const ok = namespacePolicy({ [`${L}audit-version`]: 'v1.0' });
  assert.deepEqual(ok.audit, { level: 'privileged', version: 'v1.0' });
  assert.deepEqual(namespacePolicy({ [`${L}audit-version`]: 'v1.99' }).audit.version, 'v1.99');
});

test('warn follows a stricter enforce level (and its version) unless warn is labelled', () => {
  const a = namespacePolicy({ [`${L}enforce`]: 'restricted', [`${L}enforce-version`]: 'v1.28' });
  assert.deepEqual(a.warn, { level: 'restricted', version: 'v1.28' });
  assert.deepEqual(a.audit, P);

  const b = namespacePolicy({ [`${L}enforce`]: 'baseline', [`${L}warn-version`]: 'v1.20' });
  assert.deepEqual(b.warn, { level: 'baseline', version: 'v1.20' });

  const c = namespacePolicy({ [`${L}enforce`]: 'baseline', [`${L}warn`]: 'privileged' });
  assert.deepEqual(c.warn, P);

  // An invalid enforce label does not propagate to warn.
  const d = namespacePolicy({ [`${L}enforce`]: 'bogus' });
  assert.deepEqual(d.warn, P);

  // Not when the default warn level is already as strict.
  const e = namespacePolicy({ [`${L}enforce`]: 'baseline' }, { warn: { level: 'restricted', version: 'v1.30' } });
  assert.deepEqual(e.warn, { level: 'restricted', version: 'v1.30' });
});

test('exemptions: usernames, runtime classes and namespaces', () => {
  const ex = { usernames: ['system:serviceaccount:kube-system:replicaset-controller'], runtimeClasses: ['kata'], namespaces: ['kube-system'] };
  assert.equal(isExempt(ex, { username: 'system:serviceaccount:kube-system:replicaset-controller' }), true);
  assert.equal(isExempt(ex, { runtimeClassName: 'kata' }), true);
  assert.equal(isExempt(ex, { namespace: 'kube-system' }), true);
  assert.equal(isExempt(ex, { username: 'alice', runtimeClassName: 'runc', namespace: 'default' }), false);
  assert.equal(isExempt(ex, {}), false);
  assert.equal(isExempt({}, { username: 'alice', namespace: 'kube-system' }), false);
  // Exact matches only.
  assert.equal(isExempt(ex, { namespace: 'kube-system-2' }), false);
  assert.equal(isExempt(ex, { runtimeClassName: 'KATA' }), false);
});
