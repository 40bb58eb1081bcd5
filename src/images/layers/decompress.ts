/** Layer decompression with bounds on decompressed bytes and compression ratio (gzip bombs). */
import { createHash, type Hash } from 'node:crypto';
import { PassThrough, Transform, type Readable, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ImageError } from '../source/errors.js';

/** Counts bytes flowing through; fails past `max` bytes or, after `grace` bytes, past `ratio` × the compressed size. */
export class ByteCounter extends Transform {
  bytes = 0;
  /** Compressed bytes read so far (fed by the caller); 0 disables the ratio check. */
  compressed = 0;
  private readonly hash: Hash | undefined;
  constructor(
    private readonly max: number,
    private readonly ratio: number,
    private readonly grace: number,
    private readonly what: string,
    hashIt = false,
  ) {
    super({ highWaterMark: 1024 * 1024 });
    this.hash = hashIt ? createHash('sha256') : undefined;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.max) {
      cb(new ImageError('limit', `${this.what}: more than ${this.max} bytes after decompression (possible decompression bomb)`));
      return;
    }
    if (this.compressed > 0 && this.bytes > this.grace && this.bytes > this.ratio * this.compressed) {
      cb(
        new ImageError(
          'limit',
          `${this.what}: decompression ratio above ${this.ratio}:1 (${this.bytes} bytes from ${this.compressed}; possible decompression bomb)`,
        ),
      );
      return;
    }
    this.hash?.update(chunk);
    cb(null, chunk);
  }
  digest(): string {
    return `sha256:${this.hash?.digest('hex') ?? ''}`;
  }
}

export type Compression = 'gzip' | 'zstd' | 'none';

/** Peeks at the first bytes of a stream to tell its compression, returning a stream that still starts at byte 0. */
export async function sniffCompression(stream: Readable): Promise<{ compression: Compression; stream: Readable }> {
  const first = await new Promise<Buffer | null>((resolve, reject) => {
    const onReadable = (): void => {
      cleanup();
      resolve((stream.read() as Buffer | null) ?? null);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(null);
    };
    const onError = (e: Error): void => {
      cleanup();
      reject(e);
    };
    const cleanup = (): void => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    stream.once('readable', onReadable);
    stream.once('end', onEnd);
    stream.once('error', onError);
  });
  const out = new PassThrough({ highWaterMark: 1024 * 1024 });
  if (first) out.write(first);
  stream.on('error', (e) => out.destroy(e));
  stream.pipe(out);
  let compression: Compression = 'none';
  if (first && first[0] === 0x1f && first[1] === 0x8b) compression = 'gzip';
  else if (first && first[0] === 0x28 && first[1] === 0xb5 && first[2] === 0x2f && first[3] === 0xfd) compression = 'zstd';
  return { compression, stream: out };
}

export { createGunzip };
