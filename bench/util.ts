/** Timing and memory helpers for benchmarks. */
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

export function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
