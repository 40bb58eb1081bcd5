/**
 * Image scanning speed: a full `image scan` of the Debian+Node test image (OCI layout: layer streaming,
 * catalogers, matching against an OSV database, JSON report) against `tar -xzf` of the same layer blobs
 * into a temporary directory, measured in the same run (target: at most 1.5×). Also: version comparisons
 * and matching throughput, and OSV import rate. Needs the test images; prints a notice and skips that part otherwise.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VulnDatabase } from '../src/images/db/database.js';
import { importOsv } from '../src/images/db/import.js';
import { matchPackages, recordLookupFrom } from '../src/images/match.js';
import type { OsvRecord } from '../src/images/osv/types.js';
import { renderImageJson } from '../src/images/report/json.js';
import { scanImage } from '../src/images/scan-image.js';
import { fixturesPresent, osvFixtures } from '../test/helpers/image-fixtures.js';
import type { Package } from '../src/images/types.js';
import { compareApk, compareDpkg, comparePep440, compareSemver } from '../src/images/versions/index.js';
import { ensureTestImages } from '../test/images/test-images.js';
import { median, fmt, ociLayerBlobs, timeTarExtract } from './util.js';

function benchComparators(): void {
  const pairs: Array<[string, (a: string, b: string) => number, string, string]> = [
    ['dpkg', compareDpkg, '1:4.13+dfsg1-1+deb12u2', '1:4.13+dfsg1-1+deb12u10'],
    ['apk', compareApk, '1.1.16-r9', '1.1.16-r14'],
    ['semver', compareSemver, '4.17.20', '4.17.21'],
    ['pep440', comparePep440, '2.31.0rc1.post2.dev3', '2.31.0'],
  ];
  for (const [name, cmp, a, b] of pairs) {
    const n = 200_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) cmp(a, b);
    const ms = performance.now() - t0;
    console.log(`compare ${name.padEnd(6)} ${fmt((n / ms) * 1000, 0)} comparisons/s`);
  }
}

function benchMatching(): void {
  // 5,000 synthetic npm packages against 20,000 synthetic records (4 per package name).
  const records: OsvRecord[] = [];
  const pkgs: Package[] = [];
  for (let i = 0; i < 5000; i++) {
    pkgs.push({ ecosystem: 'npm', name: `pkg-${i}`, version: `1.${i % 7}.${i % 13}`, location: { layer: 'l', path: `node_modules/pkg-${i}/package.json` } });
    for (let j = 0; j < 4; j++) {
      records.push({ id: `GHSA-${i}-${j}`, modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: `pkg-${i}` }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: `${j}.0.0` }, { fixed: `${j}.${(i + j) % 7}.5` }] }] }] });
    }
  }
  const lookup = recordLookupFrom(records);
  const t0 = performance.now();
  const r = matchPackages(pkgs, undefined, lookup);
  const ms = performance.now() - t0;
  console.log(`match ${pkgs.length} packages x ${records.length} records: ${fmt(ms)} ms (${r.findings.length} findings)`);
}

export async function run(): Promise<void> {
  console.log('machine: 2 cores, shared with other work while measuring; figures are indicative');
  benchComparators();
  benchMatching();
  if (!fixturesPresent) {
    console.log('NOTICE: ../shared/fixtures absent; skipping the image scan benchmark');
    return;
  }
  const work = mkdtempSync(path.join(tmpdir(), 'kubeward-bench-images-'));
  const images = await ensureTestImages();
  try {
    const db = VulnDatabase.open(path.join(work, 'osv.db'));
    const ti = performance.now();
    let n = 0;
    for (const d of ['npm-ghsa', 'debian12-derived', 'alpine-secdb']) n += importOsv(db, path.join(osvFixtures, d)).read;
    console.log(`db import: ${n} records in ${fmt(performance.now() - ti)} ms`);
    if (!images) return;
    const layout = images.ociLayout;
    const blobs = ociLayerBlobs(layout);
    const rounds = 5;
    const scans: number[] = [];
    const tars: number[] = [];
    let findings = 0;
    for (let i = 0; i < rounds; i++) {
      tars.push(timeTarExtract(blobs));
      const t1 = performance.now();
      const result = await scanImage({ kind: 'oci-layout', path: layout, ref: 'app' }, db.lookup);
      renderImageJson(result);
      scans.push(performance.now() - t1);
      findings = result.findings.length;
    }
    db.close();
    const mb = blobs.reduce((s, b) => s + statSync(b).size, 0) / 1048576;
    const scan = median(scans);
    const tar = median(tars);
    console.log(`image: Debian bookworm minbase + node app, ${blobs.length} layers, ${fmt(mb)} MiB compressed, ${findings} findings`);
    console.log(`kubeward image scan (median of ${rounds}): ${fmt(scan)} ms   [${scans.map((x) => fmt(x, 0)).join(', ')}]`);
    console.log(`tar -xzf of the layers (median of ${rounds}): ${fmt(tar)} ms   [${tars.map((x) => fmt(x, 0)).join(', ')}]`);
    console.log(`ratio scan / tar: ${fmt(scan / tar, 2)}x (target <= 1.5x)`);
  } finally {
    await images?.stopRegistry();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await run();
}
