/**
 * End to end: real images built by test/images/test-images.ts, scanned from an OCI layout, an
 * oci-archive, a docker-archive and a local registry, against the fixture OSV records imported into a
 * real database. Expected findings were worked out by hand from the records and the packages present.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { ensureTestImages, type TestImages } from '../images/test-images.js';
import { VulnDatabase } from '../../src/images/db/database.js';
import { importOsv } from '../../src/images/db/import.js';
import { inventoryImage, parseImageSource, type ImageSourceSpec } from '../../src/images/inventory.js';
import { evaluateInventory, type ImageScanResult } from '../../src/images/scan-image.js';
import { fixturesPresent, osvFixtures } from '../helpers/image-fixtures.js';
import { registerImage } from '../../src/cli/commands/image.js';
import { registerDb } from '../../src/cli/commands/db.js';
import type { CliContext } from '../../src/cli/context.js';

let images: TestImages | undefined;
let work = '';
let dbFile = '';

before(async () => {
  if (!fixturesPresent) {
    console.log('NOTICE: ../shared/fixtures absent; skipping image scan e2e tests');
    return;
  }
  images = await ensureTestImages();
  work = mkdtempSync(path.join(tmpdir(), 'kubeward-e2e-images-'));
  dbFile = path.join(work, 'osv.db');
  const db = VulnDatabase.open(dbFile);
  for (const d of ['npm-ghsa', 'debian12-derived', 'alpine-secdb']) {
    const r = importOsv(db, path.join(osvFixtures, d));
    assert.deepEqual(r.skipped, []);
  }
  db.close();
});

after(async () => {
  await images?.stopRegistry();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Layer 1 (debootstrap) and layer 2 (/app) by their uncompressed digests, named in order of appearance. */
function brief(r: ImageScanResult): string[] {
  const layerNames = new Map(r.image.layers.map((l, i) => [l.diffId ?? l.digest, `L${i + 1}`]));
  return r.findings.map((f) => `${layerNames.get(f.package.location.layer) ?? f.package.location.layer}:/${f.package.location.path} ${f.package.name}@${f.package.version} ${f.id} fixed=${f.fixedVersion ?? '-'} ${f.severity}`);
}

const STATUS = 'L1:/var/lib/dpkg/status';
const NM = 'L2:/app/node_modules';
const DEBIAN_NODE_EXPECTED = [
  `${STATUS} apt@2.6.1 x_imgscan-DEB12-apt-2.6.2 fixed=2.6.2 unknown`,
  // Reachable only through their source package names (apt, xz-utils, pcre2, perl).
  `${STATUS} libapt-pkg6.0@2.6.1 x_imgscan-DEB12-apt-2.6.2 fixed=2.6.2 unknown`,
  `${STATUS} liblzma5@5.4.1-1+deb12u1 x_imgscan-DEB12-xz-utils-5.4.1-1_deb12u2 fixed=5.4.1-1+deb12u2 unknown`,
  `${STATUS} libpcre2-8-0@10.42-1 x_imgscan-DEB12-pcre2-10.42-1_deb12u1 fixed=10.42-1+deb12u1 unknown`,
  `${STATUS} libpcre2-8-0@10.42-1 x_imgscan-DEB12-pcre2-10.42-1_deb12u2 fixed=10.42-1+deb12u2 unknown`,
  `${STATUS} perl-base@5.36.0-7+deb12u3 x_imgscan-DEB12-perl-5.36.0-7_deb12u4 fixed=5.36.0-7+deb12u4 unknown`,
  `${NM}/lodash/package.json lodash@4.17.20 GHSA-29mw-wpgm-hmr9 fixed=4.17.21 medium`,
  `${NM}/lodash/package.json lodash@4.17.20 GHSA-35jh-r3h4-6jhm fixed=4.17.21 high`,
  // The nested copy under mkdirp is its own instance.
  `${NM}/mkdirp/node_modules/minimist/package.json minimist@0.0.8 GHSA-vh95-rmgr-6w4m fixed=0.2.1 medium`,
  `${NM}/mkdirp/node_modules/minimist/package.json minimist@0.0.8 GHSA-xvch-5gv4-984h fixed=0.2.4 critical`,
  `${NM}/minimist/package.json minimist@1.2.5 GHSA-xvch-5gv4-984h fixed=1.2.6 critical`,
  `${NM}/node-fetch/package.json node-fetch@2.6.0 GHSA-r683-j2x4-v87g fixed=3.1.1 high`,
  `${NM}/node-fetch/package.json node-fetch@2.6.0 GHSA-w7rc-rwvf-8q5r fixed=2.6.1 low`,
];

async function scan(spec: ImageSourceSpec): Promise<{ result: ImageScanResult; files?: (p: string) => boolean }> {
  const inv = await inventoryImage(spec);
  const db = VulnDatabase.open(dbFile);
  try {
    const out: { result: ImageScanResult; files?: (p: string) => boolean } = { result: evaluateInventory(inv, db.lookup) };
    if (inv.files) out.files = inv.files;
    return out;
  } finally {
    db.close();
  }
}

