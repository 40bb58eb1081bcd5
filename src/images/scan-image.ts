/**
 * Image scanning: inventory an image (any source), match its packages against the vulnerability
 * database, and return plain data for the renderers. `evaluateInventory` is the pure part.
 */
import type { Distro, Package } from './types.js';
import { matchPackages, type ImageFinding, type MatchProblem, type RecordLookup } from './match.js';
import { comparePackages } from './catalog/index.js';
import { imageSeverityRank, IMAGE_SEVERITIES, type ImageSeverity } from './severity.js';
import { inventoryImage, type ImageSourceSpec, type InventoryOptions } from './inventory.js';

export interface ScannedImage {
  reference: string;
  /** Manifest digest (config digest for docker-archives, which have no manifest). */
  digest: string;
  configDigest?: string;
  distro?: Distro;
  layers: Array<{ digest: string; size: number; diffId?: string }>;
}

export interface ImageScanResult {
  image: ScannedImage;
  packages: Package[];
  findings: ImageFinding[];
  problems: MatchProblem[];
  warnings: string[];
}

export type SeverityCounts = Record<ImageSeverity, number>;

export function emptyCounts(): SeverityCounts {
  return Object.fromEntries(IMAGE_SEVERITIES.map((s) => [s, 0])) as SeverityCounts;
}

export interface InventoryLike {
  reference: string;
  digest: string;
  configDigest?: string;
  distro?: Distro;
  packages: Package[];
  layers: Array<{ digest: string; size: number; diffId?: string }>;
  warnings?: string[];
}

/** Pure: an inventory and a record lookup in, a sorted scan result out. */
export function evaluateInventory(inv: InventoryLike, lookup: RecordLookup): ImageScanResult {
  const { findings, problems } = matchPackages(inv.packages, inv.distro, lookup);
  const image: ScannedImage = { reference: inv.reference, digest: inv.digest, layers: inv.layers };
  if (inv.configDigest !== undefined) image.configDigest = inv.configDigest;
  if (inv.distro !== undefined) image.distro = inv.distro;
  return { image, packages: [...inv.packages].sort(comparePackages), findings, problems, warnings: [...(inv.warnings ?? [])] };
}

export async function scanImage(src: ImageSourceSpec, lookup: RecordLookup, opts: InventoryOptions = {}): Promise<ImageScanResult> {
  return evaluateInventory(await inventoryImage(src, opts), lookup);
}

/** Findings per severity, and how many of them have a fixed version. */
export function countFindings(findings: readonly ImageFinding[]): { counts: SeverityCounts; fixable: SeverityCounts } {
  const counts = emptyCounts();
  const fixable = emptyCounts();
  for (const f of findings) {
    counts[f.severity]++;
    if (f.fixedVersion !== undefined) fixable[f.severity]++;
  }
  return { counts, fixable };
}

export function hasImageFindingsAtOrAbove(findings: readonly ImageFinding[], threshold: ImageSeverity): boolean {
  return findings.some((f) => imageSeverityRank(f.severity) >= imageSeverityRank(threshold));
}
