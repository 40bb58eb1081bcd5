/**
 * `kubeward admission test|certs|manifests|serve` through commander, in-process, and
 * `serve` as a real child process stopped with SIGTERM.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadAll } from 'js-yaml';
import { runMain } from '../../src/cli/main.js';
import type { CliContext } from '../../src/cli/context.js';
import type { KubeObject } from '../../src/core/types.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs the real CLI entry in-process: its exit codes (2 usage or input, 3 internal error), not a test's guess. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const ctx: CliContext = { stdout: (t) => (out += t), stderr: (t) => (err += t), readStdin: async () => '', isTTY: false, env: {}, cwd: repoRoot, exitCode: 0 };
  const code = await runMain(args, ctx);
  return { code, out, err };
}

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeward-admission-cli-'));
  writeFileSync(
    join(dir, 'bad.yaml'),
    'apiVersion: v1\nkind: Pod\nmetadata: {name: bad, namespace: team}\nspec:\n  containers:\n  - name: c\n    image: busybox\n    securityContext: {privileged: true}\n',
  );
  writeFileSync(join(dir, 'plain.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: team}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n');
  writeFileSync(join(dir, 'mutating.yaml'), 'apiVersion: kubeward.dev/v1alpha1\nkind: AdmissionPolicy\nmutation: {enabled: true}\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('admission test: denied manifest prints the AdmissionReview response and exits 1', async () => {
  const r = await cli(['admission', 'test', join(dir, 'bad.yaml')]);
  assert.equal(r.code, 1, r.err);
  const review = JSON.parse(r.out);
  assert.equal(review.kind, 'AdmissionReview');
  assert.equal(review.response.allowed, false);
  assert.match(review.response.status.message, /privileged/);
});

test('admission test: a PodTemplate is evaluated as the webhook evaluates it (a template in the workloads mode)', async () => {
  const file = join(dir, 'podtemplate.yaml');
  writeFileSync(file, 'apiVersion: v1\nkind: PodTemplate\nmetadata: {name: tpl, namespace: team}\ntemplate:\n  spec:\n    hostNetwork: true\n    containers:\n    - name: c\n      image: busybox\n');
  const r = await cli(['admission', 'test', file]);
  assert.equal(r.code, 1, r.err);
  const review = JSON.parse(r.out);
  assert.equal(review.response.allowed, false);
  assert.match(review.response.status.message, /^podtemplates "tpl" is forbidden: violates PodSecurity "restricted:latest": host namespaces \(hostNetwork=true\)/);
});

test('admission test: an images policy, which needs the webhook database, is said not to be applied', async () => {
  const policy = join(dir, 'images-policy.yaml');
  writeFileSync(policy, 'apiVersion: kubeward.dev/v1alpha1\nkind: AdmissionPolicy\nimages: {mode: enforce, unknown: deny}\n');
  const r = await cli(['admission', 'test', join(dir, 'bad.yaml'), '--policy', policy]);
  assert.match(r.err, /images section is not applied/);
});

test('admission test: namespace labels, user and operation flags', async () => {
  const r = await cli(['admission', 'test', join(dir, 'bad.yaml'), '--namespace-labels', 'pod-security.kubernetes.io/enforce=privileged', '--operation', 'UPDATE', '--user', 'me']);
  assert.equal(r.code, 0, r.out);
  assert.equal(JSON.parse(r.out).response.allowed, true);
  const bad = await cli(['admission', 'test', join(dir, 'bad.yaml'), '--namespace-labels', 'novalue']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /key=value/);
});

test('admission test: with mutation on, the patch is shown and validation sees the patched object', async () => {
  const plain = await cli(['admission', 'test', join(dir, 'plain.yaml')]);
  assert.equal(plain.code, 1, 'denied without mutation');
  const r = await cli(['admission', 'test', join(dir, 'plain.yaml'), '--policy', join(dir, 'mutating.yaml')]);
  assert.equal(r.code, 0, r.out);
  const [entry] = JSON.parse(r.out);
  assert.equal(entry.object, 'Deployment/team/web');
  assert.equal(entry.mutate.response.patchType, 'JSONPatch');
  assert.equal(entry.validate.response.allowed, true);
});

test('admission test: input problems exit 2', async () => {
  writeFileSync(join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
  const cm = await cli(['admission', 'test', join(dir, 'cm.yaml')]);
  assert.equal(cm.code, 2);
  assert.match(cm.err, /no Pod, pod-owning workload or PodTemplate/);
  writeFileSync(join(dir, 'broken.yaml'), 'kind: [\n');
  const broken = await cli(['admission', 'test', join(dir, 'broken.yaml')]);
  assert.equal(broken.code, 2);
  assert.match(broken.err, /broken\.yaml:\d+:\d+: invalid YAML/);
  writeFileSync(join(dir, 'badpolicy.yaml'), 'defaults: {level: x}\n');
  const r = await cli(['admission', 'test', join(dir, 'bad.yaml'), '--policy', join(dir, 'badpolicy.yaml')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /defaults\/level/);
});

test('admission certs writes ca.crt, tls.crt and a private tls.key', async () => {
  const out = join(dir, 'certs');
  const r = await cli(['admission', 'certs', '--out', out, '--dns', 'hook.ns.svc', 'localhost']);
  assert.equal(r.code, 0, r.err);
  for (const f of ['ca.crt', 'tls.crt', 'tls.key']) assert.ok(existsSync(join(out, f)), f);
  assert.match(readFileSync(join(out, 'tls.key'), 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
  assert.equal(statSync(join(out, 'tls.key')).mode & 0o077, 0);
  const { X509Certificate } = await import('node:crypto');
  const leaf = new X509Certificate(readFileSync(join(out, 'tls.crt')));
  const ca = new X509Certificate(readFileSync(join(out, 'ca.crt')));
  assert.ok(leaf.verify(ca.publicKey));
  assert.match(leaf.subjectAltName ?? '', /DNS:hook\.ns\.svc, DNS:localhost/);
});

test('admission manifests prints installable YAML', async () => {
  const r = await cli(['admission', 'manifests', '--namespace', 'guard', '--image', `example.com/kubeward@sha256:${'1'.repeat(64)}`]);
  assert.equal(r.code, 0, r.err);
  const docs = loadAll(r.out) as KubeObject[];
  assert.ok(docs.some((d) => d.kind === 'ValidatingWebhookConfiguration'));
  const dep = docs.find((d) => d.kind === 'Deployment') as KubeObject & { spec: { template: { spec: { containers: Array<{ image: string }> } } } };
  assert.equal(dep.metadata.namespace, 'guard');
  assert.match(dep.spec.template.spec.containers[0]!.image, /@sha256:/);
  const maybe = await cli(['admission', 'manifests', '--failure-policy', 'Maybe']);
  assert.equal(maybe.code, 2);
  assert.match(maybe.err, /Maybe/);
  // Out of the API's range: refused, not quietly clamped.
  for (const bad of [['--timeout-seconds', '31'], ['--timeout-seconds', '0'], ['--timeout-seconds', '2.5'], ['--replicas', '0']]) {
    const r2 = await cli(['admission', 'manifests', ...bad]);
    assert.equal(r2.code, 2, bad.join(' '));
    assert.match(r2.err, /whole number from/, bad.join(' '));
  }
  const thirty = await cli(['admission', 'manifests', '--timeout-seconds', '30']);
  assert.equal(thirty.code, 0, thirty.err);
  assert.match(thirty.out, /timeoutSeconds: 30/);
});

test('admission serve: serves over TLS and shuts down gracefully on SIGTERM', async () => {
  const certs = join(dir, 'serve-certs');
  await cli(['admission', 'certs', '--out', certs, '--dns', 'localhost']);
  const script = `import { createRequire } from 'node:module';
const { Command } = createRequire(${JSON.stringify(join(repoRoot, 'package.json'))})('commander');
import { registerAdmission } from ${JSON.stringify(join(repoRoot, 'src/cli/commands/admission.ts'))};
const ctx = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), readStdin: async () => '', isTTY: false, env: {}, cwd: process.cwd(), exitCode: 0 };
const p = new Command('kubeward'); registerAdmission(p, ctx);
await p.parseAsync(process.argv.slice(2), { from: 'user' });
process.stdout.write('STOPPED\\n');`;
  const file = join(dir, 'serve.mts');
  writeFileSync(file, script);
  const child = spawn(process.execPath, ['--import', 'tsx', file, 'admission', 'serve', '--cert', join(certs, 'tls.crt'), '--key', join(certs, 'tls.key'), '--port', '0', '--host', '127.0.0.1', '--shutdown-delay', '0'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const port = await new Promise<number>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`no listening line: ${out}`)), 20000);
    child.stdout.on('data', () => {
      const m = /"port":(\d+)/.exec(out);
      if (m) {
        clearTimeout(t);
        res(Number(m[1]));
      }
    });
  });
  const ca = readFileSync(join(certs, 'ca.crt'));
  const status = await new Promise<number>((res, rej) => {
    request({ host: '127.0.0.1', port, path: '/healthz', servername: 'localhost', ca }, (r) => {
      r.resume();
      res(r.statusCode ?? 0);
    })
      .on('error', rej)
      .end();
  });
  assert.equal(status, 200);
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
  assert.equal(code, 0, out);
  assert.match(out, /"msg":"shutting down"/);
  assert.match(out, /admission webhook stopped/);
  assert.match(out, /STOPPED/);
});
