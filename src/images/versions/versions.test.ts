import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { compareApk, compareDpkg, compareGo, comparePep440, compareRpm, compareSemver, canonicalGoVersion, comparatorForEcosystem } from './index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const vectors = path.resolve(repoRoot, '../shared/fixtures/images/vectors');
const present = existsSync(vectors);
if (!present) console.log('NOTICE: ../shared/fixtures absent; skipping version vector tests');

interface Vector {
  a: string;
  op: '<' | '>' | '=';
  b: string;
  line: number;
}

function readVectors(rel: string): Vector[] {
  const out: Vector[] = [];
  readFileSync(path.join(vectors, rel), 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#') || line.startsWith('//')) return;
      const m = /^(\S+) ([<>=]) (\S+)$/.exec(line);
      if (!m) throw new Error(`${rel}:${i + 1}: unreadable vector '${line}'`);
      out.push({ a: m[1]!, op: m[2] as Vector['op'], b: m[3]!, line: i + 1 });
    });
  return out;
}

const EXPECT: Record<Vector['op'], number> = { '<': -1, '>': 1, '=': 0 };

function runVectors(name: string, files: string[], compare: (a: string, b: string) => number): void {
  const t = present ? test : test.skip;
  t(`${name} version vectors`, () => {
    let total = 0;
    const failures: string[] = [];
    for (const f of files) {
      for (const v of readVectors(f)) {
        total++;
        const want = EXPECT[v.op];
        const got = Math.sign(compare(v.a, v.b));
        const back = Math.sign(compare(v.b, v.a));
        if (got !== want || back !== -want + 0) failures.push(`${f}:${v.line}: ${v.a} ${v.op} ${v.b} (got ${got}, reversed ${back})`);
      }
    }
    console.log(`${name}: ${total - failures.length}/${total} vectors pass`);
    assert.deepEqual(failures.slice(0, 20), []);
    assert.ok(total > 0);
  });
}

runVectors('dpkg', ['dpkg/dpkg-cases.txt', 'osv-scalibr/debian-versions.txt', 'osv-scalibr/debian-versions-generated.txt'], compareDpkg);
runVectors('apk', ['osv-scalibr/alpine-versions.txt', 'osv-scalibr/alpine-versions-generated.txt'], compareApk);
runVectors('semver', ['osv-scalibr/semver-versions.txt'], compareSemver);
runVectors('pep440', ['osv-scalibr/pypi-versions.txt', 'osv-scalibr/pypi-versions-generated.txt'], comparePep440);
runVectors('rpm', ['osv-scalibr/redhat-versions.txt'], compareRpm);
runVectors('go', ['go-semver/compare.txt'], compareGo);

(present ? test : test.skip)('go canonical forms', () => {
  const rows = readFileSync(path.join(vectors, 'go-semver/canonical.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));
  let n = 0;
  for (const row of rows) {
    const [input, canonical] = row.split('\t');
    assert.equal(canonicalGoVersion(input!), canonical ?? '', `canonical(${input})`);
    n++;
  }
  // The rows are in ascending order; invalid versions are equal to each other.
  for (let i = 1; i < rows.length; i++) {
    const [a, ca] = rows[i - 1]!.split('\t');
    const [b, cb] = rows[i]!.split('\t');
    const c = compareGo(a!, b!);
    assert.ok(c <= 0, `${a} <= ${b}`);
    if (ca === '' && cb === '') assert.equal(c, 0);
  }
  console.log(`go canonical: ${n}/${rows.length} rows pass`);
});

test('apk revisions compare numerically and suffixes order as apk does', () => {
  assert.equal(compareApk('1.1.16-r9', '1.1.16-r14'), -1);
  assert.equal(compareApk('1.0_rc1', '1.0'), -1);
  assert.equal(compareApk('1.0_p1', '1.0'), 1);
  assert.equal(compareApk('1.0_alpha', '1.0_beta'), -1);
  assert.equal(compareApk('2.5.4-r0', '2.5.3-r1'), 1);
});

test('dpkg tilde, epoch and revision', () => {
  assert.equal(compareDpkg('1.0~rc1', '1.0'), -1);
  assert.equal(compareDpkg('1:0.1', '9.9'), 1);
  assert.equal(compareDpkg('5.36.0-7+deb12u3', '5.36.0-7+deb12u4'), -1);
  assert.equal(compareDpkg('10.42-1', '10.42-1+deb12u1'), -1);
});

test('semver handles non-SemVer versions from advisories', () => {
  assert.equal(compareSemver('2.6.0', '1.0'), 1);
  assert.equal(compareSemver('0.9.9', '1.0'), -1);
  assert.equal(compareSemver('1.0.0', '1.0'), 0);
  assert.equal(compareSemver('3.0.0-beta.1', '3.0.0'), -1);
});

test('comparators are antisymmetric and reflexive (property)', () => {
  const ver = fc
    .array(fc.oneof(fc.integer({ min: 0, max: 30 }).map(String), fc.constantFrom('.', '-', '~', '+', 'a', 'rc', '_p', '-r', ':', '_rc')), { minLength: 1, maxLength: 8 })
    .map((p) => p.join(''));
  for (const cmp of [compareDpkg, compareApk, compareSemver, comparePep440, compareRpm, compareGo]) {
    fc.assert(
      fc.property(ver, ver, (a, b) => {
        assert.equal(Math.sign(cmp(a, a)), 0);
        assert.ok(Math.sign(cmp(a, b)) === -Math.sign(cmp(b, a)), `${a} vs ${b}`);
      }),
      { numRuns: 300, seed: 7 },
    );
  }
});

test('ecosystems map to comparators, release suffix ignored', () => {
  assert.equal(comparatorForEcosystem('Debian:12')?.scheme, 'dpkg');
  assert.equal(comparatorForEcosystem('Alpine:v3.6')?.scheme, 'apk');
  assert.equal(comparatorForEcosystem('npm')?.scheme, 'semver');
  assert.equal(comparatorForEcosystem('PyPI')?.scheme, 'pep440');
  assert.equal(comparatorForEcosystem('Nonesuch'), undefined);
});
