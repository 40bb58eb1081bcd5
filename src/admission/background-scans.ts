/**
 * Background image scans for the admission webhook: an image the verdict cache does not know
 * is queued here (never scanned on the request path), scanned one at a time, and its verdict
 * stored so that later requests find it. The queue is bounded; requests beyond it are dropped
 * and counted, and asked again by the next admission request for that image. An image whose
 * scan failed (registry down, image gone, credentials missing) is not asked again at once:
 * admission requests for it may retry after a back-off that doubles with each consecutive
 * failure, so a broken registry is not pulled from on every request.
 */
import type { VulnDatabase } from '../images/db/database.js';
import { SqliteVerdictCache } from '../images/verdict-cache.js';
import { scanReference } from '../images/workload-images.js';
import { errorMessage } from '../core/errors.js';

export interface BackgroundScanLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface BackgroundScanOptions {
  /** Queued scans at most (default 100); requests beyond are dropped and counted. */
  maxQueue?: number;
  /** Plain HTTP for registries (local registries only). */
  insecure?: boolean;
  platform?: string;
  /** Back-off after a first failed scan of an image (default 30 s); doubles with each further failure. */
  retryMinMs?: number;
  /** Longest back-off (default 1 h). */
  retryMaxMs?: number;
}

/** Images whose consecutive failures are remembered; beyond this, the counts start afresh. */
const MAX_FAILING = 10_000;

export class BackgroundImageScans {
  readonly cache: SqliteVerdictCache;
  private readonly queue: string[] = [];
  private running: Promise<void> | undefined;
  private closed = false;
  /** Consecutive failed scans by image reference. */
  private readonly failures = new Map<string, number>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  dropped = 0;

  constructor(
    private readonly db: VulnDatabase,
    private readonly log: BackgroundScanLog,
    private readonly options: BackgroundScanOptions = {},
  ) {
    this.cache = new SqliteVerdictCache(db, (ref) => this.enqueue(ref));
  }

  /** False when the request is not taken (closed, or the queue is full): the cache asks again next time. */
  private enqueue(ref: string): boolean {
    if (this.closed) return false;
    if (this.queue.length >= (this.options.maxQueue ?? 100)) {
      this.dropped++;
      return false;
    }
    this.queue.push(ref);
    if (!this.running) setImmediate(() => void this.drain());
    return true;
  }

  /** Resolves when the queue is empty (tests, shutdown). */
  drain(): Promise<void> {
    this.running ??= this.work().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** How long after the `n`th consecutive failure the image may be asked for again. */
  retryDelayMs(n: number): number {
    const min = this.options.retryMinMs ?? 30_000;
    const max = this.options.retryMaxMs ?? 3_600_000;
    return Math.min(max, min * 2 ** Math.min(n - 1, 30));
  }

  private async work(): Promise<void> {
    for (let ref = this.queue.shift(); ref !== undefined && !this.closed; ref = this.queue.shift()) {
      try {
        const result = await scanReference(ref, this.db, this.cache, this.options);
        this.failures.delete(ref);
        this.log.info({ image: ref, digest: result.image.digest, vulnerabilities: result.findings.length }, 'background image scan done');
      } catch (e: unknown) {
        if (this.failures.size >= MAX_FAILING && !this.failures.has(ref)) this.failures.clear();
        const n = (this.failures.get(ref) ?? 0) + 1;
        this.failures.set(ref, n);
        const delay = this.retryDelayMs(n);
        this.log.warn({ image: ref, error: errorMessage(e), failures: n, retryAfterSeconds: delay / 1000 }, 'background image scan failed');
        // The cache keeps the image marked as requested until the back-off ends.
        const timer = setTimeout(() => {
          this.retryTimers.delete(timer);
          this.cache.forget(ref);
        }, delay);
        timer.unref();
        this.retryTimers.add(timer);
      }
    }
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
  }
}
