import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { matchPackages, rangeContains, recordLookupFrom, type ImageFinding } from './match.js';
import type { OsvRecord } from './osv/types.js';
import type { Distro, Package } from './types.js';
import { COMPARATORS } from './versions/index.js';
import { catalogApk } from './catalog/apk.js';
import { parseOsRelease } from './catalog/os-release.js';
import { catalogNpmLockfile } from './catalog/npm.js';
import { fixturesPresent, imageFixtures, loadFixtureRecords } from '../../test/helpers/image-fixtures.js';

if (!fixturesPresent) console.log('NOTICE: ../shared/fixtures absent; skipping OSV fixture matching tests');
const fixtureTest = fixturesPresent ? test : test.skip;

/** The compact shape expectations are written in. */
function brief(f: ImageFinding): string {
  return `${f.package.name}@${f.package.version} ${f.id} fixed=${f.fixedVersion ?? '-'} sev=${f.severity}`;
}

fixtureTest('all 20 fixture records validate against the OSV schema', () => {
  assert.equal(loadFixtureRecords().length, 20);
});

fixtureTest('Alpine 3.6: advisories match by origin, -r9 < -r14', () => {
  const distro = parseOsRelease(readFileSync(path.join(imageFixtures, 'alpine-3.6/etc/os-release'), 'utf8'));
  assert.ok(distro);
  const pkgs = catalogApk(readFileSync(path.join(imageFixtures, 'alpine-3.6/lib/apk/db/installed'), 'utf8'), { layer: 'dir', path: 'lib/apk/db/installed' }, distro);
  const { findings, problems } = matchPackages(pkgs, distro, recordLookupFrom(loadFixtureRecords()));
  assert.deepEqual(problems, []);
  // musl and musl-utils (origin musl) 1.1.16-r9 < 1.1.16-r14 (CVE-2017-15650); not < 1.1.15-r4 (CVE-2016-8859).
  // busybox 1.26.2-r5 < 1.26.2-r9 (two CVEs). libressl2.5-* (origin libressl) 2.5.4-r0 >= 2.5.3-r1: not affected.
  assert.deepEqual(findings.map(brief), [
    'busybox@1.26.2-r5 x_imgscan-ALPINE-v3.6-busybox-CVE-2017-15873 fixed=1.26.2-r9 sev=unknown',
    'busybox@1.26.2-r5 x_imgscan-ALPINE-v3.6-busybox-CVE-2017-16544 fixed=1.26.2-r9 sev=unknown',
    'musl@1.1.16-r9 x_imgscan-ALPINE-v3.6-musl-CVE-2017-15650 fixed=1.1.16-r14 sev=unknown',
    'musl-utils@1.1.16-r9 x_imgscan-ALPINE-v3.6-musl-CVE-2017-15650 fixed=1.1.16-r14 sev=unknown',
  ]);
  assert.equal(findings.find((f) => f.package.name === 'musl-utils')?.matchedName, 'musl');
});

fixtureTest('Alpine advisories do not apply to another Alpine release', () => {
  const pkgs = catalogApk(readFileSync(path.join(imageFixtures, 'alpine-3.6/lib/apk/db/installed'), 'utf8'), { layer: 'dir', path: 'lib/apk/db/installed' }, undefined);
  const { findings } = matchPackages(pkgs, { id: 'alpine', versionId: '3.7.0' }, recordLookupFrom(loadFixtureRecords()));
  assert.deepEqual(findings, []);
});

fixtureTest('npm: the node-app lockfile, with the nested minimist 0.0.8 as its own instance', () => {
  const lock = readFileSync(path.join(imageFixtures, 'node-app/package-lock.json'), 'utf8');
  const pkgs = catalogNpmLockfile(lock, { layer: 'dir', path: 'package-lock.json' }, new Set());
  const { findings } = matchPackages(pkgs, undefined, recordLookupFrom(loadFixtureRecords()));
  assert.deepEqual(
    findings.map((f) => `${brief(f)} @${f.package.location.path}`),
    [
      'lodash@4.17.20 GHSA-29mw-wpgm-hmr9 fixed=4.17.21 sev=medium @package-lock.json#node_modules/lodash',
      'lodash@4.17.20 GHSA-35jh-r3h4-6jhm fixed=4.17.21 sev=high @package-lock.json#node_modules/lodash',
      'minimist@0.0.8 GHSA-vh95-rmgr-6w4m fixed=0.2.1 sev=medium @package-lock.json#node_modules/mkdirp/node_modules/minimist',
      'minimist@0.0.8 GHSA-xvch-5gv4-984h fixed=0.2.4 sev=critical @package-lock.json#node_modules/mkdirp/node_modules/minimist',
      'minimist@1.2.5 GHSA-xvch-5gv4-984h fixed=1.2.6 sev=critical @package-lock.json#node_modules/minimist',
      // Both affected entries hold 2.6.0 (introduced "1.0" — not SemVer — and introduced 0): one finding.
      // 2.6.7 is still inside [1.0, 3.1.1) per the record, so the version that clears it is 3.1.1.
      'node-fetch@2.6.0 GHSA-r683-j2x4-v87g fixed=3.1.1 sev=high @package-lock.json#node_modules/node-fetch',
      'node-fetch@2.6.0 GHSA-w7rc-rwvf-8q5r fixed=2.6.1 sev=low @package-lock.json#node_modules/node-fetch',
    ],
  );
  const r683 = findings.find((f) => f.id === 'GHSA-r683-j2x4-v87g');
  assert.equal(r683?.explanation.matches, 2);
  assert.equal(r683?.severityDetail.score, 8.8);
});

