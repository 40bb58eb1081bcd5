/**
 * Matching installed packages against OSV records, with OSV semantics:
 *  - an affected entry applies when its package ecosystem is the package's (a release suffix such as
 *    `Debian:12` or `Alpine:v3.6` must be the image's release; no suffix means every release) and its
 *    name is the package's — for distro packages the *source* name (dpkg Source, apk origin);
 *  - a version is affected when an explicit `versions` entry names it or an ECOSYSTEM/SEMVER range
 *    holds it: events sorted by version, `introduced` opens, `fixed` (at or above) and
 *    `last_affected` (above) close, and `limit`s bound the range from above; GIT ranges are not evaluated;
 *  - withdrawn records are ignored; one finding per (package instance, record) however many ranges match;
 *  - the fixed version named is the lowest `fixed` event above the installed version that is itself
 *    outside every range of the record for that package (so upgrading to it clears the finding).
 * Pure: plain data in, plain data out, sorted.
 */
import type { Distro, Package } from './types.js';
import type { OsvAffected, OsvRange, OsvRecord } from './osv/types.js';
import { comparatorForEcosystem, COMPARATORS, ecosystemBase, type VersionComparator } from './versions/index.js';
import { severityOf, type ImageSeverity, type SeverityVerdict } from './severity.js';

/** Why a package was found affected: the record's affected entry and what in it matched. */
export interface MatchExplanation {
  /** Index into the record's `affected` array of the first entry that matched. */
  affectedIndex: number;
  /** Ecosystem and name as the record writes them. */
  ecosystem: string;
  name: string;
  /** `versions` when an explicit version entry matched, else the first matching range. */
  via: { kind: 'versions' } | { kind: 'range'; type: 'ECOSYSTEM' | 'SEMVER'; events: OsvRange['events'] };
  /** How many (affected entry, range or versions list) pairs matched in all. */
  matches: number;
}

export interface ImageFinding {
  /** Advisory (OSV record) id. */
  id: string;
  aliases: string[];
  summary?: string;
  severity: ImageSeverity;
  severityDetail: SeverityVerdict;
  package: Package;
  /** The name the advisory is filed under: the source package for distro packages. */
  matchedName: string;
  /** The version compared: the source version for distro packages when it differs. */
  installedVersion: string;
  /** The version that fixes it, when one exists. */
  fixedVersion?: string;
  explanation: MatchExplanation;
}

export interface MatchProblem {
  code: 'unsupportedEcosystem' | 'unknownRelease';
  message: string;
  recordId?: string;
  package?: string;
}

/** Looks up candidate records by OSV ecosystem base (`Debian`, `npm`, …) and package name. */
export type RecordLookup = (ecosystemBase: string, name: string) => readonly OsvRecord[];

/** PEP 503 name normalisation; other ecosystems compare names exactly. */
export function normalizePackageName(ecosystem: string, name: string): string {
  return ecosystemBase(ecosystem) === 'PyPI' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
}

/** The OSV ecosystem (base and release) that a package of this image is filed under. */
export function osvEcosystemFor(pkg: Package, distro: Distro | undefined): { base: string; release?: string } {
  if (pkg.ecosystem === 'npm' || pkg.ecosystem === 'PyPI') return { base: pkg.ecosystem };
  const id = distro?.id.toLowerCase();
  const versionId = distro?.versionId ?? '';
  if (id === 'ubuntu') return versionId ? { base: 'Ubuntu', release: versionId } : { base: 'Ubuntu' };
  if (pkg.ecosystem === 'Debian' || id === 'debian') {
    const major = /^(\d+)/.exec(versionId)?.[1];
    return major !== undefined ? { base: 'Debian', release: major } : { base: 'Debian' };
  }
  if (pkg.ecosystem === 'Alpine' || id === 'alpine') {
    const mm = /^(\d+)\.(\d+)/.exec(versionId);
    return mm ? { base: 'Alpine', release: `v${mm[1]}.${mm[2]}` } : { base: 'Alpine' };
  }
  return { base: pkg.ecosystem };
}

function isDistroEcosystem(base: string): boolean {
  return base !== 'npm' && base !== 'PyPI';
}

