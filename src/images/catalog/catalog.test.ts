import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalog, wantedPath, type CatalogFile } from './index.js';
import { catalogApk } from './apk.js';
import { catalogDpkg, parseSourceField } from './dpkg.js';
import { catalogNpmLockfile, isNpmPackageJson, npmPurl } from './npm.js';
import { parseOsRelease } from './os-release.js';
import { catalogPythonMetadata, isPythonMetadata } from './python.js';

const loc = { layer: 'sha256:l1', path: 'var/lib/dpkg/status' };

test('dpkg status: installed packages only, Source with and without version', () => {
  const text = [
    'Package: liblzma5',
    'Status: install ok installed',
    'Architecture: amd64',
    'Source: xz-utils',
    'Version: 5.4.1-1+deb12u1',
    'Description: XZ-format compression library',
    ' continuation line',
    '',
    'Package: libbz2-1.0',
    'Status: install ok installed',
    'Architecture: amd64',
    'Source: bzip2 (1.0.8-5)',
    'Version: 1.0.8-5+b1',
    '',
    'Package: removed-pkg',
    'Status: deinstall ok config-files',
    'Version: 1.0',
    '',
    'Package: apt',
    'Status: install ok installed',
    'Version: 2.6.1',
    'Architecture: amd64',
  ].join('\n');
  const pkgs = catalogDpkg(text, loc, { id: 'debian', versionId: '12' });
  assert.deepEqual(
    pkgs.map((p) => [p.name, p.version, p.sourceName, p.sourceVersion]),
    [
      ['liblzma5', '5.4.1-1+deb12u1', 'xz-utils', undefined],
      ['libbz2-1.0', '1.0.8-5+b1', 'bzip2', '1.0.8-5'],
      ['apt', '2.6.1', 'apt', undefined],
    ],
  );
  assert.equal(pkgs[0]?.purl, 'pkg:deb/debian/liblzma5@5.4.1-1%2Bdeb12u1?arch=amd64&distro=debian-12&upstream=xz-utils');
  assert.equal(pkgs[2]?.purl, 'pkg:deb/debian/apt@2.6.1?arch=amd64&distro=debian-12');
  assert.deepEqual(parseSourceField('glibc (2.36-9)'), { name: 'glibc', version: '2.36-9' });
});

test('distroless status.d files have no Status field and all count', () => {
  const text = 'Package: libssl3\nVersion: 3.0.11-1~deb12u2\nArchitecture: amd64\nSource: openssl\n';
  const pkgs = catalogDpkg(text, { layer: 'x', path: 'var/lib/dpkg/status.d/libssl3' }, undefined);
  assert.equal(pkgs.length, 1);
  assert.equal(pkgs[0]?.sourceName, 'openssl');
  assert.ok(wantedPath('var/lib/dpkg/status.d/libssl3'));
  assert.ok(!wantedPath('var/lib/dpkg/status.d/libssl3.md5sums'));
  assert.ok(!wantedPath('var/lib/dpkg/status-old'));
});

test('apk installed database: name → origin, file lines ignored', () => {
  const text = [
    'C:Q1abc=',
    'P:musl-utils',
    'V:1.1.16-r9',
    'A:x86_64',
    'o:musl',
    'F:usr/bin',
    'R:ldd',
    '',
    'P:busybox',
    'V:1.26.2-r5',
    'A:x86_64',
    '',
  ].join('\n');
  const pkgs = catalogApk(text, { layer: 'l', path: 'lib/apk/db/installed' }, { id: 'alpine', versionId: '3.6.2' });
  assert.deepEqual(
    pkgs.map((p) => [p.ecosystem, p.name, p.version, p.sourceName]),
    [
      ['Alpine', 'musl-utils', '1.1.16-r9', 'musl'],
      ['Alpine', 'busybox', '1.26.2-r5', 'busybox'],
    ],
  );
  assert.equal(pkgs[0]?.purl, 'pkg:apk/alpine/musl-utils@1.1.16-r9?arch=x86_64&distro=alpine-3.6.2&upstream=musl');
});