/** The Debian bookworm minbase packages the derived records concern (versions as debootstrap installs them). */
function debianPackages(): Package[] {
  const loc = { layer: 'sha256:l1', path: 'var/lib/dpkg/status' };
  const p = (name: string, version: string, sourceName: string): Package => ({ ecosystem: 'Debian', name, version, sourceName, location: loc });
  return [
    p('apt', '2.6.1', 'apt'),
    p('libapt-pkg6.0', '2.6.1', 'apt'),
    p('liblzma5', '5.4.1-1+deb12u1', 'xz-utils'),
    p('libpcre2-8-0', '10.42-1', 'pcre2'),
    p('perl-base', '5.36.0-7+deb12u3', 'perl'),
    p('bash', '5.2.15-2+b7', 'bash'),
  ];
}

const DEBIAN_EXPECTED = [
  'apt@2.6.1 x_imgscan-DEB12-apt-2.6.2 fixed=2.6.2 sev=unknown',
  'libapt-pkg6.0@2.6.1 x_imgscan-DEB12-apt-2.6.2 fixed=2.6.2 sev=unknown',
  'liblzma5@5.4.1-1+deb12u1 x_imgscan-DEB12-xz-utils-5.4.1-1_deb12u2 fixed=5.4.1-1+deb12u2 sev=unknown',
  'libpcre2-8-0@10.42-1 x_imgscan-DEB12-pcre2-10.42-1_deb12u1 fixed=10.42-1+deb12u1 sev=unknown',
  'libpcre2-8-0@10.42-1 x_imgscan-DEB12-pcre2-10.42-1_deb12u2 fixed=10.42-1+deb12u2 sev=unknown',
  'perl-base@5.36.0-7+deb12u3 x_imgscan-DEB12-perl-5.36.0-7_deb12u4 fixed=5.36.0-7+deb12u4 sev=unknown',
];

fixtureTest('Debian 12: matched by source package and release, dpkg ordering of +debNuM', () => {
  const debian: Distro = { id: 'debian', versionId: '12' };
  const { findings } = matchPackages(debianPackages(), debian, recordLookupFrom(loadFixtureRecords()));
  assert.deepEqual(findings.map(brief), DEBIAN_EXPECTED);
  // Debian 11 is another release: none of the Debian:12 records apply.
  assert.deepEqual(matchPackages(debianPackages(), { id: 'debian', versionId: '11' }, recordLookupFrom(loadFixtureRecords())).findings, []);
});

const pkg = (ecosystem: Package['ecosystem'], name: string, version: string): Package => ({ ecosystem, name, version, location: { layer: 'dir', path: 'x' } });
const rec = (id: string, affected: OsvRecord['affected'], extra: Partial<OsvRecord> = {}): OsvRecord => ({ id, modified: '2024-01-01T00:00:00Z', affected, ...extra });

test('range events: introduced/fixed/last_affected/limit', () => {
  const c = COMPARATORS.semver;
  const r = (events: Array<Record<string, string>>) => ({ type: 'SEMVER' as const, events: events as never });
  assert.equal(rangeContains(r([{ introduced: '0' }, { fixed: '1.2.0' }]), '1.1.9', c), true);
  assert.equal(rangeContains(r([{ introduced: '0' }, { fixed: '1.2.0' }]), '1.2.0', c), false);
  assert.equal(rangeContains(r([{ introduced: '1.0.0' }, { last_affected: '1.2.0' }]), '1.2.0', c), true);
  assert.equal(rangeContains(r([{ introduced: '1.0.0' }, { last_affected: '1.2.0' }]), '1.2.1', c), false);
  assert.equal(rangeContains(r([{ introduced: '1.0.0' }]), '0.9.0', c), false);
  assert.equal(rangeContains(r([{ introduced: '1.0.0' }]), '9.0.0', c), true);
  // Several introduced/fixed pairs in one range, given out of order.
  const multi = r([{ fixed: '2.0.1' }, { introduced: '3.0.0' }, { introduced: '2.0.0' }, { fixed: '3.0.2' }]);
  assert.deepEqual(['1.0.0', '2.0.0', '2.0.1', '2.5.0', '3.0.0', '3.0.1', '3.0.2'].map((v) => rangeContains(multi, v, c)), [false, true, false, false, true, true, false]);
  assert.equal(rangeContains(r([{ introduced: '0' }, { limit: '2.0.0' }]), '1.5.0', c), true);
  assert.equal(rangeContains(r([{ introduced: '0' }, { limit: '2.0.0' }]), '2.5.0', c), false);
});

