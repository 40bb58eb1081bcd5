/**
 * The webhook's HTTPS server: `/validate`, `/mutate`, `/healthz`, `/readyz`, `/metrics`.
 * Robust by construction: bodies capped at the API server's 3 MiB, slow clients cut by
 * header/request timeouts below the webhook's `timeoutSeconds`, every bad input answered
 * with a 4xx naming the problem, every unexpected error answered with a 500 and logged —
 * never a crash. TLS material is reloaded from disk when it changes; `close()` drains.
 */
import { watch, readFileSync, type FSWatcher } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, basename, resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import pino from 'pino';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { errorMessage } from '../core/errors.js';
import { mutate, validate, type DecideDeps, type PssEvaluator } from './decide.js';
import type { NamespaceSource } from './namespace-watch.js';
import type { CompiledPolicy, ReloadEvent } from './policy.js';
import { buildReviewResponse, parseAdmissionReview, type Verdict } from './review.js';
import { DEFAULT_TIMEOUT_SECONDS, requestTimeoutMsFor } from './timeouts.js';

/** The API server never sends an AdmissionReview larger than this. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export interface PolicyProvider {
  current(): CompiledPolicy;
}

export interface AdmissionServerOptions {
  /** PEM serving certificate and key (contents), or files to read and watch. */
  cert?: string | Buffer;
  key?: string | Buffer;
  certFile?: string;
  keyFile?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  policy: PolicyProvider;
  namespaces: NamespaceSource;
  /** Defaults to the kubeward Pod Security Standards engine. */
  pss?: PssEvaluator;
  checks?: DecideDeps['checks'];
  /** Image verdict cache for the policy's `images` section. */
  images?: DecideDeps['images'];
  logger?: pino.Logger;
  registry?: Registry;
  bodyLimitBytes?: number;
  /** Time allowed for the request headers (slow-loris guard). */
  headersTimeoutMs?: number;
  /** Time allowed for a whole request; keep it below the webhook's timeoutSeconds (default: 80 % of 10 s). */
  requestTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  /** How often expired requests are looked for. */
  connectionsCheckingIntervalMs?: number;
  certReloadDebounceMs?: number;
}

export interface AdmissionMetrics {
  registry: Registry;
  requests: Counter<'path' | 'code'>;
  verdicts: Counter<'webhook' | 'verdict'>;
  decisionSeconds: Histogram<'webhook'>;
  policyReloads: Counter<'result'>;
  certificateReloads: Counter<'result'>;
  inFlight: Gauge;
}

/** Buckets fine enough below 1 ms to read a p99 decision time from the histogram. */
export const DECISION_BUCKETS = [0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.00075, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1];

/**
 * `beforeScrape` runs before the metrics are serialised: the server keeps per-request
 * counts and timings in plain arrays and folds them into prom-client only then, which keeps
 * label hashing and bucket search off the request path.
 */
export function createMetrics(registry = new Registry(), beforeScrape?: () => void): AdmissionMetrics {
  const collect = beforeScrape
    ? function collect(): void {
        beforeScrape();
      }
    : undefined;
  const m: AdmissionMetrics = {
    registry,
    requests: new Counter({ name: 'kubeward_admission_requests_total', help: 'HTTP requests by path and status code', labelNames: ['path', 'code'], registers: [registry] }),
    verdicts: new Counter({ name: 'kubeward_admission_verdicts_total', help: 'Admission verdicts by webhook (validate, mutate) and verdict (allowed, warned, denied, patched)', labelNames: ['webhook', 'verdict'], registers: [registry] }),
    decisionSeconds: new Histogram({
      name: 'kubeward_admission_decision_seconds',
      help: 'Decision time: request body received to response written',
      labelNames: ['webhook'],
      buckets: DECISION_BUCKETS,
      registers: [registry],
    }),
    policyReloads: new Counter({ name: 'kubeward_admission_policy_reloads_total', help: 'Policy file reloads by result (success, failure)', labelNames: ['result'], registers: [registry] }),
    certificateReloads: new Counter({ name: 'kubeward_admission_certificate_reloads_total', help: 'TLS certificate reloads by result (success, failure)', labelNames: ['result'], registers: [registry] }),
    inFlight: new Gauge({ name: 'kubeward_admission_in_flight_requests', help: 'Admission requests whose body is being received or decided', registers: [registry] }),
  };
  if (collect) for (const metric of [m.requests, m.verdicts, m.decisionSeconds]) (metric as unknown as { collect?: () => void }).collect = collect;
  return m;
}

/** Per-request observations not yet folded into the prom-client metrics. */
class PendingMetrics {
  readonly decisions: Record<'validate' | 'mutate', number[]> = { validate: [], mutate: [] };
  readonly counts = new Map<string, { metric: 'r' | 'v'; a: string; b: string; n: number }>();
  size = 0;