test('npm: which package.json files count, nested copies distinct, scoped purls', () => {
  assert.ok(isNpmPackageJson('app/node_modules/lodash/package.json'));
  assert.ok(isNpmPackageJson('node_modules/@babel/core/package.json'));
  assert.ok(isNpmPackageJson('app/node_modules/mkdirp/node_modules/minimist/package.json'));
  assert.ok(!isNpmPackageJson('app/package.json'));
  assert.ok(!isNpmPackageJson('app/node_modules/lodash/fp/package.json'));
  assert.ok(!isNpmPackageJson('app/node_modules/@babel/package.json'));
  assert.equal(npmPurl('@babel/core', '7.0.0'), 'pkg:npm/%40babel/core@7.0.0');
  const files: CatalogFile[] = [
    { path: 'app/node_modules/minimist/package.json', content: Buffer.from('{"name":"minimist","version":"1.2.5"}'), layer: 'l2' },
    { path: 'app/node_modules/mkdirp/node_modules/minimist/package.json', content: Buffer.from('{"name":"minimist","version":"0.0.8"}'), layer: 'l2' },
    { path: 'app/node_modules/broken/package.json', content: Buffer.from('{not json'), layer: 'l2' },
  ];
  const r = catalog({ read: () => undefined, files });
  assert.deepEqual(
    r.packages.map((p) => `${p.name}@${p.version} ${p.location.path}`),
    ['minimist@0.0.8 app/node_modules/mkdirp/node_modules/minimist/package.json', 'minimist@1.2.5 app/node_modules/minimist/package.json'],
  );
  assert.equal(r.distro, undefined);
});

test('package-lock.json v1 and v3; installed copies are not counted twice', () => {
  const v1 = JSON.stringify({
    lockfileVersion: 1,
    dependencies: { mkdirp: { version: '0.5.1', dependencies: { minimist: { version: '0.0.8' } } }, minimist: { version: '1.2.5' }, local: { version: 'file:../x' } },
  });
  const p1 = catalogNpmLockfile(v1, { layer: 'dir', path: 'package-lock.json' }, new Set());
  assert.deepEqual(p1.map((p) => `${p.name}@${p.version} ${p.location.path}`).sort(), [
    'minimist@0.0.8 package-lock.json#node_modules/mkdirp/node_modules/minimist',
    'minimist@1.2.5 package-lock.json#node_modules/minimist',
    'mkdirp@0.5.1 package-lock.json#node_modules/mkdirp',
  ]);
  const v3 = JSON.stringify({
    lockfileVersion: 3,
    packages: {
      '': { name: 'app', version: '1.0.0' },
      'node_modules/@scope/a': { version: '1.0.0' },
      'node_modules/b': { version: '2.0.0' },
      'node_modules/linked': { link: true, resolved: 'packages/linked' },
      'packages/linked': { version: '0.1.0' },
    },
  });
  const p3 = catalogNpmLockfile(v3, { layer: 'dir', path: 'web/package-lock.json' }, new Set(['web/node_modules/b/package.json']));
  assert.deepEqual(p3.map((p) => `${p.name}@${p.version}`), ['@scope/a@1.0.0']);
});

test('python METADATA and PKG-INFO', () => {
  assert.ok(isPythonMetadata('usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA'));
  assert.ok(isPythonMetadata('usr/lib/python3/site-packages/six-1.16.0.egg-info/PKG-INFO'));
  assert.ok(isPythonMetadata('usr/lib/python3/dist-packages/six-1.16.0.egg-info'));
  const text = 'Metadata-Version: 2.1\nName: Flask_Cors\nVersion: 3.0.10\nSummary: x\n\nName: not-this\n';
  const [p] = catalogPythonMetadata(text, { layer: 'l', path: 'x.dist-info/METADATA' });
  assert.equal(p?.name, 'Flask_Cors');
  assert.equal(p?.version, '3.0.10');
  assert.equal(p?.purl, 'pkg:pypi/flask-cors@3.0.10');
});

test('os-release', () => {
  assert.deepEqual(parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n'), {
    id: 'debian',
    versionId: '12',
    prettyName: 'Debian GNU/Linux 12 (bookworm)',
  });
  assert.equal(parseOsRelease('NAME=foo\n'), undefined);
  // etc/os-release wins over usr/lib/os-release; read() follows symlinks in the caller.
  const r = catalog({
    read: (p) => (p === 'usr/lib/os-release' ? { path: p, content: Buffer.from('ID=alpine\nVERSION_ID=3.6.2\n'), layer: 'l' } : undefined),
    files: [],
  });
  assert.deepEqual(r.distro, { id: 'alpine', versionId: '3.6.2' });
});
