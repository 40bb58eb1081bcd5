/** Version ordering per OSV ecosystem: one comparator for each family of package managers. */
import { compareApk, isValidApkVersion } from './apk.js';
import { compareDpkg, isValidDpkgVersion } from './dpkg.js';
import { compareGo, canonicalGoVersion } from './go.js';
import { comparePep440 } from './pep440.js';
import { compareRpm } from './rpm.js';
import { compareSemver } from './semver.js';

export { compareApk, isValidApkVersion } from './apk.js';
export { compareDpkg, isValidDpkgVersion, parseDpkgVersion } from './dpkg.js';
export { compareGo, canonicalGoVersion } from './go.js';
export { comparePep440, isValidPep440, parsePep440 } from './pep440.js';
export { compareRpm, rpmvercmp } from './rpm.js';
export { compareSemver, isValidSemver } from './semver.js';

export type VersionScheme = 'dpkg' | 'apk' | 'semver' | 'pep440' | 'rpm' | 'go';

export interface VersionComparator {
  scheme: VersionScheme;
  /** -1, 0 or 1. */
  compare(a: string, b: string): number;
  /** Whether `v` is a version the native tool accepts (used to report, not to refuse). */
  valid(v: string): boolean;
}

export const COMPARATORS: Readonly<Record<VersionScheme, VersionComparator>> = {
  dpkg: { scheme: 'dpkg', compare: compareDpkg, valid: isValidDpkgVersion },
  apk: { scheme: 'apk', compare: compareApk, valid: isValidApkVersion },
  semver: { scheme: 'semver', compare: compareSemver, valid: (v) => /^v?\d/.test(v) },
  pep440: { scheme: 'pep440', compare: comparePep440, valid: (v) => v.trim().length > 0 },
  rpm: { scheme: 'rpm', compare: compareRpm, valid: (v) => v.trim().length > 0 },
  go: { scheme: 'go', compare: compareGo, valid: (v) => canonicalGoVersion(v.startsWith('v') ? v : `v${v}`) !== '' },
};

/** OSV ecosystem (without a `:release` suffix) → version scheme. */
const ECOSYSTEM_SCHEMES: Readonly<Record<string, VersionScheme>> = {
  Debian: 'dpkg',
  Ubuntu: 'dpkg',
  Alpine: 'apk',
  Wolfi: 'apk',
  Chainguard: 'apk',
  npm: 'semver',
  'crates.io': 'semver',
  Hex: 'semver',
  Pub: 'semver',
  PyPI: 'pep440',
  Go: 'go',
  'Red Hat': 'rpm',
  AlmaLinux: 'rpm',
  'Rocky Linux': 'rpm',
  openSUSE: 'rpm',
  SUSE: 'rpm',
  Mageia: 'rpm',
  'Azure Linux': 'rpm',
  'Photon OS': 'rpm',
  openEuler: 'rpm',
};

/** The comparator for an OSV ecosystem such as `Debian:12` or `npm`, or undefined when kubeward has none. */
export function comparatorForEcosystem(ecosystem: string): VersionComparator | undefined {
  const base = ecosystemBase(ecosystem);
  const scheme = ECOSYSTEM_SCHEMES[base];
  return scheme === undefined ? undefined : COMPARATORS[scheme];
}

/** `Debian:12` → `Debian`; `npm` → `npm`. */
export function ecosystemBase(ecosystem: string): string {
  const i = ecosystem.indexOf(':');
  return i < 0 ? ecosystem : ecosystem.slice(0, i);
}