test('Debian+Node image: identical findings from OCI layout, oci-archive, docker-archive and registry', { timeout: 300_000 }, async (t) => {
  if (!images) return t.skip('test images unavailable');
  const sources: Array<[string, ImageSourceSpec]> = [
    ['oci-layout', parseImageSource(`oci:${images.ociLayout}:app`)],
    ['oci-archive', parseImageSource(`oci-archive:${images.ociArchive}`)],
    ['docker-archive', parseImageSource(`docker-archive:${images.dockerArchive}`)],
    ['registry', { kind: 'registry', ref: images.registryRef, insecure: true }],
  ];
  for (const [name, spec] of sources) {
    const { result, files } = await scan(spec);
    assert.deepEqual(brief(result), DEBIAN_NODE_EXPECTED, `findings from ${name}`);
    assert.deepEqual(result.image.distro && [result.image.distro.id, result.image.distro.versionId], ['debian', '12'], name);
    assert.deepEqual(result.problems, [], name);
    if (files) {
      assert.equal(files('etc/motd'), false, `${name}: /etc/motd was deleted in layer 2`);
      assert.equal(files('etc/os-release'), true, name);
    }
  }
});

test('Alpine 3.6 image: advisories by origin with -r9 < -r14', { timeout: 120_000 }, async (t) => {
  if (!images) return t.skip('test images unavailable');
  const { result } = await scan(parseImageSource(`oci:${images.alpineOciLayout}:alpine`));
  assert.deepEqual(brief(result), [
    'L1:/lib/apk/db/installed busybox@1.26.2-r5 x_imgscan-ALPINE-v3.6-busybox-CVE-2017-15873 fixed=1.26.2-r9 unknown',
    'L1:/lib/apk/db/installed busybox@1.26.2-r5 x_imgscan-ALPINE-v3.6-busybox-CVE-2017-16544 fixed=1.26.2-r9 unknown',
    'L1:/lib/apk/db/installed musl@1.1.16-r9 x_imgscan-ALPINE-v3.6-musl-CVE-2017-15650 fixed=1.1.16-r14 unknown',
    'L1:/lib/apk/db/installed musl-utils@1.1.16-r9 x_imgscan-ALPINE-v3.6-musl-CVE-2017-15650 fixed=1.1.16-r14 unknown',
  ]);
});

function testContext(): CliContext & { out: string; err: string } {
  const ctx = {
    out: '',
    err: '',
    stdout: (s: string) => void (ctx.out += s),
    stderr: (s: string) => void (ctx.err += s),
    readStdin: async () => '',
    isTTY: false,
    env: { HOME: work, XDG_CACHE_HOME: path.join(work, 'xdg') },
    cwd: work,
    exitCode: 0,
  };
  return ctx;
}

async function cli(args: string[]): Promise<CliContext & { out: string; err: string }> {
  const ctx = testContext();
  const program = new Command('kubeward').exitOverride();
  registerImage(program, ctx);
  registerDb(program, ctx);
  await program.parseAsync(args, { from: 'user' });
  return ctx;
}

test('CLI: image scan formats, --fail-on exit codes, verdict recorded; db status', { timeout: 120_000 }, async (t) => {
  if (!images) return t.skip('test images unavailable');
  const ref = `oci:${images.ociLayout}:app`;
  const json = await cli(['image', 'scan', ref, '--db', dbFile, '--format', 'json', '--fail-on', 'critical']);
  assert.equal(json.exitCode, 1);
  const doc = JSON.parse(json.out) as { summary: { vulnerabilities: number; bySeverity: Record<string, number> } };
  assert.equal(doc.summary.vulnerabilities, 13);
  assert.deepEqual(doc.summary.bySeverity, { unknown: 6, info: 0, low: 1, medium: 2, high: 2, critical: 2 });
  const sarif = await cli(['image', 'scan', ref, '--db', dbFile, '--format', 'sarif', '--fail-on', 'none']);
  assert.equal(sarif.exitCode, 0);
  const s = JSON.parse(sarif.out) as { version: string; runs: Array<{ results: unknown[]; tool: { driver: { rules: unknown[] } } }> };
  assert.equal(s.version, '2.1.0');
  assert.equal(s.runs[0]?.results.length, 13);
  assert.equal(s.runs[0]?.tool.driver.rules.length, 11);
  const bom = await cli(['image', 'scan', ref, '--db', dbFile, '--format', 'cyclonedx']);
  const b = JSON.parse(bom.out) as { specVersion: string; components: unknown[]; vulnerabilities: Array<{ affects: unknown[] }> };
  assert.equal(b.specVersion, '1.5');
  assert.equal(b.components.length, 97); // 96 packages + the operating system
  assert.equal(b.vulnerabilities.length, 11);
  const text = await cli(['image', 'scan', ref, '--db', dbFile]);
  assert.equal(text.exitCode, 0);
  assert.match(text.out, /liblzma5 \(xz-utils\)\s+5\.4\.1-1\+deb12u1\s+5\.4\.1-1\+deb12u2/);
  const status = await cli(['db', 'status', '--db', dbFile, '--format', 'json']);
  const st = JSON.parse(status.out) as { records: number; verdicts: number };
  assert.deepEqual([st.records, st.verdicts], [20, 1]);
  await assert.rejects(cli(['image', 'scan', ref]), /no vulnerability database/);
});
