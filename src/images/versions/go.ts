/**
 * Go module version ordering, as golang.org/x/mod/semver: `v` followed by SemVer, where `vMAJOR` and
 * `vMAJOR.MINOR` are shorthands for `.0` (without pre-release or build), build metadata is ignored,
 * and invalid versions are equal to each other and less than every valid one.
 */
import { compareLenientSemver, parseLenientSemver } from './semver.js';

const GO_SEMVER =
  /^v(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?)?)?$/;

/** The canonical form (`v1` → `v1.0.0`, build dropped), or `''` when `v` is not a valid Go version. */
export function canonicalGoVersion(v: string): string {
  const m = GO_SEMVER.exec(v);
  if (!m) return '';
  // Shorthands may not carry a pre-release or build: the regex allows those only after three components.
  return `v${m[1]}.${m[2] ?? '0'}.${m[3] ?? '0'}${m[4] !== undefined ? `-${m[4]}` : ''}`;
}

/** -1, 0 or 1, as `semver.Compare` of golang.org/x/mod orders `a` and `b`. */
export function compareGo(a: string, b: string): number {
  // OSV Go ranges are written without the leading `v`; accept both spellings.
  const ca = canonicalGoVersion(a.startsWith('v') ? a : `v${a}`);
  const cb = canonicalGoVersion(b.startsWith('v') ? b : `v${b}`);
  if (ca === '' || cb === '') {
    if (ca === cb) return 0;
    return ca === '' ? -1 : 1;
  }
  return compareLenientSemver(parseLenientSemver(ca), parseLenientSemver(cb));
}
