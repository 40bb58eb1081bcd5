import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { VulnDatabase } from '../images/db/database.js';
import { BackgroundImageScans } from './background-scans.js';

test('a failed background scan is retried only after a back-off that doubles with each failure', async () => {
  // A registry that is down: every request gets a 503.
  let hits = 0;
  const registry = createServer((_req, res) => {
    hits++;
    res.writeHead(503, { 'content-type': 'text/plain' }).end('unavailable');
  });
  await new Promise<void>((r) => registry.listen(0, '127.0.0.1', r));
  const ref = `127.0.0.1:${(registry.address() as AddressInfo).port}/shop/api:1.0`;
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeward-bg-'));
  const db = VulnDatabase.open(path.join(dir, 'v.db'));
  const failed: Array<{ failures: number; retryAfterSeconds: number }> = [];
  const scans = new BackgroundImageScans(
    db,
    { info: () => {}, warn: (o) => failed.push(o as { failures: number; retryAfterSeconds: number }) },
    { insecure: true, retryMinMs: 300, retryMaxMs: 2000 },
  );
  const ask = async (): Promise<void> => {
    scans.cache.requestScan(ref, undefined);
    await scans.drain();
  };
  try {
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => scans.retryDelayMs(n)), [300, 600, 1200, 2000, 2000]);
    await ask();
    assert.equal(failed.length, 1);
    assert.ok(hits > 0, 'the registry was asked');
    const afterFirst = hits;
    // Within the back-off: not scanned again, the registry is left alone.
    await ask();
    await ask();
    assert.equal(failed.length, 1);
    assert.equal(hits, afterFirst);
    await sleep(450);
    await ask();
    assert.equal(failed.length, 2);
    assert.ok(hits > afterFirst);
    // The second back-off is twice as long: 150 ms in, still waiting; 750 ms in, retried.
    await sleep(150);
    await ask();
    assert.equal(failed.length, 2);
    await sleep(600);
    await ask();
    assert.deepEqual(
      failed.map((f) => [f.failures, f.retryAfterSeconds]),
      [
        [1, 0.3],
        [2, 0.6],
        [3, 1.2],
      ],
    );
  } finally {
    scans.close();
    db.close();
    registry.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
