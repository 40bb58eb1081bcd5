import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { buildImage, makeDockerArchive, makeTar, sha256, writeOciLayout, type TarEntrySpec } from '../../../test/images/build-image.js';
import { inventoryImage, ImageError, type ImageInventory } from '../inventory.js';
import { MergedView } from './merged-view.js';
import { joinWithin, normalizeEntryPath } from './paths.js';

const sandbox = mkdtempSync(path.join(tmpdir(), 'kubeward-layers-test-'));
after(() => rmSync(sandbox, { recursive: true, force: true }));
const tag = randomBytes(6).toString('hex');

/** Every path under `dir` with its size, to compare before and after. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      const st = statSync(p, { throwIfNoEntry: false });
      out.push(`${path.relative(sandbox, p)} ${st?.isDirectory() ? 'd' : (st?.size ?? '?')}`);
      if (st?.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

let n = 0;
async function layoutOf(layers: TarEntrySpec[][], opts: { gzip?: boolean } = {}): Promise<string> {
  const dir = path.join(sandbox, `img-${n++}`);
  const tars = await Promise.all(layers.map((l) => makeTar(l)));
  writeOciLayout(dir, buildImage(tars, opts));
  return dir;
}

const escapeNames = [`kubeward-escape-${tag}`, `kubeward-escape2-${tag}`];
function nothingEscaped(): void {
  for (const name of escapeNames) {
    for (const dir of [tmpdir(), sandbox, path.dirname(sandbox), process.cwd(), '/']) {
      assert.ok(!existsSync(path.join(dir, name)), `${name} appeared in ${dir}`);
    }
  }
}

async function expectImageError(dir: string, reason: string, pattern: RegExp): Promise<void> {
  const before = snapshot(sandbox);
  await assert.rejects(
    () => inventoryImage({ kind: 'oci-layout', path: dir }),
    (e: unknown) => {
      assert.ok(e instanceof ImageError, `expected ImageError, got ${String(e)}`);
      assert.equal(e.reason, reason, e.message);
      assert.match(e.message, pattern);
      return true;
    },
  );
  assert.deepEqual(snapshot(sandbox), before, 'nothing written in the sandbox');
  nothingEscaped();
}

test('paths: normalisation neutralises absolute names and rejects escapes', () => {
  assert.equal(normalizeEntryPath('./etc/passwd', 't'), 'etc/passwd');
  assert.equal(normalizeEntryPath('/etc//passwd', 't'), 'etc/passwd');
  assert.equal(normalizeEntryPath('a/../b', 't'), 'b');
  assert.throws(() => normalizeEntryPath('../../x', 't'), /escapes the root/);
  assert.throws(() => normalizeEntryPath('a/../../x', 't'), /escapes the root/);
  assert.equal(joinWithin('usr/bin', '../lib/x'), 'usr/lib/x');
  assert.equal(joinWithin('etc', '/usr/lib/os-release'), 'usr/lib/os-release');
  assert.equal(joinWithin('etc', '../../x'), undefined);
});

test('whiteouts and opaque directories hide lower-layer files; each path keeps its last writer', async () => {
  const dir = await layoutOf([
    [
      { name: 'etc/', type: 'directory' },
      { name: 'etc/motd', content: 'hello' },
      { name: 'etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' },
      { name: 'usr/lib/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
      { name: 'var/lib/dpkg/status', content: 'Package: old\nStatus: install ok installed\nVersion: 1\n' },
      { name: 'app/node_modules/gone/package.json', content: '{"name":"gone","version":"1.0.0"}' },
      { name: 'app/node_modules/kept/package.json', content: '{"name":"kept","version":"1.0.0"}' },
      { name: 'opq/a', content: 'a' },
      { name: 'opq/sub/b', content: 'b' },
    ],
    [
      { name: 'etc/.wh.motd' },
      { name: 'app/node_modules/.wh.gone' },
      { name: 'opq/new', content: 'n' },
      { name: 'opq/.wh..wh..opq' },
      { name: 'var/lib/dpkg/status', content: 'Package: new\nStatus: install ok installed\nVersion: 2\n' },
    ],
  ]);
  const inv: ImageInventory = await inventoryImage({ kind: 'oci-layout', path: dir });
  const files = inv.files as (p: string) => boolean;
  assert.equal(files('etc/motd'), false);
  assert.equal(files('/etc/motd'), false);
  assert.equal(files('etc'), true);
  assert.equal(files('app/node_modules/gone/package.json'), false);
  assert.equal(files('app/node_modules/gone'), false);
  assert.equal(files('opq/a'), false);
  assert.equal(files('opq/sub/b'), false);
  assert.equal(files('opq/new'), true, 'the opaque layer keeps its own entries');
  assert.deepEqual(inv.distro, { id: 'debian', versionId: '12' });
  assert.deepEqual(
    inv.packages.map((p) => `${p.ecosystem} ${p.name} ${p.version} ${p.location.layer === inv.layers[1]?.diffId ? 'L2' : 'L1'}`),
    ['Debian new 2 L2', 'npm kept 1.0.0 L1'],
  );
});

test('merged view: an upper directory replaces a lower symlink; symlinks resolve inside the root', () => {
  const v = new MergedView();
  v.beginLayer(0);
  v.add('lib', { type: 'symlink', size: 0, linkname: 'usr/lib' }, 't');
  v.add('etc/x', { type: 'symlink', size: 0, linkname: '/../../../usr/lib/y' }, 't');
  v.add('usr/lib/y', { type: 'file', size: 1, content: Buffer.from('y') }, 't');
  v.endLayer();
  assert.equal(v.resolve('etc/x'), 'usr/lib/y');
  assert.equal(v.read('etc/x')?.content.toString(), 'y');
  v.beginLayer(1);
  v.add('lib/z', { type: 'file', size: 0 }, 't');
  v.endLayer();
  assert.equal(v.entries.get('lib')?.type, 'dir');
});

test('hostile: a ../ traversal entry is rejected', async () => {
  const dir = await layoutOf([[{ name: `../../../../../../${escapeNames[0]}`, content: 'pwned' }]]);
  await expectImageError(dir, 'traversal', /escapes the root with '\.\.'/);
});

test('hostile: an absolute entry is neutralised into the image root', async () => {
  const abs = path.join(tmpdir(), escapeNames[0] as string);
  const dir = await layoutOf([[{ name: abs, content: 'pwned' }]]);
  const before = snapshot(sandbox);
  const inv = await inventoryImage({ kind: 'oci-layout', path: dir });
  assert.equal(inv.files?.(abs.slice(1)), true);
  assert.deepEqual(snapshot(sandbox), before);
  nothingEscaped();
});

test('hostile: a symlink escaping the root is rejected', async () => {
  const dir = await layoutOf([
    [
      { name: 'evil', type: 'symlink', linkname: '../../../../../../../tmp' },
      { name: `evil/${escapeNames[0]}`, content: 'pwned' },
    ],
  ]);
  await expectImageError(dir, 'symlink', /points outside the root/);
});

test('hostile: writing through a symlink (absolute target) is rejected', async () => {
  const dir = await layoutOf([
    [
      { name: 'evil', type: 'symlink', linkname: tmpdir() },
      { name: `evil/${escapeNames[1]}`, content: 'pwned' },
    ],
  ]);
  await expectImageError(dir, 'symlink', /written through the symlink 'evil'/);
});

test('hostile: a hardlink escaping the root is rejected', async () => {
  const dir = await layoutOf([[{ name: 'shadow', type: 'link', linkname: '../../../../../../etc/shadow' }]]);
  await expectImageError(dir, 'hardlink', /points outside the root/);
});

test('hardlinks inside the root share the target content', async () => {
  const dir = await layoutOf([
    [
      { name: 'var/lib/dpkg/status.d/real', content: 'Package: a\nVersion: 1\n' },
      { name: 'var/lib/dpkg/status.d/copy', type: 'link', linkname: 'var/lib/dpkg/status.d/real' },
    ],
  ]);
  const inv = await inventoryImage({ kind: 'oci-layout', path: dir });
  assert.deepEqual(inv.packages.map((p) => p.location.path), ['var/lib/dpkg/status.d/copy', 'var/lib/dpkg/status.d/real']);
});

/** A gzip stream of a tar holding one 1 GiB file of zeros, about 1 MB compressed (concatenated gzip members). */
function gzipBomb(): Buffer {
  const GiB = 1024 ** 3;
  const header = makeTarHeader('zeros', GiB);
  const member = gzipSync(Buffer.alloc(1024 * 1024));
  const parts: Buffer[] = [gzipSync(header)];
  for (let i = 0; i < 1024; i++) parts.push(member);
  return Buffer.concat(parts);
}

