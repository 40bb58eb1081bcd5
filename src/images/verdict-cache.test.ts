import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VulnDatabase } from './db/database.js';
import { emptyCounts } from './scan-image.js';
import { MemoryVerdictCache, SqliteVerdictCache, digestOfReference, imagePolicyVerdict, type ImageVerdict } from './verdict-cache.js';

const D1 = `sha256:${'a'.repeat(64)}`;
const D2 = `sha256:${'b'.repeat(64)}`;

function verdict(digest: string, counts: Partial<Record<string, number>>, fixable: Partial<Record<string, number>>): ImageVerdict {
  return { digest, reference: 'r', scannedAt: '2026-12-01T00:00:00.000Z', counts: { ...emptyCounts(), ...counts }, fixable: { ...emptyCounts(), ...fixable } };
}

test('digests are read from references, tags give none', () => {
  assert.equal(digestOfReference(`registry.local/app@${D1}`), D1);
  assert.equal(digestOfReference('registry.local/app:1'), undefined);
});

test('policy: vulnerable with a fix is denied, without a fix allowed when requireFix; unknown gets the default and a scan request', () => {
  const cache = new MemoryVerdictCache();
  cache.put(verdict(D1, { high: 2, medium: 1 }, { high: 1 }));
  cache.put(verdict(D2, { critical: 1 }, {}));
  const p = { failOn: 'high' as const, requireFix: true, unknown: 'warn' as const };
  const a = imagePolicyVerdict(cache, `app@${D1}`, p);
  assert.equal(a.decision, 'deny');
  assert.deepEqual(a.matching, { high: 1 });
  assert.match(a.message, /1 high/);
  assert.equal(imagePolicyVerdict(cache, `app@${D2}`, p).decision, 'allow');
  assert.equal(imagePolicyVerdict(cache, `app@${D2}`, { ...p, requireFix: false }).decision, 'deny');
  assert.equal(imagePolicyVerdict(cache, `app@${D1}`, { ...p, failOn: 'critical' }).decision, 'allow');
  assert.equal(imagePolicyVerdict(cache, `app@${D1}`, { ...p, action: 'warn' }).decision, 'warn');
  const u = imagePolicyVerdict(cache, `app@sha256:${'c'.repeat(64)}`, p);
  assert.deepEqual([u.decision, u.reason], ['warn', 'unknownDigest']);
  const t = imagePolicyVerdict(cache, 'app:latest', { ...p, unknown: 'deny' });
  assert.deepEqual([t.decision, t.reason], ['deny', 'noDigest']);
  imagePolicyVerdict(cache, 'app:latest', p);
  assert.deepEqual(cache.requests.map((r) => r.imageRef), [`app@sha256:${'c'.repeat(64)}`, 'app:latest']);
});

test('sqlite verdict cache round-trips and deduplicates scan requests', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeward-verdicts-'));
  try {
    const db = VulnDatabase.open(path.join(dir, 'osv.db'));
    const asked: string[] = [];
    const cache = new SqliteVerdictCache(db, (ref) => {
      asked.push(ref);
    });
    const v = verdict(D1, { low: 3 }, { low: 2 });
    cache.put(v);
    assert.deepEqual(cache.get(D1), v);
    assert.equal(cache.get(D2), undefined);
    imagePolicyVerdict(cache, `x@${D2}`, { failOn: 'low', requireFix: false, unknown: 'allow' });
    imagePolicyVerdict(cache, `x@${D2}`, { failOn: 'low', requireFix: false, unknown: 'allow' });
    assert.deepEqual(asked, [`x@${D2}`]);
    assert.equal(imagePolicyVerdict(cache, `x@${D1}`, { failOn: 'low', requireFix: true, unknown: 'allow' }).decision, 'deny');
    assert.equal(db.status().verdicts, 1);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a scan request that was not taken, or that failed, is asked again', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeward-verdicts-'));
  try {
    const db = VulnDatabase.open(path.join(dir, 'osv.db'));
    const asked: string[] = [];
    let full = true;
    const cache = new SqliteVerdictCache(db, (ref) => {
      asked.push(ref);
      return !full;
    });
    const ref = `x@${D2}`;
    cache.requestScan(ref, D2);
    cache.requestScan(ref, D2);
    assert.deepEqual(asked, [ref, ref], 'the queue was full: asked again');
    full = false;
    cache.requestScan(ref, D2);
    cache.requestScan(ref, D2);
    assert.equal(asked.length, 3, 'taken: asked once more, then remembered');
    cache.forget(ref);
    cache.requestScan(ref, D2);
    assert.equal(asked.length, 4, 'after a failure it is asked again');
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
