import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { inventoryImage, parseImageSource } from './inventory.js';

test('parseImageSource', () => {
  const d = `sha256:${'b'.repeat(64)}`;
  assert.deepEqual(parseImageSource('oci:/x/layout'), { kind: 'oci-layout', path: '/x/layout' });
  assert.deepEqual(parseImageSource('oci:/x/layout:app'), { kind: 'oci-layout', path: '/x/layout', ref: 'app' });
  assert.deepEqual(parseImageSource(`oci:./l:${d}`), { kind: 'oci-layout', path: './l', ref: d });
  assert.deepEqual(parseImageSource('oci-archive:/a.tar'), { kind: 'oci-archive', path: '/a.tar' });
  assert.deepEqual(parseImageSource('docker-archive:img.tar'), { kind: 'docker-archive', path: 'img.tar' });
  assert.deepEqual(parseImageSource('dir:./rootfs'), { kind: 'directory', path: './rootfs' });
  assert.deepEqual(parseImageSource('docker://alpine:3.6'), { kind: 'registry', ref: 'alpine:3.6' });
  assert.deepEqual(parseImageSource('127.0.0.1:5000/example/app:1'), { kind: 'registry', ref: '127.0.0.1:5000/example/app:1' });
  assert.throws(() => parseImageSource(''), /empty image reference/);
  assert.throws(() => parseImageSource('oci-archive:'), /missing path/);
});

test('directory scan: os-release through a symlink, dpkg, python, lockfile; symlinks are not followed', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'kubeward-dir-test-'));
  try {
    mkdirSync(path.join(root, 'usr/lib/python3/dist-packages/six-1.16.0.dist-info'), { recursive: true });
    mkdirSync(path.join(root, 'etc'));
    mkdirSync(path.join(root, 'var/lib/dpkg'), { recursive: true });
    writeFileSync(path.join(root, 'usr/lib/os-release'), 'ID=debian\nVERSION_ID="12"\n');
    symlinkSync('../usr/lib/os-release', path.join(root, 'etc/os-release'));
    symlinkSync('/', path.join(root, 'loop'));
    writeFileSync(path.join(root, 'var/lib/dpkg/status'), 'Package: zlib1g\nStatus: install ok installed\nVersion: 1:1.2.13.dfsg-1\nSource: zlib\n');
    writeFileSync(path.join(root, 'usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA'), 'Name: six\nVersion: 1.16.0\n');
    writeFileSync(path.join(root, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/minimist': { version: '1.2.5' } } }));
    const inv = await inventoryImage({ kind: 'directory', path: root });
    assert.deepEqual(inv.distro, { id: 'debian', versionId: '12' });
    assert.deepEqual(
      inv.packages.map((p) => `${p.ecosystem} ${p.name} ${p.version} ${p.location.layer} ${p.location.path}`),
      [
        'Debian zlib1g 1:1.2.13.dfsg-1 dir var/lib/dpkg/status',
        'PyPI six 1.16.0 dir usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA',
        'npm minimist 1.2.5 dir package-lock.json#node_modules/minimist',
      ],
    );
    assert.equal(inv.files?.('loop'), true);
    assert.equal(inv.files?.('loop/etc'), false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('an aborted signal stops the read', async () => {
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(() => inventoryImage({ kind: 'directory', path: tmpdir() }, { signal: ac.signal }), /aborted/);
});