function makeTarHeader(name: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write('0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

test('hostile: a gzip bomb is stopped by the ratio cap', async () => {
  const bomb = gzipBomb();
  assert.ok(bomb.length < 4 * 1024 * 1024);
  const dir = path.join(sandbox, `img-${n++}`);
  const img = buildImage([Buffer.alloc(0)]);
  // Replace the layer with the bomb; diff id is whatever (the cap trips first).
  const manifest = JSON.parse(img.manifest.toString()) as { layers: Array<{ digest: string; size: number }> };
  const layer = manifest.layers[0] as { digest: string; size: number };
  layer.digest = sha256(bomb);
  layer.size = bomb.length;
  const mbytes = Buffer.from(JSON.stringify(manifest));
  writeOciLayout(dir, { ...img, manifest: mbytes, manifestDigest: sha256(mbytes), layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', diffId: sha256(Buffer.alloc(0)), blob: bomb, digest: sha256(bomb) }] });
  const t0 = Date.now();
  await expectImageError(dir, 'limit', /decompression ratio above 100:1.*bomb/);
  // A byte cap holds even when the ratio check is relaxed.
  await assert.rejects(
    () => inventoryImage({ kind: 'oci-layout', path: dir }, { limits: { maxCompressionRatio: 1e9, maxLayerBytes: 256 * 1024 * 1024 } }),
    /more than 268435456 bytes after decompression/,
  );
  assert.ok(Date.now() - t0 < 20_000);
});

test('hostile: a blob whose bytes do not match its digest is rejected', async () => {
  const dir = await layoutOf([[{ name: 'a', content: 'a' }]]);
  const blobs = path.join(dir, 'blobs', 'sha256');
  const img = JSON.parse(readIndexManifest(dir)) as { layers: Array<{ digest: string }> };
  const layerFile = path.join(blobs, (img.layers[0]?.digest ?? '').slice(7));
  writeFileSync(layerFile, gzipSync(await makeTar([{ name: 'b', content: 'tampered' }])));
  await expectImageError(dir, 'digest', /digest|bytes/);
});

function readIndexManifest(dir: string): string {
  const index = JSON.parse(readFileSyncUtf8(path.join(dir, 'index.json'))) as { manifests: Array<{ digest: string }> };
  return readFileSyncUtf8(path.join(dir, 'blobs', 'sha256', (index.manifests[0]?.digest ?? '').slice(7)));
}
function readFileSyncUtf8(p: string): string {
  return readFileSync(p, 'utf8');
}

test('hostile: enormous manifests and configs are refused before being read', async () => {
  const dir = await layoutOf([[{ name: 'a', content: 'a' }]]);
  await assert.rejects(() => inventoryImage({ kind: 'oci-layout', path: dir }, { limits: { maxManifestBytes: 100 } }), /exceeds the 100-byte limit/);
  await assert.rejects(() => inventoryImage({ kind: 'oci-layout', path: dir }, { limits: { maxConfigBytes: 10 } }), /config of \d+ bytes exceeds the 10-byte limit/);
});

test('docker-archive: traversal in the outer archive is rejected; gzip-compressed archives use a temp dir that is removed', async () => {
  const layer = await makeTar([{ name: 'var/lib/dpkg/status.d/a', content: 'Package: a\nVersion: 1\n' }]);
  const hostile = await makeDockerArchive([layer], [{ name: `../../${escapeNames[0]}`, content: 'x' }]);
  const f1 = path.join(sandbox, 'hostile-docker.tar');
  writeFileSync(f1, hostile);
  await assert.rejects(() => inventoryImage({ kind: 'docker-archive', path: f1 }), (e: unknown) => e instanceof ImageError && e.reason === 'traversal');
  nothingEscaped();

  const f2 = path.join(sandbox, 'docker.tar.gz');
  writeFileSync(f2, gzipSync(await makeDockerArchive([layer])));
  const temps = (): string[] => readdirSync(tmpdir()).filter((x) => x.startsWith('kubeward-archive-'));
  const before = temps();
  const inv = await inventoryImage({ kind: 'docker-archive', path: f2 });
  assert.deepEqual(inv.packages.map((p) => p.name), ['a']);
  assert.deepEqual(temps(), before, 'temporary directory removed');
});