  count(metric: 'r' | 'v', a: string, b: string): void {
    const key = `${metric}\0${a}\0${b}`;
    const c = this.counts.get(key);
    if (c) c.n++;
    else this.counts.set(key, { metric, a, b, n: 1 });
  }

  flush(m: AdmissionMetrics): void {
    for (const webhook of ['validate', 'mutate'] as const) {
      const list = this.decisions[webhook];
      if (list.length === 0) continue;
      const h = m.decisionSeconds.labels(webhook);
      for (const v of list) h.observe(v);
      list.length = 0;
    }
    for (const c of this.counts.values()) {
      if (c.n === 0) continue;
      (c.metric === 'r' ? m.requests : m.verdicts).labels(c.a, c.b).inc(c.n);
      c.n = 0;
    }
    this.size = 0;
  }
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;

class HttpProblem {
  constructor(
    readonly code: number,
    readonly reason: string,
    readonly message: string,
  ) {}
}

function statusBody(code: number, reason: string, message: string): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

export class AdmissionServer {
  readonly metrics: AdmissionMetrics;
  readonly logger: pino.Logger;
  private readonly server: Server;
  private readonly opts: AdmissionServerOptions;
  private readonly deps: DecideDeps;
  private readonly limit: number;
  private closing = false;
  private inFlight = 0;
  private watchers: FSWatcher[] = [];
  private certTimer: NodeJS.Timeout | undefined;
  private closed: Promise<void> | undefined;
  private readonly pending = new PendingMetrics();