test('explicit versions, withdrawn records, one finding per instance and record', () => {
  const records = [
    rec('GHSA-aaaa-aaaa-aaaa', [
      { package: { ecosystem: 'npm', name: 'left-pad' }, versions: ['1.0.0', '1.1.0'] },
      { package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.3.0' }] }] },
      { package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { fixed: '1.2.0' }] }] },
    ]),
    rec('GHSA-bbbb-bbbb-bbbb', [{ package: { ecosystem: 'npm', name: 'left-pad' }, versions: ['1.1.0'] }], { withdrawn: '2024-02-01T00:00:00Z' }),
    rec('GHSA-cccc-cccc-cccc', [{ package: { ecosystem: 'npm', name: 'left-pad' }, versions: ['1.1.0'] }]),
  ];
  const a = pkg('npm', 'left-pad', '1.1.0');
  const b = { ...pkg('npm', 'left-pad', '1.1.0'), location: { layer: 'dir', path: 'y' } };
  const { findings } = matchPackages([a, b, a], undefined, recordLookupFrom(records));
  assert.deepEqual(
    findings.map((f) => `${f.package.location.path} ${f.id} ${f.fixedVersion ?? '-'} ${f.explanation.matches} ${f.explanation.via.kind}`),
    ['x GHSA-aaaa-aaaa-aaaa 1.3.0 3 versions', 'x GHSA-cccc-cccc-cccc - 1 versions', 'y GHSA-aaaa-aaaa-aaaa 1.3.0 3 versions', 'y GHSA-cccc-cccc-cccc - 1 versions'],
  );
});

test('PyPI names are normalised; last_affected gives no fixed version', () => {
  const records = [rec('PYSEC-2024-1', [{ package: { ecosystem: 'PyPI', name: 'Foo_Bar' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { last_affected: '2.0' }] }] }])];
  const { findings } = matchPackages([pkg('PyPI', 'foo.bar', '2.0.0'), pkg('PyPI', 'foo-bar', '2.0.post1')], undefined, recordLookupFrom(records));
  assert.deepEqual(findings.map((f) => `${f.package.version} ${f.fixedVersion ?? '-'}`), ['2.0.0 -']);
});

test('release-specific distro advisories need the image release', () => {
  const records = [rec('DSA-1-1', [{ package: { ecosystem: 'Debian:12', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.11-1~deb12u1' }] }] }]), rec('DEBIAN-CVE-1', [{ package: { ecosystem: 'Debian', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.12-1' }] }] }])];
  const p: Package = { ...pkg('Debian', 'libssl3', '3.0.9-1'), sourceName: 'openssl' };
  const unknown = matchPackages([p], undefined, recordLookupFrom(records));
  assert.deepEqual(unknown.findings.map((f) => f.id), ['DEBIAN-CVE-1']);
  assert.deepEqual(unknown.problems.map((x) => x.code), ['unknownRelease']);
  const known = matchPackages([p], { id: 'debian', versionId: '12' }, recordLookupFrom(records));
  assert.deepEqual(known.findings.map((f) => `${f.id} ${f.matchedName} ${f.fixedVersion}`), ['DEBIAN-CVE-1 openssl 3.0.12-1', 'DSA-1-1 openssl 3.0.11-1~deb12u1']);
});

test('a binNMU source version is what distro advisories are compared with', () => {
  const records = [rec('DSA-2-1', [{ package: { ecosystem: 'Debian:12', name: 'zlib' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:1.2.13.dfsg-1' }] }] }])];
  const p: Package = { ...pkg('Debian', 'zlib1g', '1:1.2.13.dfsg-1+b1'), sourceName: 'zlib', sourceVersion: '1:1.2.13.dfsg-1' };
  assert.deepEqual(matchPackages([p], { id: 'debian', versionId: '12' }, recordLookupFrom(records)).findings, []);
  const old: Package = { ...p, version: '1:1.2.12.dfsg-1+b1', sourceVersion: '1:1.2.12.dfsg-1' };
  assert.equal(matchPackages([old], { id: 'debian', versionId: '12' }, recordLookupFrom(records)).findings[0]?.installedVersion, '1:1.2.12.dfsg-1');
});
