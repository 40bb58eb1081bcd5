import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../core/errors.js';
import { DEFAULT_POLICY_TEXT } from './manifests.js';
import { compilePolicy, defaultPolicy, parsePolicy, PolicyFileWatcher, type ReloadEvent } from './policy.js';

test('no policy: restricted, latest, enforce; rules at their defaults', () => {
  const p = defaultPolicy();
  assert.deepEqual(p.defaults, { level: 'restricted', version: 'latest', mode: 'enforce' });
  assert.equal(p.workloads, 'enforce');
  assert.equal(p.rules['dashboard-insecure-flags'], 'enforce');
  assert.equal(p.rules['automount-service-account-token'], 'warn');
});

test('a full policy parses and compiles', () => {
  const p = parsePolicy(
    `apiVersion: kubeward.dev/v1alpha1
kind: AdmissionPolicy
defaults: { level: baseline, version: v1.30, mode: warn }
namespaces:
  legacy: { level: privileged }
  team-a: { level: restricted, mode: audit, version: v1.29 }
workloads: warn
rules: { image-digest-pinning: enforce, automount-service-account-token: off }
exemptions: { namespaces: [kube-system], usernames: [admin], groups: ['system:masters'], runtimeClasses: [kata] }
mutation: { enabled: false, namespaces: [team-a] }
sandbox: { namespaces: [untrusted], runtimeClassName: my-gvisor }
registries: { allow: [registry.example.com] }
`,
    'p.yaml',
  );
  assert.deepEqual(p.defaults, { level: 'baseline', version: 'v1.30', mode: 'warn' });
  assert.deepEqual(p.namespaces['legacy'], { level: 'privileged', version: 'latest', mode: 'enforce' });
  assert.deepEqual(p.namespaces['team-a'], { level: 'restricted', version: 'v1.29', mode: 'audit' });
  assert.equal(p.workloads, 'warn');
  assert.ok(p.sandbox.handlers.includes('my-gvisor'));
  const c = compilePolicy(p);
  assert.ok(c.exemptGroups.has('system:masters'));
  assert.ok(c.mutateNamespaces.has('team-a'));
  assert.ok(!c.activeRules.includes('automount-service-account-token'));
  assert.ok(c.activeRules.includes('image-digest-pinning'));
  assert.equal(p.source, 'p.yaml');
});

test('the shipped default policy text is valid', () => {
  assert.equal(parsePolicy(DEFAULT_POLICY_TEXT, 'default').defaults.level, 'restricted');
});

test('invalid policies are refused with a position and a reason', () => {
  const cases: Array<[string, RegExp, number?]> = [
    ['defaults:\n  level: strict\n', /\/defaults\/level: must be one of privileged, baseline, restricted/, 2],
    ['rules:\n  no-such-rule: warn\n', /unknown key "no-such-rule"/, 2],
    ['defaults: { version: "1.30" }\n', /\/defaults\/version/],
    ['namespaces:\n  Bad_Name: { level: baseline }\n', /namespaces/],
    ['exemptions: { usernames: admin }\n', /must be array/],
    ['kind: Policy\n', /\/kind/],
    ['- a\n', /must be a mapping/],
    ['', /empty/],
    ['# only a comment\n', /empty/],
    ['defaults: [\n', /invalid YAML/],
  ];
  for (const [text, re, line] of cases) {
    assert.throws(
      () => parsePolicy(text, 'bad.yaml'),
      (e: unknown) => {
        assert.match((e as Error).message, re, text);
        if (line !== undefined) assert.equal((e as ConfigError).location?.line, line, text);
        return true;
      },
    );
  }
});

test('watcher: picks up a change, keeps the last good policy on a bad edit, reports both', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeward-policy-'));
  const file = join(dir, 'policy.yaml');
  writeFileSync(file, 'defaults: { level: baseline }\n');
  const events: ReloadEvent[] = [];
  const w = new PolicyFileWatcher(file, { debounceMs: 20, onReload: (e) => events.push(e) }).start();
  try {
    assert.equal(w.current().policy.defaults.level, 'baseline');
    const wait = async (pred: () => boolean) => {
      for (let i = 0; i < 200 && !pred(); i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(pred());
    };
    writeFileSync(file, 'defaults: { level: privileged }\n');
    await wait(() => w.current().policy.defaults.level === 'privileged');
    writeFileSync(file, 'defaults: { level: nonsense }\n');
    await wait(() => events.some((e) => !e.ok));
    assert.equal(w.current().policy.defaults.level, 'privileged');
    assert.match(events.find((e) => !e.ok)?.error ?? '', /line 1/);
    // atomic replace (rename over), as editors and ConfigMap volumes do
    writeFileSync(join(dir, 'next.yaml'), 'defaults: { level: restricted }\n');
    const { renameSync } = await import('node:fs');
    renameSync(join(dir, 'next.yaml'), file);
    await wait(() => w.current().policy.defaults.level === 'restricted');
    // reading a missing file keeps the policy
    rmSync(file);
    assert.equal(w.reload().ok, false);
    assert.equal(w.current().policy.defaults.level, 'restricted');
  } finally {
    w.close();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => new PolicyFileWatcher(join(dir, 'missing.yaml')), ConfigError);
});