function eventVersion(e: OsvRange['events'][number]): string {
  if ('introduced' in e) return e.introduced;
  if ('fixed' in e) return e.fixed;
  if ('last_affected' in e) return e.last_affected;
  return e.limit;
}

function compareEventVersions(cmp: VersionComparator, a: string, b: string): number {
  if (a === b) return 0;
  if (a === '0') return -1;
  if (b === '0') return 1;
  return cmp.compare(a, b);
}

/** OSV range evaluation for ECOSYSTEM and SEMVER ranges. */
export function rangeContains(range: OsvRange, version: string, cmp: VersionComparator): boolean {
  const limits = range.events.filter((e): e is { limit: string } => 'limit' in e).map((e) => e.limit);
  if (limits.length > 0 && !limits.some((l) => l === '*' || cmp.compare(version, l) < 0)) return false;
  const events = range.events
    .filter((e) => !('limit' in e))
    .map((e, i) => ({ e, i, v: eventVersion(e) }))
    .sort((x, y) => compareEventVersions(cmp, x.v, y.v) || x.i - y.i);
  let affected = false;
  for (const { e, v } of events) {
    if ('introduced' in e) {
      if (v === '0' || cmp.compare(version, v) >= 0) affected = true;
    } else if ('fixed' in e) {
      if (cmp.compare(version, v) >= 0) affected = false;
    } else if ('last_affected' in e) {
      if (cmp.compare(version, v) > 0) affected = false;
    }
  }
  return affected;
}

function comparatorForRange(range: OsvRange, ecosystem: string): VersionComparator | undefined {
  if (range.type === 'SEMVER') return COMPARATORS.semver;
  if (range.type === 'ECOSYSTEM') return comparatorForEcosystem(ecosystem);
  return undefined;
}

interface AffectedHit {
  index: number;
  affected: OsvAffected;
  via: MatchExplanation['via'];
  matches: number;
}

/** Which of `entries` hold `version` (with the first matching range or list of each). */
function evaluateEntries(entries: Array<{ index: number; affected: OsvAffected }>, version: string, ecosystem: string): AffectedHit[] {
  const hits: AffectedHit[] = [];
  for (const { index, affected } of entries) {
    let via: MatchExplanation['via'] | undefined;
    let matches = 0;
    const eco = affected.package?.ecosystem ?? ecosystem;
    const listCmp = comparatorForEcosystem(eco);
    if (affected.versions?.some((v) => v === version || (listCmp !== undefined && listCmp.valid(v) && listCmp.compare(v, version) === 0))) {
      via = { kind: 'versions' };
      matches++;
    }
    for (const range of affected.ranges ?? []) {
      const cmp = comparatorForRange(range, eco);
      if (cmp === undefined || (range.type !== 'ECOSYSTEM' && range.type !== 'SEMVER')) continue;
      if (rangeContains(range, version, cmp)) {
        via ??= { kind: 'range', type: range.type, events: range.events };
        matches++;
      }
    }
    if (via !== undefined) hits.push({ index, affected, via, matches });
  }
  return hits;
}

function fixedVersionFor(entries: Array<{ index: number; affected: OsvAffected }>, version: string, ecosystem: string): string | undefined {
  const cmp = comparatorForEcosystem(ecosystem);
  if (cmp === undefined) return undefined;
  const candidates = new Set<string>();
  for (const { affected } of entries) {
    for (const range of affected.ranges ?? []) {
      if (range.type !== 'ECOSYSTEM' && range.type !== 'SEMVER') continue;
      const rc = comparatorForRange(range, ecosystem) ?? cmp;
      for (const e of range.events) if ('fixed' in e && rc.compare(e.fixed, version) > 0) candidates.add(e.fixed);
    }
  }
  const sorted = [...candidates].sort((a, b) => cmp.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0));
  return sorted.find((c) => evaluateEntries(entries, c, ecosystem).length === 0);
}

export interface MatchResult {
  findings: ImageFinding[];
  problems: MatchProblem[];
}

function packageKey(p: Package): string {
  return [p.ecosystem, p.name, p.version, p.location.layer, p.location.path].join('\u0000');
}

