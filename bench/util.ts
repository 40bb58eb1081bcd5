/** Timing and memory helpers for benchmarks. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

/** Samples RSS every 20 ms while `fn` runs; returns the peak in MiB. */
export async function peakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakMiB: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, peakMiB: peak / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

/** The middle value (the upper middle of an even count); 0 for none. */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
}

export function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Blob paths of the layers of the first image in an OCI layout. */
export function ociLayerBlobs(layout: string): string[] {
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
  const blob = (d: string): string => join(layout, 'blobs', 'sha256', d.slice('sha256:'.length));
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0]?.digest ?? ''), 'utf8')) as { layers: Array<{ digest: string }> };
  return manifest.layers.map((l) => blob(l.digest));
}

/** Milliseconds `tar -xzf` takes to extract `blobs` in order into a fresh directory (removed afterwards). */
export function timeTarExtract(blobs: readonly string[]): number {
  const dest = mkdtempSync(join(tmpdir(), 'kubeward-bench-tar-'));
  try {
    const t0 = performance.now();
    for (const b of blobs) {
      const r = spawnSync('tar', ['-xzf', b, '-C', dest]);
      if (r.status !== 0) throw new Error(`tar -xzf failed: ${r.stderr.toString()}`);
    }
    return performance.now() - t0;
  } finally {
    rmSync(dest, { recursive: true, force: true });
  }
}
