import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';

const shop = join(repoRoot, 'examples/shop');
const hardened = join(repoRoot, 'examples/shop-hardened');

const PRIVILEGED = `apiVersion: v1
kind: Pod
metadata: {name: bad, namespace: t}
spec:
  containers:
    - name: c
      image: busybox:1.36
      securityContext: {privileged: true}
`;

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'kubeward-test-'));
}

test('exit code 1 when findings reach the threshold, 0 below it', async () => {
  const dir = tmp();
  try {
    writeFileSync(join(dir, 'p.yaml'), PRIVILEGED);
    const r = await runCli(['scan', dir, '--no-config']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /privileged-container/);
    const none = await runCli(['scan', dir, '--no-config', '--fail-on', 'none']);
    assert.equal(none.code, 0);
    const skip = await runCli(['scan', dir, '--no-config', '--skip-rule', 'privileged-container', '--fail-on', 'critical']);
    assert.equal(skip.code, 0, 'nothing critical is left');
    assert.match(skip.stdout, /run-as-root/, 'the other rules still report');
    assert.ok(!skip.stdout.includes('privileged-container'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('malformed YAML in one of several files: file:line:column, other findings kept, exit 2', async () => {
  const dir = tmp();
  try {
    writeFileSync(join(dir, 'a.yaml'), PRIVILEGED);
    writeFileSync(join(dir, 'b.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [oops\n');
    const r = await runCli(['scan', dir, '--no-config', '--format', 'json']);
    assert.equal(r.code, 2);
    const report = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; location: { file: string } }>; errors: Array<{ file: string; line: number; column: number }> };
    assert.equal(report.errors.length, 1);
    assert.equal(report.errors[0]?.file, join(dir, 'b.yaml'));
    assert.deepEqual([report.errors[0]?.line, report.errors[0]?.column], [5, 1]);
    assert.ok(report.findings.some((f) => f.ruleId === 'privileged-container' && f.location.file === join(dir, 'a.yaml')));
    assert.match(r.stderr, /b\.yaml:\d+:\d+: invalid YAML/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('directories: symbolic links to files and directories are followed (loops end), a broken one is an input error', async () => {
  const dir = tmp();
  try {
    const outside = join(dir, 'outside');
    const scanned = join(dir, 'scanned');
    mkdirSync(join(outside, 'sub'), { recursive: true });
    mkdirSync(scanned);
    writeFileSync(join(outside, 'linked.yaml'), PRIVILEGED.replace('name: bad', 'name: linked'));
    writeFileSync(join(outside, 'sub', 'deep.yaml'), PRIVILEGED.replace('name: bad', 'name: deep'));
    symlinkSync(join(outside, 'linked.yaml'), join(scanned, 'linked.yaml'));
    symlinkSync(join(outside, 'sub'), join(scanned, 'sub'));
    symlinkSync(scanned, join(scanned, 'loop'));
    // the same file and directory under a second name inside the scanned tree: read once, by their own names
    writeFileSync(join(scanned, 'own.yaml'), PRIVILEGED.replace('name: bad', 'name: own'));
    symlinkSync(join(scanned, 'own.yaml'), join(scanned, 'alias.yaml'));
    mkdirSync(join(scanned, 'real'));
    writeFileSync(join(scanned, 'real', 'inner.yaml'), PRIVILEGED.replace('name: bad', 'name: inner'));
    symlinkSync(join(scanned, 'real'), join(scanned, 'a-link'));
    const ok = await runCli(['scan', scanned, '--no-config', '--format', 'json', '--rule', 'privileged-container']);
    assert.equal(ok.code, 1, ok.stderr);
    const okReport = JSON.parse(ok.stdout) as { findings: Array<{ resource: { name: string }; location: { file: string } }> };
    assert.deepEqual(okReport.findings.map((f) => f.resource.name).sort(), ['deep', 'inner', 'linked', 'own']);
    assert.ok(okReport.findings.some((f) => f.location.file === join(scanned, 'real', 'inner.yaml')));
    assert.ok(okReport.findings.some((f) => f.location.file === join(scanned, 'own.yaml')));
    symlinkSync(join(dir, 'nowhere.yaml'), join(scanned, 'broken.yaml'));
    const broken = await runCli(['scan', scanned, '--no-config', '--rule', 'privileged-container']);
    assert.equal(broken.code, 2);
    assert.match(broken.stdout + broken.stderr, /broken\.yaml:1:1: broken symbolic link/);
    assert.match(broken.stdout, /linked/, 'the other files are still scanned');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Lists inside Lists are flattened; null list items are read as empty objects with a warning, never a crash', async () => {
  const dir = tmp();
  try {
    const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 't' }, spec: { containers: [{ name: 'c', image: 'x', securityContext: { privileged: true } }] } });
    writeFileSync(join(dir, 'nested.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'List', items: [pod('inner')] }, { apiVersion: 'v1', kind: 'PodList', items: [{ ...pod('typed'), kind: undefined }] }] }, null, 1));
    writeFileSync(
      join(dir, 'nulls.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: t}\nspec:\n  template:\n    spec:\n      containers:\n        -\n        - name: web\n          image: nginx:1.27\n          securityContext: {privileged: true}\n          ports:\n            - containerPort: 8080\n            -\n      volumes:\n        -\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: t}\nspec:\n  type: NodePort\n  ports: [null]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: agg}\naggregationRule:\n  clusterRoleSelectors: [{matchExpressions: [null]}]\nrules: [null]\n',
    );
    const r = await runCli(['scan', dir, '--no-config', '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; resource: { kind: string; name: string } }>; warnings: Array<{ file: string; line: number; message: string }> };
    const privileged = report.findings.filter((f) => f.ruleId === 'privileged-container').map((f) => f.resource.name).sort();
    assert.deepEqual(privileged, ['inner', 'typed', 'web']);
    assert.equal(report.findings.some((f) => f.resource.kind === 'List' || f.resource.kind === 'PodList'), false);
    const nullWarnings = report.warnings.filter((w) => /list item .* is null/.test(w.message));
    assert.equal(nullWarnings.length, 6, JSON.stringify(report.warnings));
    // an empty entry in a container list is no container to report on
    assert.equal(JSON.stringify(report.findings).includes('undefined'), false);
    assert.ok(nullWarnings.every((w) => w.line > 1), 'located at the list, not the document start');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('UTF-16 files with a byte-order mark are read (as kubectl reads them)', async () => {
  const dir = tmp();
  try {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(PRIVILEGED, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    writeFileSync(join(dir, 'le.yaml'), le);
    writeFileSync(join(dir, 'be.yaml'), be);
    const r = await runCli(['scan', dir, '--no-config', '--format', 'json', '--rule', 'privileged-container']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { findings: Array<{ location: { file: string; line: number } }>; errors: unknown[] };
    assert.deepEqual(report.errors, []);
    assert.deepEqual(report.findings.map((f) => [f.location.file.slice(dir.length + 1), f.location.line]), [['be.yaml', 8], ['le.yaml', 8]]);
    // and on standard input, as the real process reads it
    const piped = spawnSync(process.execPath, [join(repoRoot, 'bin/kubeward.js'), 'scan', '-', '--no-config', '--rule', 'privileged-container', '--format', 'json'], { input: le, encoding: 'utf8' });
    assert.equal(piped.status, 1, piped.stderr);
    assert.equal((JSON.parse(piped.stdout) as { findings: unknown[] }).findings.length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('usage errors exit 2', async () => {
  assert.equal((await runCli(['scan'])).code, 2);
  assert.equal((await runCli(['scan', '--format', 'xml', shop])).code, 2);
  assert.equal((await runCli(['scan', '--rule', 'no-such-rule', shop])).code, 2);
  assert.equal((await runCli(['scan', '--rule', '', shop])).code, 2, 'an empty list is not "every rule"');
  assert.equal((await runCli(['no-such-command'])).code, 2);
  const missing = await runCli(['scan', '/no/such/path', '--format', 'json']);
  assert.equal(missing.code, 2);
});

test('stdin with - and Helm-style output: findings name the chart template', async () => {
  const stdin = `---\n# Source: chart/templates/pod.yaml\n${PRIVILEGED}`;
  const r = await runCli(['scan', '-', '--no-config', '--format', 'json'], { stdin });
  assert.equal(r.code, 1);
  const report = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; location: { file: string; line: number; column: number } }> };
  // The Helm source comment and the leading marker shift the pod down two lines.
  assert.deepEqual(report.findings.find((f) => f.ruleId === 'privileged-container')?.location, { file: '<stdin>', line: 10, column: 25, template: 'chart/templates/pod.yaml' });
  const schema = JSON.parse(readFileSync(join(repoRoot, 'docs/schemas/scan-report.schema.json'), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  assert.ok(ajv.validate(schema, report), JSON.stringify(ajv.errors?.slice(0, 3)));
  const text = await runCli(['scan', '-', '--no-config'], { stdin });
  assert.match(text.stdout, /<stdin> \(rendered from chart\/templates\/pod\.yaml\)/);
  const sarif = JSON.parse((await runCli(['scan', '-', '--no-config', '--format', 'sarif'], { stdin })).stdout) as { runs: Array<{ results: Array<{ properties: Record<string, unknown> }> }> };
  assert.equal(sarif.runs[0]?.results[0]?.properties['helmTemplate'], 'chart/templates/pod.yaml');
});

test('the JSON report follows its documented schema and is sorted', async () => {
  const r = await runCli(['scan', shop, '--format', 'json', '--fail-on', 'none']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { findings: Array<{ location: { file: string; line: number; column: number } }> };
  const schema = JSON.parse(readFileSync(join(repoRoot, 'docs/schemas/scan-report.schema.json'), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const ok = ajv.validate(schema, report);
  assert.ok(ok, JSON.stringify(ajv.errors?.slice(0, 3)));
  const keys = report.findings.map((f) => `${f.location.file}\0${String(f.location.line).padStart(6, '0')}\0${String(f.location.column).padStart(6, '0')}`);
  assert.deepEqual(keys, [...keys].sort());
});

test('SARIF output validates against the SARIF 2.1.0 schema', async () => {
  const r = await runCli(['scan', shop, '--format', 'sarif', '--fail-on', 'none']);
  const sarif = JSON.parse(r.stdout) as { runs: Array<{ results: Array<{ ruleId: string; partialFingerprints: Record<string, string>; locations: Array<{ physicalLocation: { region: { startLine: number } } }> }> }> };
  const schema = JSON.parse(readFileSync(join(repoRoot, 'test/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
  const ajv = new AjvDraft04Module.default({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormatsModule.default(ajv as never);
  const valid = ajv.validate(schema, sarif);
  assert.ok(valid, JSON.stringify(ajv.errors?.slice(0, 3)));
  assert.ok((sarif.runs[0]?.results.length ?? 0) > 0);
  assert.ok(sarif.runs[0]?.results.every((x) => (x.locations[0]?.physicalLocation.region.startLine ?? 0) >= 1));
  // Code-scanning UIs tell alerts apart by rule and fingerprint: each result has its own.
  const prints = (sarif.runs[0]?.results ?? []).map((x) => `${x.ruleId} ${x.partialFingerprints['kubeward/v2']}`);
  assert.equal(new Set(prints).size, prints.length);
});

test('the hardened example has no high or critical finding', async () => {
  const r = await runCli(['scan', hardened, '--format', 'json', '--fail-on', 'high']);
  const report = JSON.parse(r.stdout) as { findings: Array<{ severity: string; ruleId: string; message: string }>; errors: unknown[] };
  assert.deepEqual(report.errors, []);
  const bad = report.findings.filter((f) => f.severity === 'high' || f.severity === 'critical');
  assert.deepEqual(bad, []);
  assert.equal(r.code, 0);
});

test('configuration: invalid file names its position; exceptions suppress until they expire', async () => {
  const dir = tmp();
  try {
    writeFileSync(join(dir, 'p.yaml'), PRIVILEGED);
    writeFileSync(join(dir, '.kubeward.yaml'), 'rules:\n  privileged-container: off\nsandbox:\n  handler: [runsc]\n');
    const bad = await runCli(['scan', dir]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /\.kubeward\.yaml:4:3: invalid configuration at \/sandbox: unknown key "handler"/);
    writeFileSync(
      join(dir, '.kubeward.yaml'),
      'exceptions:\n  - rule: privileged-container\n    resource: {kind: Pod, namespace: t, name: "b*"}\n    justification: node debugging pod, removed after the incident\n    expires: "2999-01-01"\n',
    );
    const ok = await runCli(['scan', dir, '--format', 'json', '--rule', 'privileged-container']);
    const rep = JSON.parse(ok.stdout) as { findings: Array<{ suppressed?: unknown }>; summary: { suppressed: number } };
    assert.equal(ok.code, 0);
    assert.equal(rep.summary.suppressed, 1);
    writeFileSync(join(dir, '.kubeward.yaml'), 'exceptions:\n  - rule: privileged-container\n    justification: node debugging pod, removed after the incident\n    expires: "2020-01-01"\n');
    const expired = await runCli(['scan', dir, '--format', 'json', '--rule', 'privileged-container']);
    assert.equal(expired.code, 1);
    assert.match(expired.stdout, /expired on 2020-01-01/);
    writeFileSync(join(dir, '.kubeward.yaml'), 'failOn: critical\nrules:\n  privileged-container: {severity: high}\n');
    const over = await runCli(['scan', dir, '--format', 'json', '--rule', 'privileged-container']);
    assert.equal(over.code, 0, 'severity override below the configured threshold');
    // Mistakes that would silently switch nothing off or suppress nothing are refused, located.
    const refused: Array<[string, RegExp]> = [
      ['rules:\n  privileged-containr: off\n', /\.kubeward\.yaml:2:3: invalid configuration at \/rules\/privileged-containr: unknown rule "privileged-containr"/],
      ['exceptions:\n  - rule: nope\n    justification: accepted risk per ticket SEC-123\n', /\.kubeward\.yaml:2:5: invalid configuration at \/exceptions\/0\/rule: unknown rule "nope"/],
      ['exceptions:\n  - rule: privileged-container\n    justification: "          "\n', /at \/exceptions\/0\/justification: a justification says why/],
      ['exceptions:\n  - rule: privileged-container\n    justification: node debugging pod, removed after the incident\n    expires: "2027-02-30"\n', /at \/exceptions\/0\/expires: no such date: 2027-02-30/],
    ];
    for (const [text, message] of refused) {
      writeFileSync(join(dir, '.kubeward.yaml'), text);
      const r = await runCli(['scan', dir, '--rule', 'privileged-container']);
      assert.equal(r.code, 2, text);
      assert.match(r.stderr, message, text);
    }
    // An empty or comment-only file configures nothing; a pod without a namespace is in "default".
    for (const text of ['', '# nothing yet\n\n  # still nothing\n']) {
      writeFileSync(join(dir, '.kubeward.yaml'), text);
      assert.equal((await runCli(['scan', dir, '--rule', 'privileged-container'])).code, 1, JSON.stringify(text));
    }
    writeFileSync(join(dir, 'p.yaml'), PRIVILEGED.replace('namespace: t', 'labels: {}'));
    writeFileSync(join(dir, '.kubeward.yaml'), 'exceptions:\n  - rule: privileged-container\n    resource: {namespace: default}\n    justification: node debugging pod, removed after the incident\n');
    assert.equal((await runCli(['scan', dir, '--rule', 'privileged-container'])).code, 0, 'suppressed in the implied default namespace');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ignore annotations on an object: suppressed with their justification (JSON, SARIF inSource), never without one', async () => {
  const dir = tmp();
  try {
    const annotated = PRIVILEGED.replace(
      'metadata: {name: bad, namespace: t}',
      'metadata:\n  name: bad\n  namespace: t\n  annotations:\n    kubeward.dev/ignore: privileged-container\n    kubeward.dev/ignore-justification: node debugging pod, removed after the incident',
    );
    writeFileSync(join(dir, 'p.yaml'), annotated);
    const r = await runCli(['scan', dir, '--no-config', '--format', 'json', '--rule', 'privileged-container']);
    assert.equal(r.code, 0, r.stdout);
    const rep = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; suppressed?: unknown }>; summary: { suppressed: number; total: number }; notices: string[] };
    assert.deepEqual(rep.findings.map((f) => [f.ruleId, f.suppressed]), [['privileged-container', { justification: 'node debugging pod, removed after the incident', source: 'annotation' }]]);
    assert.deepEqual([rep.summary.total, rep.summary.suppressed], [0, 1]);
    const schema = JSON.parse(readFileSync(join(repoRoot, 'docs/schemas/scan-report.schema.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    assert.ok(ajv.validate(schema, rep), JSON.stringify(ajv.errors?.slice(0, 3)));
    const sarif = await runCli(['scan', dir, '--no-config', '--format', 'sarif', '--rule', 'privileged-container']);
    const results = (JSON.parse(sarif.stdout) as { runs: Array<{ results: Array<{ suppressions?: unknown }> }> }).runs[0]?.results ?? [];
    assert.deepEqual(results.map((x) => x.suppressions), [[{ kind: 'inSource', status: 'accepted', justification: 'node debugging pod, removed after the incident' }]]);
    // without a justification: reported, and the notice says why
    writeFileSync(join(dir, 'p.yaml'), annotated.replace(/\n\s*kubeward\.dev\/ignore-justification:.*/, ''));
    const bare = await runCli(['scan', dir, '--no-config', '--rule', 'privileged-container']);
    assert.equal(bare.code, 1);
    assert.match(bare.stdout, /notice Pod t\/bad: kubeward\.dev\/ignore without kubeward\.dev\/ignore-justification suppresses nothing/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--namespace keeps, --exclude-namespace drops the findings of namespaces; cluster-scoped objects are kept when excluding', async () => {
  type Report = { findings: Array<{ resource: { kind: string; namespace?: string; name: string } }> };
  const where = (r: Report): string[] => [...new Set(r.findings.map((f) => (f.resource.kind === 'Namespace' ? `Namespace/${f.resource.name}` : f.resource.namespace ?? `(${f.resource.kind})`)))].sort();
  const all = JSON.parse((await runCli(['scan', shop, '--format', 'json', '--fail-on', 'none'])).stdout) as Report;
  assert.ok(where(all).includes('kube-system') && where(all).includes('(ClusterRole)'));
  const only = JSON.parse((await runCli(['scan', shop, '--format', 'json', '--fail-on', 'none', '-n', 'shop'])).stdout) as Report;
  assert.deepEqual(where(only), ['Namespace/shop', 'shop']);
  const r = await runCli(['scan', shop, '--format', 'json', '--fail-on', 'none', '--exclude-namespace', 'kube-system,kubernetes-dashboard', '--exclude-namespace', 'default']);
  const rest = JSON.parse(r.stdout) as Report;
  const excluded = ['kube-system', 'kubernetes-dashboard', 'default'];
  const kept = (f: Report['findings'][number]): boolean =>
    ['ClusterRole', 'ClusterRoleBinding'].includes(f.resource.kind) || !excluded.includes(f.resource.kind === 'Namespace' ? f.resource.name : (f.resource.namespace ?? 'default'));
  assert.deepEqual(rest.findings, all.findings.filter(kept));
  assert.deepEqual(where(rest), ['(ClusterRole)', '(ClusterRoleBinding)', 'Namespace/shop', 'shop']);
});

test('rules and explain', async () => {
  const list = await runCli(['rules', '--format', 'json']);
  const rules = JSON.parse(list.stdout) as Array<{ id: string }>;
  assert.ok(rules.some((r) => r.id === 'privileged-container'));
  const ex = await runCli(['explain', 'privileged-container']);
  assert.match(ex.stdout, /Remediation:/);
  assert.equal((await runCli(['explain', 'nope'])).code, 2);
});

test('a 100 MB file is scanned within bounded memory, and refused over --max-file-size', () => {
  const dir = tmp();
  try {
    const file = join(dir, 'huge.yaml');
    const fd = openSync(file, 'w');
    writeSync(fd, PRIVILEGED);
    const filler = '# ' + 'x'.repeat(1021) + '\n';
    const block = filler.repeat(1024);
    for (let i = 0; i < 100; i++) writeSync(fd, block);
    closeSync(fd);
    const bin = join(repoRoot, 'bin/kubeward.js');
    // The process's peak resident memory (heap, the file's text, buffers), reported at exit.
    const peak = 'data:text/javascript,process.on("exit",()=>process.stderr.write("\\npeak-rss-kib="+process.resourceUsage().maxRSS+"\\n"))';
    const run = spawnSync(process.execPath, ['--max-old-space-size=768', '--import', peak, bin, 'scan', file, '--no-config', '--format', 'json', '--fail-on', 'none'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.equal(run.status, 0, run.stderr);
    assert.ok((JSON.parse(run.stdout) as { findings: unknown[] }).findings.length > 0);
    const rssKiB = Number(/peak-rss-kib=(\d+)/.exec(run.stderr)?.[1]);
    assert.ok(rssKiB > 0 && rssKiB < 1024 * 1024, `peak RSS ${Math.round(rssKiB / 1024)} MiB for a 100 MB file`);
    const refused = spawnSync(process.execPath, [bin, 'scan', file, '--no-config', '--max-file-size', '50MB'], { encoding: 'utf8' });
    assert.equal(refused.status, 2);
    assert.match(refused.stdout + refused.stderr, /over the limit/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--output into a missing directory is a usage error naming the file', async () => {
  const r = await runCli(['scan', shop, '--no-config', '--format', 'json', '--output', join(tmpdir(), 'kubeward-no-such-dir', 'report.json')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cannot write .*kubeward-no-such-dir\/report\.json: no such directory/);
});

test('a reader that stops early (| head) ends the output quietly; the exit code is the scan\'s', () => {
  const bin = join(repoRoot, 'bin/kubeward.js');
  const log = join(tmpdir(), `kubeward-epipe-${process.pid}.txt`);
  // `head -c 1` reads one byte and exits: the rest of the report meets a closed pipe.
  const r = spawnSync('bash', ['-c', `"${process.execPath}" "${bin}" scan "${shop}" --no-config --format json 2>"${log}" | head -c 1 >/dev/null; echo "exit=\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
  try {
    assert.match(r.stdout, /exit=1\b/, 'findings at or above high: exit 1, not an error');
    assert.equal(readFileSync(log, 'utf8'), '', 'nothing on stderr');
  } finally {
    rmSync(log, { force: true });
  }
});
