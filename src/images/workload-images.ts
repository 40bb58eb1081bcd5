/**
 * `kubeward scan --images`: scan every image the workloads run (each reference once; references
 * pinned to a digest already scanned reuse its result), record each verdict in the database's
 * verdict cache for the admission webhook, and summarise what the rule catalog reports.
 */
import type { Severity } from '../core/types.js';
import type { ImageScanSummary } from '../rules/settings.js';
import type { VulnDatabase } from './db/database.js';
import { parseImageSource, type InventoryOptions } from './inventory.js';
import { scanImage, type ImageScanResult } from './scan-image.js';
import { imageSeverityRank } from './severity.js';
import { SqliteVerdictCache, digestOfReference, verdictFromScan } from './verdict-cache.js';
import { errorMessage } from '../core/errors.js';

/**
 * Scans one image reference, with the registry options applied to registry references, and
 * stores its verdict (by digest) in the cache. Shared by `image scan`, `scan --images` and
 * the webhook's background scans.
 */
export async function scanReference(
  ref: string,
  db: VulnDatabase,
  cache: SqliteVerdictCache,
  options: { platform?: string | undefined; insecure?: boolean | undefined; inventory?: InventoryOptions | undefined; now?: Date } = {},
): Promise<ImageScanResult> {
  const spec = parseImageSource(ref);
  if (spec.kind === 'registry') {
    if (options.platform) spec.platform = options.platform;
    if (options.insecure) spec.insecure = true;
  }
  const result = await scanImage(spec, db.lookup, options.inventory ?? {});
  if (result.image.digest) cache.put(verdictFromScan(result, options.now ?? new Date()));
  return result;
}

export interface WorkloadImageOptions {
  db: VulnDatabase;
  platform?: string;
  /** Plain HTTP for registries (local registries only). */
  insecure?: boolean;
  /** How many vulnerabilities each summary names, worst first. */
  topN?: number;
  now?: () => Date;
  onImage?: (ref: string, index: number, total: number) => void;
  inventory?: InventoryOptions;
}

export function summarise(result: ImageScanResult, topN = 5): ImageScanSummary {
  const counts: Partial<Record<Severity | 'unknown', number>> = {};
  for (const f of result.findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  const worstFirst = [...result.findings].sort(
    (a, b) => imageSeverityRank(b.severity) - imageSeverityRank(a.severity) || (a.package.name < b.package.name ? -1 : a.package.name > b.package.name ? 1 : 0) || (a.id < b.id ? -1 : 1),
  );
  const seen = new Set<string>();
  const top: ImageScanSummary['top'] = [];
  for (const f of worstFirst) {
    const key = `${f.package.name}\0${f.installedVersion}\0${f.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const t: ImageScanSummary['top'][number] = { id: f.id, severity: f.severity, package: f.package.name, installed: f.package.version };
    if (f.fixedVersion !== undefined) t.fixed = f.fixedVersion;
    top.push(t);
    if (top.length >= topN) break;
  }
  const s: ImageScanSummary = { counts, top };
  if (result.image.digest) s.digest = result.image.digest;
  return s;
}

/** Scans `refs` (as written in manifests) and returns a summary per reference. Never throws for one bad image. */
export async function scanWorkloadImages(refs: readonly string[], options: WorkloadImageOptions): Promise<Record<string, ImageScanSummary>> {
  const unique = [...new Set(refs)].sort();
  const byDigest = new Map<string, ImageScanSummary>();
  const out: Record<string, ImageScanSummary> = {};
  const cache = new SqliteVerdictCache(options.db);
  const now = options.now ?? (() => new Date());
  for (let i = 0; i < unique.length; i++) {
    const ref = unique[i] as string;
    options.onImage?.(ref, i, unique.length);
    const pinned = digestOfReference(ref);
    const known = pinned !== undefined ? byDigest.get(pinned) : undefined;
    if (known) {
      out[ref] = known;
      continue;
    }
    try {
      const result = await scanReference(ref, options.db, cache, { ...options, now: now() });
      const summary = summarise(result, options.topN);
      if (result.image.digest) byDigest.set(result.image.digest, summary);
      out[ref] = summary;
    } catch (e: unknown) {
      out[ref] = { counts: {}, top: [], error: errorMessage(e) };
    }
  }
  return out;
}
