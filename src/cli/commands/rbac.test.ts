import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import type { CliContext } from '../context.js';
import { exitCodeFor, renderError } from '../render-error.js';
import { registerRbac } from './rbac.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const shop = path.join(repoRoot, 'examples/shop');
const fixtures = path.resolve(repoRoot, '../shared/fixtures/rbac');

async function run(argv: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const ctx: CliContext = { stdout: (t) => (out += t), stderr: (t) => (err += t), readStdin: async () => stdin, isTTY: false, env: {}, cwd: repoRoot, exitCode: 0 };
  const program = new Command('kubeward').exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  registerRbac(program, ctx);
  const configure = (cmd: Command): void => {
    for (const c of cmd.commands) {
      c.exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
      configure(c);
    }
  };
  configure(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return { code: ctx.exitCode, out, err };
  } catch (e: unknown) {
    if (e instanceof CommanderError) return { code: e.exitCode === 0 ? 0 : 2, out, err };
    return { code: exitCodeFor(e), out, err: err + renderError(e) };
  }
}

test('rbac can-i: the shop api token can create pods in shop (json contract, exit 0)', async () => {
  const r = await run(['rbac', 'can-i', 'create', 'pods', '-n', 'shop', '--as', 'system:serviceaccount:shop:api', shop, '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as { allowed: boolean; reasons: Array<{ binding: { name: string }; role: { name: string } }> };
  assert.equal(j.allowed, true);
  assert.deepEqual(j.reasons.map((x) => [x.binding.name, x.role.name]), [['api', 'api']]);
});

test('rbac can-i: denied exits 1; deployments.apps and subresources parse like kubectl', async () => {
  const r = await run(['rbac', 'can-i', 'create', 'deployments.apps', '-n', 'shop', '--as', 'system:serviceaccount:shop:api', shop, '-f', 'json']);
  assert.equal(r.code, 1);
  assert.equal((JSON.parse(r.out) as { allowed: boolean }).allowed, false);
  const exec = await run(['rbac', 'can-i', 'create', 'pods/exec', '-n', 'shop', '--as', 'system:serviceaccount:shop:api', shop]);
  assert.equal(exec.code, 0);
  assert.match(exec.out, /^yes\n/);
});

test('rbac can-i: cluster-admin needs --with-default-roles; --non-resource-url', async () => {
  const without = await run(['rbac', 'can-i', 'get', 'secrets', '--as', 'system:serviceaccount:shop:ci-deployer', shop]);
  assert.equal(without.code, 1);
  const withDefaults = await run(['rbac', 'can-i', 'get', 'secrets', '--as', 'system:serviceaccount:shop:ci-deployer', '--with-default-roles', shop]);
  assert.equal(withDefaults.code, 0);
  const url = await run(['rbac', 'can-i', 'get', '--non-resource-url', '/healthz', '--as', 'someone', '--with-default-roles', shop]);
  assert.equal(url.code, 0, url.out + url.err);
  // as kubectl auth can-i: a path argument is a non-resource URL
  const positional = await run(['rbac', 'can-i', 'get', '/healthz', '--as', 'someone', '--with-default-roles', shop]);
  assert.equal(positional.code, 0, positional.out + positional.err);
  assert.equal((await run(['rbac', 'can-i', 'get', '/no-such-url', '--as', 'someone', '--with-default-roles', shop])).code, 1);
});

test('rbac can-i: usage errors exit 2', async () => {
  assert.equal((await run(['rbac', 'can-i', 'get', 'pods', shop])).code, 2);
  assert.equal((await run(['rbac', 'can-i', '--as', 'x'])).code, 2);
});

test('rbac who-can and list', async () => {
  const who = await run(['rbac', 'who-can', 'create', 'pods', '-n', 'shop', shop, '--format', 'json']);
  assert.equal(who.code, 0, who.err);
  const entries = JSON.parse(who.out) as Array<{ subject: { kind: string; name: string; namespace?: string } }>;
  assert.ok(entries.some((e) => e.subject.kind === 'ServiceAccount' && e.subject.name === 'api' && e.subject.namespace === 'shop'));
  assert.ok(entries.some((e) => e.subject.kind === 'User' && e.subject.name === 'system:anonymous'));
  const list = await run(['rbac', 'list', 'system:serviceaccount:shop:api', '-n', 'shop', shop]);
  assert.equal(list.code, 0);
  assert.match(list.out, /\[shop\] get,list,watch secrets,configmaps \(core\)/);
});

test('rbac risks: the shop shows which tokens read secrets / create pods, and the chain to cluster-admin', async () => {
  const r = await run(['rbac', 'risks', shop]);
  assert.equal(r.code, 1, r.err);
  assert.match(r.out, /Deployment shop\/api .*\n(.*\n)*? {6}can read all secrets in namespace shop/);
  assert.match(r.out, /can create pods in namespace shop/);
  assert.match(r.out, /ServiceAccount shop\/api —\[can create pods in namespace shop\]→ ServiceAccount shop\/ci-deployer —\[.*\]→ cluster-admin/);
  assert.match(r.out, /rbac-anonymous-access/);
  const j = await run(['rbac', 'risks', shop, '-f', 'json']);
  const data = JSON.parse(j.out) as { workloads: Array<{ workload: { name: string }; clusterAdminEquivalent: boolean }> };
  assert.equal(data.workloads.find((w) => w.workload.name === 'api')?.clusterAdminEquivalent, true);
  assert.equal(data.workloads.find((w) => w.workload.name === 'web')?.clusterAdminEquivalent, false);
});

test('rbac can-i --batch reads SubjectAccessReviews whole, as specs, or flattened, with group or apiGroup', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeward-rbac-'));
  const rbac = path.join(dir, 'rbac.yaml');
  writeFileSync(
    rbac,
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: deployer}\nrules:\n- {apiGroups: [apps], resources: [deployments], verbs: [create]}\n- {apiGroups: [""], resources: [pods], verbs: [delete]}\n- {nonResourceURLs: [/healthz], verbs: [get]}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: alice}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: deployer}\nsubjects: [{kind: User, name: alice}]\n',
  );
  const queries = [
    { user: 'alice', verb: 'create', group: 'apps', resource: 'deployments' },
    { user: 'alice', verb: 'delete', group: 'apps', resource: 'pods' },
    { user: 'alice', verb: 'create', apiGroup: 'apps', resource: 'deployments' },
    { user: 'alice', resourceAttributes: { verb: 'create', group: 'apps', version: 'v1', resource: 'deployments', namespace: 'x' } },
    { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'alice', resourceAttributes: { verb: 'delete', resource: 'pods' } } },
    { spec: { user: 'alice', nonResourceAttributes: { verb: 'get', path: '/healthz' } } },
    { spec: { user: 'bob', nonResourceAttributes: { verb: 'get', path: '/healthz' } } },
  ];
  const q = path.join(dir, 'q.jsonl');
  writeFileSync(q, `${queries.map((x) => JSON.stringify(x)).join('\n')}\n`);
  const r = await run(['rbac', 'can-i', '--batch', q, rbac]);
  assert.equal(r.code, 0, r.err + r.out);
  assert.deepEqual(r.out.trim().split('\n').map((l) => (JSON.parse(l) as { allowed: boolean }).allowed), [true, false, true, true, true, true, false]);
});

