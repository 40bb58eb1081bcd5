import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { ImageError } from './errors.js';

const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

/** Only sha256 digests are accepted; checking the form also keeps digests safe to use in file paths and URLs. */
export function checkDigest(digest: unknown, what: string): string {
  if (typeof digest !== 'string' || !DIGEST_RE.test(digest)) {
    throw new ImageError('format', `${what}: unsupported or malformed digest ${JSON.stringify(digest)}`);
  }
  return digest;
}

export function sha256Digest(data: Uint8Array): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/**
 * A pass-through that hashes what flows through it, fails as soon as more than `size` bytes arrive,
 * and at the end fails unless the digest (and size, when known) match.
 */
export class DigestVerifier extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private seen = 0;
  constructor(
    private readonly expected: string,
    private readonly size: number,
    private readonly what: string,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.seen += chunk.length;
    if (this.size >= 0 && this.seen > this.size) {
      cb(new ImageError('digest', `${this.what}: more than the ${this.size} bytes its descriptor declares`));
      return;
    }
    this.hash.update(chunk);
    cb(null, chunk);
  }
  override _flush(cb: TransformCallback): void {
    const got = `sha256:${this.hash.digest('hex')}`;
    if (this.size >= 0 && this.seen !== this.size) {
      cb(new ImageError('digest', `${this.what}: got ${this.seen} bytes, descriptor declares ${this.size}`));
    } else if (got !== this.expected) {
      cb(new ImageError('digest', `${this.what}: digest mismatch (expected ${this.expected}, got ${got})`));
    } else cb();
  }
}

/** Reads a whole stream into memory, failing once it exceeds `max` bytes. */
export async function readCapped(stream: Readable, max: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = chunk as Buffer;
    total += b.length;
    if (total > max) {
      stream.destroy();
      throw new ImageError('limit', `${what} is larger than the ${max}-byte limit`);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks, total);
}

export function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (e: unknown) {
    throw new ImageError('format', `${what} is not valid JSON`, { cause: e });
  }
}
