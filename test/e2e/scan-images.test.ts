/**
 * `kubeward scan --images`: the workloads' images are pulled from a real local registry, each
 * reference once, matched against the fixture advisories, and the verdicts are attached to the
 * containers that run them and recorded for the admission webhook.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureTestImages, type TestImages } from '../images/test-images.js';
import { VulnDatabase } from '../../src/images/db/database.js';
import { importOsv } from '../../src/images/db/import.js';
import { scanWorkloadImages } from '../../src/images/workload-images.js';
import { SqliteVerdictCache, imagePolicyVerdict } from '../../src/images/verdict-cache.js';
import { fixturesPresent, osvFixtures } from '../helpers/image-fixtures.js';
import { runCli } from '../helpers/cli.js';
import { BackgroundImageScans } from '../../src/admission/background-scans.js';

let images: TestImages | undefined;
let work = '';
let dbFile = '';

before(async () => {
  if (!fixturesPresent) {
    console.log('NOTICE: ../shared/fixtures absent; skipping scan --images tests');
    return;
  }
  images = await ensureTestImages();
  if (!images) return;
  work = mkdtempSync(path.join(tmpdir(), 'kubeward-scan-images-'));
  dbFile = path.join(work, 'osv.db');
  const db = VulnDatabase.open(dbFile);
  for (const d of ['npm-ghsa', 'debian12-derived', 'alpine-secdb']) importOsv(db, path.join(osvFixtures, d));
  db.close();
});

after(async () => {
  await images?.stopRegistry();
  if (work) rmSync(work, { recursive: true, force: true });
});

function manifest(ref: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: shop}
spec:
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers:
        - name: app
          image: ${ref}
        - name: sidecar
          image: ${ref}
        - name: gone
          image: 127.0.0.1:9/nothing/here:1
`;
}

test('scan --images attaches each image verdict to its containers, with the fixes', { timeout: 240_000 }, async (t) => {
  if (!images) return t.skip('test images unavailable');
  const file = path.join(work, 'deploy.yaml');
  writeFileSync(file, manifest(images.registryRef));
  const direct = await runCli(['image', 'scan', images.registryRef, '--insecure', '--db', dbFile, '--format', 'json']);
  assert.equal(direct.code, 0, direct.stderr);
  const expected = (JSON.parse(direct.stdout) as { findings: unknown[] }).findings.length;
  assert.ok(expected > 0);

  const r = await runCli(['scan', file, '--no-config', '--images', '--db', dbFile, '--insecure-registry', '--format', 'json', '--rule', 'image-vulnerabilities']);
  const report = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; severity: string; message: string; pointer: string; location: { line: number } }> };
  const vuln = report.findings.filter((f) => f.ruleId === 'image-vulnerabilities');
  const byPointer = new Map(vuln.map((f) => [f.pointer, f]));
  for (const [i, line] of [
    [0, 11],
    [1, 13],
  ] as const) {
    const f = byPointer.get(`/spec/template/spec/containers/${i}/image`);
    assert.ok(f, `container ${i} has a finding`);
    assert.match(f.message, new RegExp(`has ${expected} known vulnerabilities`));
    assert.match(f.message, /minimist 0\.0\.8 → /);
    assert.equal(f.location.line, line);
  }
  const gone = byPointer.get('/spec/template/spec/containers/2/image');
  assert.ok(gone);
  assert.equal(gone.severity, 'info');
  assert.match(gone.message, /could not be scanned/);
});

test('each reference is scanned once, and the verdict lands in the cache admission reads', { timeout: 240_000 }, async (t) => {
  if (!images) return t.skip('test images unavailable');
  const db = VulnDatabase.open(dbFile);
  try {
    const seen: string[] = [];
    const out = await scanWorkloadImages([images.registryRef, images.registryRef], { db, insecure: true, onImage: (ref) => seen.push(ref) });
    assert.deepEqual(seen, [images.registryRef]);
    const summary = out[images.registryRef];
    assert.ok(summary?.digest?.startsWith('sha256:'));
    const pinned = `${images.registryRef.replace(/:[^:/]+$/, '')}@${summary?.digest ?? ''}`;
    const decision = imagePolicyVerdict(new SqliteVerdictCache(db), pinned, { failOn: 'low', requireFix: true, unknown: 'warn' });
    assert.equal(decision.reason, 'vulnerable');
  } finally {
    db.close();
  }
});

test('the webhook scans an unknown image in the background; the next request finds its verdict', { timeout: 240_000 }, async (t) => {
  if (!images) return t.skip('test images unavailable');
  const fresh = path.join(work, 'fresh.db');
  const db = VulnDatabase.open(fresh);
  for (const d of ['npm-ghsa', 'debian12-derived', 'alpine-secdb']) importOsv(db, path.join(osvFixtures, d));
  const logs: string[] = [];
  const scans = new BackgroundImageScans(db, { info: (_o, m) => logs.push(m), warn: (_o, m) => logs.push(m) }, { insecure: true });
  try {
    // The registry's digest for the tag, as a pod would pin it.
    const probeDb = VulnDatabase.open(path.join(work, 'probe.db'));
    const probe = await scanWorkloadImages([images.registryRef], { db: probeDb, insecure: true }).finally(() => probeDb.close());
    const digest = probe[images.registryRef]?.digest ?? '';
    const pinned = `${images.registryRef.replace(/:[^:/]+$/, '')}@${digest}`;
    const policy = { failOn: 'low' as const, requireFix: true, unknown: 'warn' as const };
    const first = imagePolicyVerdict(scans.cache, pinned, policy);
    assert.equal(first.reason, 'unknownDigest');
    await new Promise((r) => setImmediate(r));
    await scans.drain();
    assert.deepEqual(logs, ['background image scan done']);
    const second = imagePolicyVerdict(scans.cache, pinned, policy);
    assert.equal(second.reason, 'vulnerable');
    assert.equal(second.decision, 'deny');
  } finally {
    scans.close();
    db.close();
  }
});
