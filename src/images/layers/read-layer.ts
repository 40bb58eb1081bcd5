/**
 * Streams one layer into the merged view: decompression (bounded), diff-id hashing and tar parsing happen
 * as the bytes arrive; only the files a cataloger wants are buffered (each size-capped). Nothing is written to disk.
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar-stream';
import { ImageError } from '../source/errors.js';
import type { ImageLimits } from '../source/limits.js';
import { ByteCounter, sniffCompression } from './decompress.js';
import type { EntryType, MergedView } from './merged-view.js';
import { baseName, normalizeEntryPath, parentOf, resolveLinkTarget } from './paths.js';
import { errorMessage } from '../../core/errors.js';

/** Running totals shared by all layers of one image. */
export interface ReadBudget {
  entries: number;
  bufferedBytes: number;
  imageBytes: number;
  warnings: string[];
}

export interface ReadLayerOptions {
  view: MergedView;
  /** Should this (root-relative) path's content be buffered for the catalogers? */
  wanted: (path: string) => boolean;
  limits: ImageLimits;
  budget: ReadBudget;
  /** Label used in errors, e.g. `layer 2 (sha256:…)`. */
  what: string;
  signal?: AbortSignal;
  onBytes?: (compressed: number) => void;
}

class CompressedCounter extends Transform {
  constructor(private readonly onChunk: (n: number) => void) {
    super({ highWaterMark: 1024 * 1024 });
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.onChunk(chunk.length);
    cb(null, chunk);
  }
}

function entryType(t: tar.Header['type']): EntryType | 'link' {
  switch (t) {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'directory':
      return 'dir';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'link';
    default:
      return 'other';
  }
}

/** Reads one layer stream (gzip or plain tar) into `opts.view`; returns the digest of the uncompressed tar. */
export async function readLayer(source: Readable, opts: ReadLayerOptions): Promise<{ diffId: string; bytes: number }> {
  const { view, limits, budget, what } = opts;
  const sniffed = await sniffCompression(source);
  if (sniffed.compression === 'zstd') {
    sniffed.stream.destroy();
    throw new ImageError('unsupported', `${what}: zstd-compressed layers are not supported`);
  }
  const remaining = limits.maxImageBytes - budget.imageBytes;
  const counter = new ByteCounter(
    Math.min(limits.maxLayerBytes, remaining),
    limits.maxCompressionRatio,
    limits.ratioGraceBytes,
    what,
    true,
  );
  const stages: Array<NodeJS.ReadableStream | NodeJS.WritableStream | NodeJS.ReadWriteStream> = [sniffed.stream];
  if (sniffed.compression === 'gzip') {
    stages.push(
      new CompressedCounter((n) => {
        counter.compressed += n;
        opts.onBytes?.(n);
      }),
    );
    stages.push(createGunzip({ chunkSize: 256 * 1024 }));
  } else {
    stages.push(new CompressedCounter((n) => opts.onBytes?.(n)));
  }
  stages.push(counter);

  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    // Errors reach the pipeline through the extractor; an entry stream destroyed with it must not throw.
    stream.on('error', () => undefined);
    let buffering = false;
    try {
      if (++budget.entries > limits.maxEntries) {
        throw new ImageError('limit', `${what}: more than ${limits.maxEntries} entries in the image`);
      }
      const path = normalizeEntryPath(header.name, what);
      if (path === '') {
        stream.on('end', () => next()).resume();
        return;
      }
      const base = baseName(path);
      if (base.startsWith('.wh.')) {
        if (base === '.wh..wh..opq') view.opaque(parentOf(path));
        else if (!base.startsWith('.wh..wh.')) {
          const parent = parentOf(path);
          view.whiteout(parent === '' ? base.slice(4) : `${parent}/${base.slice(4)}`);
        }
        stream.on('end', () => next()).resume();
        return;
      }
      const type = entryType(header.type);
      if (type === 'link') {
        const target = resolveLinkTarget(path, header.linkname, what, 'hardlink');
        const t = view.entries.get(target);
        const copy: { type: EntryType; size: number; content?: Buffer } = { type: 'file', size: t?.size ?? 0 };
        if (t?.content) copy.content = t.content;
        view.add(path, copy, what);
      } else if (type === 'symlink') {
        resolveLinkTarget(path, header.linkname, what, 'symlink');
        view.add(path, { type, size: 0, linkname: header.linkname }, what);
      } else if (type === 'file' && opts.wanted(path)) {
        const size = header.size;
        if (size > limits.maxFileBytes || budget.bufferedBytes + size > limits.maxBufferedBytes) {
          budget.warnings.push(`${what}: ${path} (${size} bytes) is too large to catalog; skipped`);
          view.add(path, { type, size }, what);
        } else {
          buffering = true;
          const chunks: Buffer[] = [];
          let got = 0;
          stream.on('data', (data: unknown) => {
            const c = data as Buffer;
            got += c.length;
            if (got <= size) chunks.push(c);
          });
          stream.on('end', () => {
            budget.bufferedBytes += got;
            try {
              view.add(path, { type, size, content: Buffer.concat(chunks, Math.min(got, size)) }, what);
              next();
            } catch (e: unknown) {
              next(e as Error);
            }
          });
          return;
        }
      } else {
        view.add(path, { type: type, size: type === 'file' ? header.size : 0 }, what);
      }
      stream.on('end', () => next()).resume();
    } catch (e: unknown) {
      if (!buffering) {
        stream.resume();
        next(e as Error);
      }
    }
  });
  stages.push(extract);

  const onAbort = (): void => {
    sniffed.stream.destroy(new ImageError('aborted', `${what}: aborted`));
  };
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await pipeline(stages as unknown as [Readable, ...NodeJS.WritableStream[]]);
  } catch (e: unknown) {
    if (e instanceof ImageError) throw e;
    const msg = errorMessage(e);
    throw new ImageError('format', `${what}: cannot read layer: ${msg}`, { cause: e });
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  budget.imageBytes += counter.bytes;
  return { diffId: counter.digest(), bytes: counter.bytes };
}
