/**
 * A client for the OCI distribution API v2: anonymous, Basic and Bearer-token auth through the
 * WWW-Authenticate challenge flow, manifest and blob fetches with digest verification, size caps on
 * documents and a timeout on every request (time to headers, and idle time between body chunks).
 */
import { PassThrough, Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { RegistryCredentials } from './docker-config.js';
import { ImageError } from './errors.js';
import type { ImageLimits } from './limits.js';
import { MANIFEST_ACCEPT, resolveImage, type ManifestSource } from './manifest.js';
import { formatReference, type ImageReference } from './reference.js';
import type { Descriptor, LayerRef, OpenedImage, Platform } from './types.js';
import { DigestVerifier, readCapped, sha256Digest } from './verify.js';
import { errorMessage } from '../../core/errors.js';

export interface RegistryClientOptions {
  /** Use plain HTTP instead of HTTPS. */
  insecure?: boolean;
  credentials?: RegistryCredentials;
  limits: ImageLimits;
  signal?: AbortSignal;
}

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses a `WWW-Authenticate` header (one challenge). */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(\S+)\s*(.*)$/.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (const p of (m[2] ?? '').matchAll(re)) {
    const key = (p[1] ?? '').toLowerCase();
    params[key] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '');
  }
  return { scheme: (m[1] ?? '').toLowerCase(), params };
}

interface TimedResponse {
  res: Response;
  /** The response body as a Node stream with the idle timeout applied. */
  body(): Readable;
  discard(): Promise<void>;
}

export class RegistryClient {
  private authorization: string | undefined;
  private readonly base: string;

  constructor(
    readonly ref: ImageReference,
    private readonly opts: RegistryClientOptions,
  ) {
    this.base = `${opts.insecure ? 'http' : 'https'}://${ref.apiHost}/v2/`;
  }

  private describe(url: string): string {
    return url.replace(/\?.*$/, '');
  }