if (!existsSync(fixtures)) {
  console.log('NOTICE: ../shared/fixtures absent; skipping rbac can-i --batch fixture check');
  test.skip('rbac can-i --batch against the API-server fixtures', () => {});
} else {
  test('rbac can-i --batch answers the API-server fixtures line for line', async () => {
    const world = path.join(fixtures, 'sar-1');
    const cases = readFileSync(path.join(world, 'cases.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '');
    const dir = mkdtempSync(path.join(tmpdir(), 'kubeward-rbac-'));
    const q = path.join(dir, 'q.jsonl');
    writeFileSync(q, `${cases.join('\n')}\n`);
    const r = await run(['rbac', 'can-i', '--batch', q, path.join(world, 'rbac-dump.json')]);
    assert.equal(r.code, 0, r.err);
    const answers = r.out.trim().split('\n').map((l) => (JSON.parse(l) as { allowed: boolean }).allowed);
    assert.equal(answers.length, cases.length);
    cases.forEach((c, i) => assert.equal(answers[i], (JSON.parse(c) as { expectedAllowed: boolean }).expectedAllowed, c));
    const viaStdin = await run(['rbac', 'can-i', '--batch', '-', path.join(world, 'rbac-dump.json')], `${cases[0]}\nnot json\n`);
    assert.equal(viaStdin.code, 2);
    assert.equal(viaStdin.out.trim().split('\n').length, 2);
  });
}
