/**
 * Image verdicts by digest, for admission and `scan --images`: how many known vulnerabilities an image
 * has per severity (and how many of those have a fix), stored in the vulnerability database's SQLite file.
 * `imagePolicyVerdict` decides from the cache alone — it never pulls an image: an unknown digest (or a
 * reference without one) gets the policy's default, and the cache's `onUnknown` callback is asked to
 * scan it in the background so a later request finds a verdict.
 */
import type Database from 'better-sqlite3';
import type { Severity } from '../core/types.js';
import type { VulnDatabase } from './db/database.js';
import { countFindings, emptyCounts, type ImageScanResult, type SeverityCounts } from './scan-image.js';
import { imageSeverityRank, IMAGE_SEVERITIES } from './severity.js';

export interface ImageVerdict {
  digest: string;
  reference: string;
  /** ISO time of the scan. */
  scannedAt: string;
  counts: SeverityCounts;
  fixable: SeverityCounts;
}

export interface VerdictCache {
  get(digest: string): ImageVerdict | undefined;
  put(verdict: ImageVerdict): void;
  /** Asks for a background scan of an image the cache does not know (deduplicated; never awaited). */
  requestScan(imageRef: string, digest: string | undefined): void;
}

export function verdictFromScan(result: ImageScanResult, scannedAt: Date): ImageVerdict {
  const { counts, fixable } = countFindings(result.findings);
  return { digest: result.image.digest, reference: result.image.reference, scannedAt: scannedAt.toISOString(), counts, fixable };
}

/** `registry/repo@sha256:…` → `sha256:…`; undefined for tag-only references. */
export function digestOfReference(imageRef: string): string | undefined {
  const m = /@(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/.exec(imageRef.trim());
  return m?.[1];
}

function parseCounts(json: string): SeverityCounts {
  const out = emptyCounts();
  const v = JSON.parse(json) as Record<string, unknown>;
  for (const s of IMAGE_SEVERITIES) if (typeof v[s] === 'number') out[s] = v[s];
  return out;
}

/** Scan requests remembered (so that a stream of requests for one image asks once). */
const MAX_REQUESTED = 10_000;

/** The verdict cache in the database file (table `verdicts`). */
export class SqliteVerdictCache implements VerdictCache {
  private readonly requested = new Set<string>();
  // Prepared once: admission looks verdicts up on every request.
  private readonly select: Database.Statement<[string], { digest: string; reference: string; scanned_at: string; counts: string; fixable: string }>;
  private readonly upsert: Database.Statement<[string, string, string, string, string]>;
  constructor(
    db: VulnDatabase,
    /** Asked to scan an image it does not know; returning false says the request was not taken (queue full). */
    private readonly onUnknown?: (imageRef: string, digest: string | undefined) => boolean | void,
  ) {
    this.select = db.sqlite.prepare('SELECT digest, reference, scanned_at, counts, fixable FROM verdicts WHERE digest = ?');
    this.upsert = db.sqlite.prepare('INSERT OR REPLACE INTO verdicts (digest, reference, scanned_at, counts, fixable) VALUES (?, ?, ?, ?, ?)');
  }

  get(digest: string): ImageVerdict | undefined {
    const row = this.select.get(digest);
    if (row === undefined) return undefined;
    return { digest: row.digest, reference: row.reference, scannedAt: row.scanned_at, counts: parseCounts(row.counts), fixable: parseCounts(row.fixable) };
  }

  put(v: ImageVerdict): void {
    this.upsert.run(v.digest, v.reference, v.scannedAt, JSON.stringify(v.counts), JSON.stringify(v.fixable));
    this.requested.delete(v.digest);
  }

  requestScan(imageRef: string, digest: string | undefined): void {
    const key = digest ?? imageRef;
    if (this.requested.has(key) || this.onUnknown === undefined) return;
    // Bounded: forgetting old requests costs at worst a repeated scan.
    if (this.requested.size >= MAX_REQUESTED) this.requested.clear();
    if (this.onUnknown(imageRef, digest) !== false) this.requested.add(key);
  }

  /** Lets a scan that failed be requested again by the next admission request for the image. */
  forget(imageRef: string): void {
    this.requested.delete(digestOfReference(imageRef) ?? imageRef);
  }
}

/** An in-memory cache (tests, short-lived processes). */
export class MemoryVerdictCache implements VerdictCache {
  readonly verdicts = new Map<string, ImageVerdict>();
  readonly requests: Array<{ imageRef: string; digest: string | undefined }> = [];
  get(digest: string): ImageVerdict | undefined {
    return this.verdicts.get(digest);
  }
  put(v: ImageVerdict): void {
    this.verdicts.set(v.digest, v);
  }
  requestScan(imageRef: string, digest: string | undefined): void {
    if (!this.requests.some((r) => (r.digest ?? r.imageRef) === (digest ?? imageRef))) this.requests.push({ imageRef, digest });
  }
}

export interface ImagePolicy {
  /** Lowest severity that counts. */
  failOn: Severity;
  /** Count only vulnerabilities with a fix available. */
  requireFix: boolean;
  /** What to do when the cache has no verdict for the image. */
  unknown: 'allow' | 'deny' | 'warn';
  /** What to do with a vulnerable image (default deny). */
  action?: 'deny' | 'warn';
}

export interface ImagePolicyDecision {
  decision: 'allow' | 'deny' | 'warn';
  reason: 'clean' | 'vulnerable' | 'unknownDigest' | 'noDigest';
  image: string;
  digest?: string;
  /** Vulnerabilities counted against the policy, per severity at or above `failOn`. */
  matching?: Partial<Record<Severity, number>>;
  scannedAt?: string;
  message: string;
}

export function imagePolicyVerdict(cache: VerdictCache, imageRef: string, policy: ImagePolicy): ImagePolicyDecision {
  const digest = digestOfReference(imageRef);
  const verdict = digest !== undefined ? cache.get(digest) : undefined;
  if (verdict === undefined) {
    cache.requestScan(imageRef, digest);
    const reason = digest === undefined ? 'noDigest' : 'unknownDigest';
    const why = digest === undefined ? 'has no digest to look up' : 'has not been scanned yet';
    const d: ImagePolicyDecision = { decision: policy.unknown, reason, image: imageRef, message: `image ${imageRef} ${why}; a background scan was requested (policy for unknown images: ${policy.unknown})` };
    if (digest !== undefined) d.digest = digest;
    return d;
  }
  const source = policy.requireFix ? verdict.fixable : verdict.counts;
  const matching: Partial<Record<Severity, number>> = {};
  let total = 0;
  for (const s of IMAGE_SEVERITIES) {
    if (s === 'unknown' || imageSeverityRank(s) < imageSeverityRank(policy.failOn)) continue;
    if (source[s] > 0) {
      matching[s] = source[s];
      total += source[s];
    }
  }
  if (total === 0) {
    return { decision: 'allow', reason: 'clean', image: imageRef, digest: verdict.digest, matching, scannedAt: verdict.scannedAt, message: `image ${imageRef} has no known ${policy.requireFix ? 'fixable ' : ''}vulnerabilities at or above ${policy.failOn}` };
  }
  const list = Object.entries(matching)
    .reverse()
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  return {
    decision: policy.action ?? 'deny',
    reason: 'vulnerable',
    image: imageRef,
    digest: verdict.digest,
    matching,
    scannedAt: verdict.scannedAt,
    message: `image ${imageRef} has known ${policy.requireFix ? 'fixable ' : ''}vulnerabilities at or above ${policy.failOn}: ${list} (scanned ${verdict.scannedAt})`,
  };
}