  /** One HTTP request with a header timeout; the body stream gets an idle timeout. */
  private async timedFetch(url: string, headers: Record<string, string>): Promise<TimedResponse> {
    const { limits, signal } = this.opts;
    const ctl = new AbortController();
    let timedOut = false;
    const onOuterAbort = (): void => ctl.abort(new ImageError('aborted', 'aborted'));
    if (signal?.aborted) throw new ImageError('aborted', `${this.describe(url)}: aborted`);
    signal?.addEventListener('abort', onOuterAbort, { once: true });
    const arm = (ms: number): NodeJS.Timeout =>
      setTimeout(() => {
        timedOut = true;
        ctl.abort(new ImageError('timeout', `${this.describe(url)}: no response within ${ms} ms`));
      }, ms);
    let timer = arm(limits.requestTimeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onOuterAbort);
    };
    let res: Response;
    try {
      res = await fetch(url, { headers, signal: ctl.signal, redirect: 'follow' });
    } catch (e: unknown) {
      done();
      if (timedOut) throw new ImageError('timeout', `${this.describe(url)}: no response within ${limits.requestTimeoutMs} ms (request timed out)`, { cause: e });
      if (signal?.aborted) throw new ImageError('aborted', `${this.describe(url)}: aborted`, { cause: e });
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new ImageError('network', `${this.describe(url)}: ${cause?.code ?? cause?.message ?? (errorMessage(e))}`, { cause: e });
    }
    clearTimeout(timer);
    const url0 = this.describe(url);
    return {
      res,
      discard: async () => {
        done();
        await res.body?.cancel().catch(() => undefined);
      },
      body: () => {
        const out = new PassThrough({ highWaterMark: 1024 * 1024 });
        if (!res.body) {
          done();
          out.end();
          return out;
        }
        const src = Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
        const idle = (): void => {
          clearTimeout(timer);
          timer = setTimeout(() => {
            timedOut = true;
            ctl.abort(new ImageError('timeout', `${url0}: body stalled for ${limits.idleTimeoutMs} ms`));
          }, limits.idleTimeoutMs);
        };
        idle();
        src.on('data', idle);
        // Backpressure from a slow reader is not a stalled registry.
        src.on('pause', () => clearTimeout(timer));
        src.on('resume', idle);
        src.on('end', done);
        src.on('error', (e: unknown) => {
          done();
          if (timedOut) out.destroy(new ImageError('timeout', `${url0}: response body stalled for more than ${limits.idleTimeoutMs} ms (timed out)`, { cause: e }));
          else if (signal?.aborted) out.destroy(new ImageError('aborted', `${url0}: aborted`, { cause: e }));
          else out.destroy(new ImageError('network', `${url0}: ${errorMessage(e)}`, { cause: e }));
        });
        out.on('close', () => {
          if (!src.destroyed) src.destroy();
          done();
        });
        src.pipe(out);
        return out;
      },
    };
  }

  private async authenticate(challenge: Challenge | undefined): Promise<void> {
    const creds = this.opts.credentials;
    const basic = creds ? `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}` : undefined;
    if (!challenge) throw new ImageError('auth', `${this.ref.registry}: 401 Unauthorized without a WWW-Authenticate challenge`);
    if (challenge.scheme === 'basic') {
      if (!basic) throw new ImageError('auth', `${this.ref.registry}: registry requires credentials (Basic auth) and none are configured`);
      this.authorization = basic;
      return;
    }
    if (challenge.scheme !== 'bearer') throw new ImageError('auth', `${this.ref.registry}: unsupported auth scheme '${challenge.scheme}'`);
    const realm = challenge.params['realm'];
    if (!realm) throw new ImageError('auth', `${this.ref.registry}: Bearer challenge without a realm`);
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new ImageError('auth', `${this.ref.registry}: Bearer realm '${realm}' is not a URL`);
    }
    if (challenge.params['service']) url.searchParams.set('service', challenge.params['service']);
    url.searchParams.set('scope', challenge.params['scope'] ?? `repository:${this.ref.repository}:pull`);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (basic) headers['authorization'] = basic;
    const t = await this.timedFetch(url.toString(), headers);
    if (!t.res.ok) {
      await t.discard();
      throw new ImageError('auth', `${this.ref.registry}: token endpoint ${url.origin}${url.pathname} answered ${t.res.status}${basic ? ' (credentials rejected?)' : ''}`);
    }
    const body = await readCapped(t.body(), 1024 * 1024, 'token response');
    let token: unknown;
    try {
      const doc = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      token = doc['token'] ?? doc['access_token'];
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || token === '') throw new ImageError('auth', `${this.ref.registry}: token endpoint returned no token`);
    this.authorization = `Bearer ${token}`;
  }

  /** GET `/v2/<repo>/<path>`, answering one auth challenge; fails with a clear error on any non-2xx status. */
  async get(path: string, accept?: string): Promise<TimedResponse> {
    const url = `${this.base}${this.ref.repository}/${path}`;
    const headers = (): Record<string, string> => {
      const h: Record<string, string> = {};
      if (accept) h['accept'] = accept;
      if (this.authorization) h['authorization'] = this.authorization;
      return h;
    };
    let t = await this.timedFetch(url, headers());
    if (t.res.status === 401) {
      const challenge = parseChallenge(t.res.headers.get('www-authenticate'));
      await t.discard();
      await this.authenticate(challenge);
      t = await this.timedFetch(url, headers());
    }
    const status = t.res.status;
    if (status >= 200 && status < 300) return t;
    await t.discard();
    const where = `${formatReference(this.ref)} (${path})`;
    if (status === 401 || status === 403) throw new ImageError('auth', `${where}: access denied (${status})`);
    if (status === 404) throw new ImageError('notFound', `${where}: not found (404)`);
    throw new ImageError('network', `${where}: registry answered ${status}`);
  }

  /** Fetches a manifest by tag or digest, capped in size; verified against `expectDigest` when given. */
  async manifest(reference: string, expectDigest?: string): Promise<{ bytes: Buffer; mediaType?: string; digest: string }> {
    const { limits } = this.opts;
    const t = await this.get(`manifests/${reference}`, MANIFEST_ACCEPT);
    const len = Number(t.res.headers.get('content-length') ?? '-1');
    if (len > limits.maxManifestBytes) {
      await t.discard();
      throw new ImageError('limit', `${formatReference(this.ref)}: manifest of ${len} bytes exceeds the ${limits.maxManifestBytes}-byte limit`);
    }
    const bytes = await readCapped(t.body(), limits.maxManifestBytes, `${formatReference(this.ref)} manifest`);
    const digest = sha256Digest(bytes);
    const want = expectDigest ?? (reference.startsWith('sha256:') ? reference : undefined);
    if (want !== undefined && digest !== want) {
      throw new ImageError('digest', `${formatReference(this.ref)}: manifest digest mismatch (expected ${want}, got ${digest})`);
    }
    const header = t.res.headers.get('docker-content-digest');
    if (want === undefined && header && /^sha256:/.test(header) && header !== digest) {
      throw new ImageError('digest', `${formatReference(this.ref)}: manifest bytes (${digest}) do not match Docker-Content-Digest ${header}`);
    }
    const ct = t.res.headers.get('content-type')?.split(';')[0]?.trim();
    return ct ? { bytes, mediaType: ct, digest } : { bytes, digest };
  }

  /** Streams a blob, verifying size and digest as it flows. */
  async blob(d: { digest: string; size: number }): Promise<Readable> {
    const t = await this.get(`blobs/${d.digest}`);
    const verifier = new DigestVerifier(d.digest, d.size, `${formatReference(this.ref)} blob ${d.digest}`);
    const body = t.body();
    body.on('error', (e) => verifier.destroy(e));
    verifier.on('close', () => body.destroy());
    return body.pipe(verifier);
  }
}

export async function openRegistry(
  ref: ImageReference,
  platform: Platform,
  opts: RegistryClientOptions,
): Promise<OpenedImage> {
  const client = new RegistryClient(ref, opts);
  const what = formatReference(ref);
  const src: ManifestSource = {
    fetchManifest: async (d: Descriptor) => client.manifest(d.digest, d.digest),
    fetchConfig: async (d: Descriptor) => readCapped(await client.blob(d), opts.limits.maxConfigBytes, `${what} config`),
  };
  const root = await client.manifest(ref.digest ?? ref.tag ?? 'latest');
  const resolved = await resolveImage(root, src, platform, opts.limits, what);
  return {
    reference: what,
    ...resolved,
    openLayer: (layer: LayerRef) => client.blob(layer),
    close: async () => undefined,
  };
}