export function compareFindings(a: ImageFinding, b: ImageFinding): number {
  const ka = [a.package.ecosystem, a.package.name, a.package.version, a.package.location.path, a.package.location.layer, a.id];
  const kb = [b.package.ecosystem, b.package.name, b.package.version, b.package.location.path, b.package.location.layer, b.id];
  for (let i = 0; i < ka.length; i++) {
    if (ka[i]! < kb[i]!) return -1;
    if (ka[i]! > kb[i]!) return 1;
  }
  return 0;
}

/** Matches every package instance against the records `lookup` yields; findings sorted, one per (instance, record). */
export function matchPackages(packages: readonly Package[], distro: Distro | undefined, lookup: RecordLookup): MatchResult {
  const findings: ImageFinding[] = [];
  const problems = new Map<string, MatchProblem>();
  const seenInstances = new Set<string>();
  for (const pkg of packages) {
    const instance = packageKey(pkg);
    if (seenInstances.has(instance)) continue;
    seenInstances.add(instance);
    const eco = osvEcosystemFor(pkg, distro);
    const distroPkg = isDistroEcosystem(eco.base);
    const matchedName = distroPkg ? (pkg.sourceName ?? pkg.name) : pkg.name;
    const installedVersion = distroPkg ? (pkg.sourceVersion ?? pkg.version) : pkg.version;
    const nameKey = normalizePackageName(eco.base, matchedName);
    const seenRecords = new Set<string>();
    for (const record of lookup(eco.base, nameKey)) {
      if (seenRecords.has(record.id)) continue;
      seenRecords.add(record.id);
      if (record.withdrawn !== undefined) continue;
      const entries: Array<{ index: number; affected: OsvAffected }> = [];
      (record.affected ?? []).forEach((affected, index) => {
        const p = affected.package;
        if (p === undefined || normalizePackageName(eco.base, p.name) !== nameKey) return;
        const base = ecosystemBase(p.ecosystem);
        if (base !== eco.base) return;
        const release = p.ecosystem.length > base.length ? p.ecosystem.slice(base.length + 1) : undefined;
        if (release !== undefined) {
          if (eco.release === undefined) {
            problems.set(`rel:${eco.base}`, { code: 'unknownRelease', message: `the image's ${eco.base} release is unknown; release-specific advisories were not applied` });
            return;
          }
          if (release !== eco.release) return;
        }
        entries.push({ index, affected });
      });
      if (entries.length === 0) continue;
      if (comparatorForEcosystem(eco.base) === undefined) {
        problems.set(`eco:${eco.base}`, { code: 'unsupportedEcosystem', message: `no version ordering for ecosystem ${eco.base}`, recordId: record.id });
        continue;
      }
      const hits = evaluateEntries(entries, installedVersion, eco.base);
      const first = hits[0];
      if (first === undefined) continue;
      const finding: ImageFinding = {
        id: record.id,
        aliases: [...(record.aliases ?? [])].sort(),
        severity: 'unknown',
        severityDetail: severityOf(record, first.affected),
        package: pkg,
        matchedName,
        installedVersion,
        explanation: {
          affectedIndex: first.index,
          ecosystem: first.affected.package?.ecosystem ?? eco.base,
          name: first.affected.package?.name ?? matchedName,
          via: first.via,
          matches: hits.reduce((n, h) => n + h.matches, 0),
        },
      };
      finding.severity = finding.severityDetail.severity;
      if (record.summary !== undefined) finding.summary = record.summary;
      const fixed = fixedVersionFor(entries, installedVersion, eco.base);
      if (fixed !== undefined) finding.fixedVersion = fixed;
      findings.push(finding);
    }
  }
  findings.sort(compareFindings);
  const problemList = [...problems.values()].sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  return { findings, problems: problemList };
}

/** An in-memory lookup over a list of records (tests, small databases). */
export function recordLookupFrom(records: readonly OsvRecord[]): RecordLookup {
  const index = new Map<string, OsvRecord[]>();
  for (const r of records) {
    for (const a of r.affected ?? []) {
      if (a.package === undefined) continue;
      const base = ecosystemBase(a.package.ecosystem);
      const key = `${base}\u0000${normalizePackageName(base, a.package.name)}`;
      const list = index.get(key) ?? [];
      if (!list.includes(r)) list.push(r);
      index.set(key, list);
    }
  }
  return (base, name) => index.get(`${base}\u0000${name}`) ?? [];
}