  constructor(options: AdmissionServerOptions) {
    this.opts = options;
    this.logger = options.logger ?? pino({ name: 'kubeward-admission' });
    this.metrics = createMetrics(options.registry, () => this.pending.flush(this.metrics));
    this.limit = options.bodyLimitBytes ?? MAX_BODY_BYTES;
    // The in-flight gauge is read at scrape time instead of being set on every request.
    const inFlight = this.metrics.inFlight;
    const self = this; // eslint-disable-line @typescript-eslint/no-this-alias
    (inFlight as unknown as { collect: () => void }).collect = function collect() {
      inFlight.set(self.inFlight);
    };
    this.deps = { namespaces: options.namespaces };
    if (options.pss) this.deps.pss = options.pss;
    if (options.checks) this.deps.checks = options.checks;
    if (options.images) this.deps.images = options.images;
    const { cert, key } = this.readTls();
    const requestTimeout = options.requestTimeoutMs ?? requestTimeoutMsFor(DEFAULT_TIMEOUT_SECONDS);
    this.server = createServer({
      cert,
      key,
      minVersion: 'TLSv1.2',
      requestTimeout,
      headersTimeout: Math.min(options.headersTimeoutMs ?? 5000, requestTimeout),
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 30000,
      connectionsCheckingInterval: options.connectionsCheckingIntervalMs ?? 1000,
    });
    this.server.on('request', (req: IncomingMessage, res: ServerResponse) => this.handle(req, res));
    this.server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      const timeout = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
      this.logger.debug({ err: err.message, code: err.code }, 'client error');
      if (socket.writable && !socket.destroyed) {
        const overflow = err.code === 'HPE_HEADER_OVERFLOW';
        const status = timeout ? '408 Request Timeout' : overflow ? '431 Request Header Fields Too Large' : '400 Bad Request';
        const body = timeout
          ? statusBody(408, 'Timeout', 'request not received in time')
          : overflow
            ? statusBody(431, 'RequestHeaderFieldsTooLarge', 'request headers too large')
            : statusBody(400, 'BadRequest', `malformed HTTP request: ${err.message}`);
        socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
        // The request line may not have been read: counted under path "other".
        this.count('r', 'other', status.slice(0, 3));
      } else socket.destroy();
    });
    this.server.on('tlsClientError', (err) => this.logger.debug({ err: err.message }, 'TLS handshake failed'));
  }

  /** Starts listening; resolves with the bound port. Watches the certificate files when given as files. */
  async listen(): Promise<number> {
    await new Promise<void>((res, rej) => {
      this.server.once('error', rej);
      this.server.listen(this.opts.port ?? 8443, this.opts.host ?? '0.0.0.0', () => {
        this.server.off('error', rej);
        res();
      });
    });
    this.watchCertificates();
    const port = (this.server.address() as AddressInfo).port;
    this.logger.info({ port }, 'admission webhook listening');
    return port;
  }

  get port(): number {
    return (this.server.address() as AddressInfo | null)?.port ?? 0;
  }

  /** Counts and logs a policy reload (wire to PolicyFileWatcher's onReload). */
  policyReloaded(event: ReloadEvent): void {
    this.metrics.policyReloads.inc({ result: event.ok ? 'success' : 'failure' });
    if (event.ok) this.logger.info({ file: event.file }, 'admission policy reloaded');
    else this.logger.error({ file: event.file, error: event.error }, 'admission policy rejected; keeping the previous policy');
  }

  /** Re-reads the certificate and key files; keeps the current ones when the new pair is unusable. */
  reloadCertificates(): boolean {
    if (!this.opts.certFile || !this.opts.keyFile) return false;
    try {
      const cert = readFileSync(this.opts.certFile);
      const key = readFileSync(this.opts.keyFile);
      createSecureContext({ cert, key }); // throws on a mismatched or malformed pair
      this.server.setSecureContext({ cert, key, minVersion: 'TLSv1.2' });
      this.metrics.certificateReloads.inc({ result: 'success' });
      this.logger.info({ cert: this.opts.certFile }, 'TLS certificate reloaded');
      return true;
    } catch (e: unknown) {
      this.metrics.certificateReloads.inc({ result: 'failure' });
      this.logger.error({ cert: this.opts.certFile, error: errorMessage(e) }, 'TLS certificate reload failed; keeping the previous certificate');
      return false;
    }
  }

  /**
   * Graceful shutdown: reports not-ready at once, keeps serving for `delayMs` (so endpoints
   * can be withdrawn), then stops accepting, lets in-flight requests finish (up to `graceMs`)
   * and closes idle keep-alive connections.
   */
  close(options: { delayMs?: number; graceMs?: number } = {}): Promise<void> {
    if (this.closed) return this.closed;
    this.closing = true;
    this.closed = (async () => {
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      for (const w of this.watchers) w.close();
      this.watchers = [];
      if (this.certTimer) clearTimeout(this.certTimer);
      const done = new Promise<void>((res) => this.server.close(() => res()));
      this.server.closeIdleConnections();
      const grace = setTimeout(() => this.server.closeAllConnections(), options.graceMs ?? 20000);
      await done;
      clearTimeout(grace);
      this.logger.info('admission webhook stopped');
    })();
    return this.closed;
  }

  private readTls(): { cert: Buffer | string; key: Buffer | string } {
    const cert = this.opts.cert ?? (this.opts.certFile ? readFileSync(this.opts.certFile) : undefined);
    const key = this.opts.key ?? (this.opts.keyFile ? readFileSync(this.opts.keyFile) : undefined);
    if (!cert || !key) throw new Error('a TLS certificate and key are required');
    return { cert, key };
  }

  private watchCertificates(): void {
    const { certFile, keyFile } = this.opts;
    if (!certFile || !keyFile) return;
    const names = new Set([basename(certFile), basename(keyFile)]);
    const dirs = new Set([dirname(resolve(certFile)), dirname(resolve(keyFile))]);
    for (const dir of dirs) {
      try {
        const w = watch(dir, { persistent: false }, (_e, name) => {
          if (name !== null && !names.has(String(name)) && !String(name).startsWith('..')) return;
          if (this.certTimer) clearTimeout(this.certTimer);
          this.certTimer = setTimeout(() => this.reloadCertificates(), this.opts.certReloadDebounceMs ?? 200);
          this.certTimer.unref();
        });
        w.on('error', (e) => this.logger.warn({ error: errorMessage(e) }, 'certificate watch failed'));
        this.watchers.push(w);
      } catch (e: unknown) {
        this.logger.warn({ dir, error: errorMessage(e) }, 'cannot watch certificate directory');
      }
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (this.closing) res.setHeader('Connection', 'close');
    try {
      switch (path) {
        case '/validate':
        case '/mutate':
          this.review(req, res, path);
          return;
        case '/healthz':
          this.plain(res, path, 200, 'ok\n');
          return;
        case '/readyz': {
          const ready = !this.closing && this.opts.namespaces.ready();
          this.plain(res, path, ready ? 200 : 503, ready ? 'ok\n' : this.closing ? 'shutting down\n' : 'namespace labels not synced\n');
          return;
        }
        case '/metrics':
          this.metrics.registry.metrics().then(
            (text) => {
              res.writeHead(200, { 'content-type': this.metrics.registry.contentType });
              res.end(text);
              this.count('r', path, '200');
            },
            (e: unknown) => this.fail(res, path, new HttpProblem(500, 'InternalError', `metrics: ${errorMessage(e)}`)),
          );
          return;
        default:
          this.fail(res, 'other', new HttpProblem(404, 'NotFound', `no handler for ${path}; use /validate, /mutate, /healthz, /readyz or /metrics`));
          req.resume();
      }
    } catch (e: unknown) {
      this.logger.error({ error: errorMessage(e), path }, 'request handler failed');
      this.fail(res, path, new HttpProblem(500, 'InternalError', 'internal error'));
    }
  }

  private count(metric: 'r' | 'v', a: string, b: string): void {
    this.pending.count(metric, a, b);
  }

  private plain(res: ServerResponse, path: string, code: number, text: string): void {
    res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    this.count('r', path, String(code));
  }

  private fail(res: ServerResponse, path: string, p: HttpProblem): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = statusBody(p.code, p.reason, p.message);
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    if (p.code === 408) headers['connection'] = 'close';
    res.writeHead(p.code, headers);
    res.end(body);
    this.count('r', path, String(p.code));
  }

  private review(req: IncomingMessage, res: ServerResponse, path: '/validate' | '/mutate'): void {
    const reject = (p: HttpProblem): void => {
      this.fail(res, path, p);
      this.logger.info({ path, code: p.code, error: p.message }, 'admission request rejected');
    };
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      reject(new HttpProblem(405, 'MethodNotAllowed', `${path} accepts POST only`));
      req.resume();
      return;
    }
    const type = req.headers['content-type'];
    if (!type || !JSON_TYPE.test(type)) {
      reject(new HttpProblem(415, 'UnsupportedMediaType', `content type must be application/json, got ${type ? JSON.stringify(type) : 'none'}`));
      req.resume();
      return;
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.limit) {
      reject(new HttpProblem(413, 'RequestEntityTooLarge', `request body of ${declared} bytes exceeds the ${this.limit}-byte limit`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    // In flight from the first byte of the body to the answer (or the client going away).
    this.inFlight++;
    let counted = true;
    const settle = (): void => {
      if (counted) this.inFlight--;
      counted = false;
    };
    req.once('close', settle);
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > this.limit) {
        tooLarge = true; // keep draining so the client reads the 413 instead of a reset; requestTimeout bounds it
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (e) => this.logger.debug({ error: errorMessage(e) }, 'request stream error'));
    req.on('end', () => {
      if (res.writableEnded) return;
      if (tooLarge) {
        settle();
        reject(new HttpProblem(413, 'RequestEntityTooLarge', `request body exceeds the ${this.limit}-byte limit`));
        return;
      }
      const start = process.hrtime.bigint();
      try {
        this.answer(res, path, chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks), start);
      } catch (e: unknown) {
        this.logger.error({ path, error: errorMessage(e), stack: e instanceof Error ? e.stack : undefined }, 'admission decision failed');
        this.fail(res, path, new HttpProblem(500, 'InternalError', `internal error: ${errorMessage(e)}`));
      } finally {
        settle();
      }
    });
  }

  private answer(res: ServerResponse, path: '/validate' | '/mutate', body: Buffer, start: bigint): void {
    let decoded: unknown;
    try {
      decoded = JSON.parse(body.toString('utf8'));
    } catch (e: unknown) {
      this.fail(res, path, new HttpProblem(400, 'BadRequest', `malformed JSON: ${errorMessage(e)}`));
      this.logger.info({ path, code: 400 }, 'admission request rejected: malformed JSON');
      return;
    }
    const parsed = parseAdmissionReview(decoded);
    if (!parsed.ok) {
      this.fail(res, path, new HttpProblem(400, 'BadRequest', `invalid AdmissionReview: ${parsed.message}`));
      this.logger.info({ path, code: 400, uid: parsed.uid, error: parsed.message }, 'admission request rejected');
      return;
    }
    const { request } = parsed.review;
    const policy = this.opts.policy.current();
    const webhook = path === '/validate' ? 'validate' : 'mutate';
    const verdict: Verdict = webhook === 'validate' ? validate(request, policy, this.deps) : mutate(request, policy);
    const text = JSON.stringify(buildReviewResponse(parsed.review.apiVersion, request.uid, verdict));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    this.pending.decisions[webhook].push(seconds);
    // bounded even when nobody scrapes
    if (++this.pending.size >= 65536) this.pending.flush(this.metrics);
    const outcome = !verdict.allowed ? 'denied' : verdict.patch && verdict.patch.length > 0 ? 'patched' : verdict.warnings ? 'warned' : 'allowed';
    this.count('v', webhook, outcome);
    this.count('r', path, '200');
    if (outcome !== 'allowed') {
      this.logger.info(
        {
          webhook,
          uid: request.uid,
          kind: request.kind.kind,
          namespace: request.namespace,
          name: request.name ?? request.object?.metadata?.name,
          operation: request.operation,
          user: request.userInfo.username,
          dryRun: request.dryRun === true,
          verdict: outcome,
          message: verdict.status?.message,
          warnings: verdict.warnings,
        },
        'admission decision',
      );
    } else if (this.logger.isLevelEnabled('debug')) {
      this.logger.debug({ webhook, uid: request.uid, kind: request.kind.kind, namespace: request.namespace, dryRun: request.dryRun === true, verdict: outcome }, 'admission decision');
    }
  }
}

export function createAdmissionServer(options: AdmissionServerOptions): AdmissionServer {
  return new AdmissionServer(options);
}
