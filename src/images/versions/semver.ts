/**
 * SemVer 2.0 ordering for npm (and other SemVer ecosystems), using the `semver` package for
 * well-formed versions. Versions that are not strict SemVer — `1.0` and `v1` as some advisories
 * write them, numbers beyond 2^53, `1.36.0rc1`, more than three components — are compared by a
 * lenient reading: leading numeric components (missing ones are 0, values unbounded), then an
 * optional pre-release (after `-`, or glued on as in `0rc1`), build metadata ignored.
 */
import semver from 'semver';

export interface LenientSemver {
  /** Numeric release components, at least three (missing ones are `0`). */
  release: string[];
  /** Pre-release identifiers; empty for a release. */
  prerelease: string[];
}

const NUMERIC = /^\d+$/;

export function parseLenientSemver(v: string): LenientSemver {
  let s = v.trim();
  if (s.startsWith('v') || s.startsWith('V') || s.startsWith('=')) s = s.slice(1);
  const plus = s.indexOf('+');
  if (plus >= 0) s = s.slice(0, plus);
  const m = /^(\d+(?:\.\d+)*)(.*)$/.exec(s);
  let releasePart = '0';
  let rest = s;
  if (m) {
    releasePart = m[1]!;
    rest = m[2]!;
  }
  const release = releasePart.split('.');
  // Components beyond the third are not part of SemVer's precedence; keep them as a pre-release-less tail.
  while (release.length < 3) release.push('0');
  if (rest.startsWith('-') || rest.startsWith('.')) rest = rest.slice(1);
  const prerelease = rest.length > 0 ? rest.split('.') : [];
  return { release: release.slice(0, 3), prerelease };
}

function compareDigitStrings(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareIdentifiers(a: string, b: string): number {
  const an = NUMERIC.test(a);
  const bn = NUMERIC.test(b);
  if (an && bn) return compareDigitStrings(a, b);
  if (an) return -1;
  if (bn) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareLenientSemver(a: LenientSemver, b: LenientSemver): number {
  for (let i = 0; i < 3; i++) {
    const c = compareDigitStrings(a.release[i] ?? '0', b.release[i] ?? '0');
    if (c !== 0) return c;
  }
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    if (a.prerelease.length === b.prerelease.length) return 0;
    return a.prerelease.length === 0 ? 1 : -1;
  }
  const n = Math.max(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < n; i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const c = compareIdentifiers(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

/** -1, 0 or 1: SemVer precedence of `a` and `b` (build metadata ignored). */
export function compareSemver(a: string, b: string): number {
  const x = semver.parse(a);
  const y = semver.parse(b);
  if (x && y) return semver.compare(x, y);
  return compareLenientSemver(parseLenientSemver(a), parseLenientSemver(b));
}

export function isValidSemver(v: string): boolean {
  return semver.valid(v) !== null;
}
