import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../../test/helpers/cli.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function run(argv: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(argv, { stdin, cwd: repoRoot });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

const shop = path.join(repoRoot, 'examples/shop');
const hardened = path.join(repoRoot, 'examples/shop-hardened');

test('pss: the shop example fails restricted v1.30 with failing checks per workload (exit 1)', async () => {
  const r = await run(['pss', '--level', 'restricted', '--version', 'v1.30', shop]);
  assert.equal(r.code, 1);
  assert.match(r.out, /FAIL {2}StatefulSet shop\/db/);
  assert.match(r.out, /restrictedVolumes: restricted volume types \(volume "data" uses restricted volume type "hostPath"\)/);
  assert.match(r.out, /at restricted:v1\.30/);
});

test('pss: the hardened example passes restricted (exit 0)', async () => {
  const r = await run(['pss', '--level', 'restricted', '--version', 'v1.30', hardened]);
  assert.equal(r.code, 0, r.out + r.err);
  assert.doesNotMatch(r.out, /FAIL/);
});

test('pss --format json follows the contract', async () => {
  const r = await run(['pss', '--level', 'baseline', '--version', 'latest', '--format', 'json', shop]);
  assert.equal(r.code, 1);
  const entries = JSON.parse(r.out) as Array<Record<string, unknown>>;
  assert.ok(entries.length > 0);
  for (const e of entries) {
    assert.deepEqual(Object.keys(e).sort(), ['allowed', 'failures', 'file', 'kind', 'name', 'namespace']);
    assert.equal(typeof e['allowed'], 'boolean');
    for (const f of e['failures'] as Array<Record<string, unknown>>) assert.deepEqual(Object.keys(f).sort(), ['detail', 'id', 'reason']);
  }
  const agent = entries.find((e) => e['name'] === 'log-agent')!;
  assert.equal(agent['kind'], 'DaemonSet');
  assert.equal(agent['namespace'], 'kube-system');
  assert.deepEqual((agent['failures'] as Array<{ id: string }>).map((f) => f.id), ['hostNamespaces', 'hostPathVolumes', 'privileged']);
});

test('pss: reads standard input and skips non-workload kinds', async () => {
  const yaml = [
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers: [{name: c, image: x}]\n',
  ].join('---\n');
  const ok = await run(['pss', '--level', 'baseline', '--format', 'json', '-'], yaml);
  assert.equal(ok.code, 0, ok.err);
  assert.deepEqual(JSON.parse(ok.out), [{ file: '<stdin>', kind: 'Pod', namespace: 'shop', name: 'p', allowed: true, failures: [] }]);
  const denied = await run(['pss', '-'], yaml);
  assert.equal(denied.code, 1);
});

test('pss: usage and input errors exit 2', async () => {
  assert.equal((await run(['pss', '--level', 'strict', shop])).code, 2);
  assert.equal((await run(['pss', '--version', 'v2.0', shop])).code, 2);
  assert.equal((await run(['pss', '--format', 'xml', shop])).code, 2);
  const missing = await run(['pss', path.join(repoRoot, 'no/such/dir')]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no such file/);
  const broken = await run(['pss', '-'], 'kind: Pod\nmetadata: [unclosed\n');
  assert.equal(broken.code, 2);
});

test('pss evaluates PodTemplate objects, as Pod Security Admission does', async () => {
  const podTemplate = 'apiVersion: v1\nkind: PodTemplate\nmetadata: {name: tpl, namespace: team}\ntemplate:\n  metadata: {labels: {a: b}}\n  spec:\n    hostNetwork: true\n    containers:\n    - name: c\n      image: busybox\n      securityContext: {privileged: true}\n';
  const r = await run(['pss', '--level', 'baseline', '--version', 'latest', '-'], podTemplate);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, /FAIL {2}PodTemplate team\/tpl/);
  assert.match(r.out, /hostNamespaces: host namespaces \(hostNetwork=true\)/);
  assert.match(r.out, /privileged: privileged \(container "c" must not set securityContext\.privileged=true\)/);
});
