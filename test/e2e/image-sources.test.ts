/**
 * Real images (built with debootstrap/umoci/skopeo, served by docker-registry) read from every source kind.
 * Skips with a NOTICE when the fixtures or tools are missing.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { inventoryImage, parseImageSource, type ImageInventory } from '../../src/images/inventory.js';
import type { Package } from '../../src/images/types.js';
import { ensureTestImages, type TestImages } from '../images/test-images.js';

let images: TestImages | undefined;
const results = new Map<string, ImageInventory>();

before(async () => {
  images = await ensureTestImages();
});
after(async () => {
  await images?.stopRegistry();
});

function key(p: Package): string {
  return [p.ecosystem, p.name, p.version, p.sourceName ?? '', p.sourceVersion ?? '', p.location.path, p.location.layer, p.purl ?? ''].join('|');
}

async function scan(kind: string, arg: string): Promise<ImageInventory> {
  const src = parseImageSource(arg);
  const inv = await inventoryImage(src.kind === 'registry' ? { ...src, insecure: true } : src);
  results.set(kind, inv);
  return inv;
}

const sources: Array<[string, (i: TestImages) => string]> = [
  ['oci-layout', (i) => `oci:${i.ociLayout}:app`],
  ['oci-archive', (i) => `oci-archive:${i.ociArchive}`],
  ['docker-archive', (i) => `docker-archive:${i.dockerArchive}`],
  ['registry', (i) => i.registryRef],
];

for (const [kind, arg] of sources) {
  test(`Debian+Node image from ${kind}`, async (t) => {
    if (!images) return t.skip('test images unavailable');
    const inv = await scan(kind, arg(images));
    assert.deepEqual(inv.distro, { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' });
    const deb = inv.packages.filter((p) => p.ecosystem === 'Debian');
    assert.ok(deb.length >= 80, `dpkg packages: ${deb.length}`);
    const find = (name: string): Package | undefined => deb.find((p) => p.name === name);
    // Packages the derived advisories cover, reachable only through their source names.
    assert.equal(find('liblzma5')?.sourceName, 'xz-utils');
    assert.equal(find('libpcre2-8-0')?.sourceName, 'pcre2');
    assert.equal(find('perl-base')?.sourceName, 'perl');
    assert.equal(find('libapt-pkg6.0')?.sourceName, 'apt');
    assert.equal(find('apt')?.version, '2.6.1');
    assert.equal(find('libbz2-1.0')?.sourceVersion, '1.0.8-5');
    for (const p of deb) {
      assert.equal(p.location.path, 'var/lib/dpkg/status');
      assert.equal(p.location.layer, inv.layers[0]?.diffId);
    }
    const npm = inv.packages
      .filter((p) => p.ecosystem === 'npm')
      .map((p) => `${p.name}@${p.version} ${p.location.path}`)
      .sort();
    assert.deepEqual(npm, [
      'lodash@4.17.20 app/node_modules/lodash/package.json',
      'lru-cache@6.0.0 app/node_modules/lru-cache/package.json',
      'minimist@0.0.8 app/node_modules/mkdirp/node_modules/minimist/package.json',
      'minimist@1.2.5 app/node_modules/minimist/package.json',
      'mkdirp@0.5.1 app/node_modules/mkdirp/package.json',
      'node-fetch@2.6.0 app/node_modules/node-fetch/package.json',
      'semver@7.6.0 app/node_modules/semver/package.json',
      'yallist@4.0.0 app/node_modules/yallist/package.json',
    ]);
    for (const p of inv.packages.filter((x) => x.ecosystem === 'npm')) assert.equal(p.location.layer, inv.layers[1]?.diffId);
    assert.equal(inv.layers.length, 2);
    assert.equal(inv.files?.('/etc/motd'), false, '/etc/motd is whited out');
    assert.equal(inv.files?.('etc/passwd'), true);
    assert.equal(inv.files?.('app/package.json'), true);
    assert.ok(inv.configDigest);
  });
}

test('every source gives the same packages; manifest digests agree where the manifest bytes are the same', async (t) => {
  if (!images) return t.skip('test images unavailable');
  for (const [kind, arg] of sources) if (!results.has(kind)) await scan(kind, arg(images));
  const oci = results.get('oci-layout') as ImageInventory;
  for (const [kind] of sources) {
    const inv = results.get(kind) as ImageInventory;
    assert.deepEqual(inv.packages.map(key), oci.packages.map(key), `${kind} packages`);
    assert.equal(inv.configDigest, oci.configDigest, `${kind} config digest`);
    assert.deepEqual(inv.layers.map((l) => l.diffId), oci.layers.map((l) => l.diffId));
  }
  assert.equal(results.get('oci-archive')?.digest, oci.digest);
  assert.equal(results.get('registry')?.digest, oci.digest);
  // A docker-archive has no registry manifest: its digest is the image ID.
  assert.equal(results.get('docker-archive')?.digest, oci.configDigest);
});

test('registry by digest gives the same image', async (t) => {
  if (!images) return t.skip('test images unavailable');
  const oci = results.get('oci-layout') ?? (await scan('oci-layout', `oci:${images.ociLayout}:app`));
  const repo = images.registryRef.replace(/:1$/, '');
  const inv = await inventoryImage({ kind: 'registry', ref: `${repo}@${oci.digest}`, insecure: true });
  assert.equal(inv.digest, oci.digest);
  assert.deepEqual(inv.packages.map(key), oci.packages.map(key));
});

test('Alpine 3.6 image: apk packages with origins', async (t) => {
  if (!images) return t.skip('test images unavailable');
  const inv = await inventoryImage(parseImageSource(`oci:${images.alpineOciLayout}`));
  assert.deepEqual(inv.distro, { id: 'alpine', versionId: '3.6.2', prettyName: 'Alpine Linux v3.6' });
  const apk = inv.packages.map((p) => `${p.ecosystem} ${p.name} ${p.version} ${p.sourceName ?? ''}`);
  assert.ok(apk.includes('Alpine musl 1.1.16-r9 musl'));
  assert.ok(apk.includes('Alpine musl-utils 1.1.16-r9 musl'));
  assert.ok(apk.includes('Alpine libressl2.5-libcrypto 2.5.4-r0 libressl'));
  assert.ok(apk.includes('Alpine busybox 1.26.2-r5 busybox'));
  assert.ok(apk.includes('Alpine libc-utils 0.7.1-r0 libc-dev'));
  assert.equal(inv.packages.length, 11);
  for (const p of inv.packages) assert.equal(p.location.path, 'lib/apk/db/installed');
});

test('directory scan of the node-app fixture reads the lockfile', async (t) => {
  if (!images) return t.skip('test images unavailable');
  const { imageFixtures } = await import('../images/test-images.js');
  const inv = await inventoryImage({ kind: 'directory', path: `${imageFixtures}/node-app` });
  const npm = inv.packages.map((p) => `${p.name}@${p.version}`).sort();
  assert.ok(npm.includes('minimist@0.0.8'));
  assert.ok(npm.includes('minimist@1.2.5'));
  assert.ok(npm.includes('lodash@4.17.20'));
  const nested = inv.packages.find((p) => p.name === 'minimist' && p.version === '0.0.8');
  assert.equal(nested?.location.path, 'package-lock.json#node_modules/mkdirp/node_modules/minimist');
});
