/**
 * Background image scans for the admission webhook: an image the verdict cache does not know
 * is queued here (never scanned on the request path), scanned one at a time, and its verdict
 * stored so that later requests find it. The queue is bounded; requests beyond it are dropped
 * and counted, and asked again by the next admission request for that image; so is an image
 * whose scan failed.
 */
import type { VulnDatabase } from '../images/db/database.js';
import { SqliteVerdictCache } from '../images/verdict-cache.js';
import { scanReference } from '../images/workload-images.js';
import { errorMessage } from '../core/errors.js';

export interface BackgroundScanLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export class BackgroundImageScans {
  readonly cache: SqliteVerdictCache;
  private readonly queue: string[] = [];
  private running: Promise<void> | undefined;
  private closed = false;
  dropped = 0;

  constructor(
    private readonly db: VulnDatabase,
    private readonly log: BackgroundScanLog,
    private readonly options: { maxQueue?: number; insecure?: boolean; platform?: string } = {},
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

  private async work(): Promise<void> {
    for (let ref = this.queue.shift(); ref !== undefined && !this.closed; ref = this.queue.shift()) {
      try {
        const result = await scanReference(ref, this.db, this.cache, this.options);
        this.log.info({ image: ref, digest: result.image.digest, vulnerabilities: result.findings.length }, 'background image scan done');
      } catch (e: unknown) {
        this.log.warn({ image: ref, error: errorMessage(e) }, 'background image scan failed');
        this.cache.forget(ref);
      }
    }
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
  }
}
