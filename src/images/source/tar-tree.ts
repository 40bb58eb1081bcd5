/**
 * Random access to the entries of an uncompressed tar archive (oci-archive, docker-archive) without extracting it:
 * one pass over the headers records where each file's data lies, then files are streamed from those offsets.
 * A gzip-compressed archive is first decompressed into a private temporary directory (size-capped), removed on close.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { ImageError } from './errors.js';
import type { FileTree } from './file-tree.js';
import type { ImageLimits } from './limits.js';
import { normalizeEntryPath, resolveLinkTarget } from '../layers/paths.js';
import { ByteCounter } from '../layers/decompress.js';

interface TarEntry {
  type: 'file' | 'symlink' | 'link' | 'dir' | 'other';
  offset: number;
  size: number;
  linkname: string;
}

const BLOCK = 512;

function cstr(buf: Buffer, start: number, len: number): string {
  const end = buf.indexOf(0, start);
  return buf.toString('utf8', start, end === -1 || end > start + len ? start + len : end);
}

function parseSize(buf: Buffer, start: number, len: number): number {
  const first = buf[start] ?? 0;
  if (first & 0x80) {
    // base-256
    let v = 0;
    for (let i = start + 1; i < start + len; i++) v = v * 256 + (buf[i] ?? 0);
    return v;
  }
  const s = cstr(buf, start, len).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

function checksumOk(h: Buffer): boolean {
  const stored = parseInt(cstr(h, 148, 8).trim(), 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (h[i] ?? 0);
  return sum === stored;
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const sp = data.indexOf(0x20, pos);
    if (sp === -1) break;
    const len = parseInt(data.toString('utf8', pos, sp), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const rec = data.toString('utf8', sp + 1, pos + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    pos += len;
  }
  return out;
}

export class TarTree implements FileTree {
  private constructor(
    readonly label: string,
    private readonly file: string,
    private readonly entries: Map<string, TarEntry>,
    private readonly tempDir: string | undefined,
  ) {}

  static async openFile(file: string, limits: ImageLimits): Promise<TarTree> {
    let fh: FileHandle;
    try {
      fh = await open(file, 'r');
    } catch (e: unknown) {
      throw new ImageError('notFound', `cannot open archive ${file}`, { cause: e });
    }
    let tempDir: string | undefined;
    let tarFile = file;
    try {
      const magic = Buffer.alloc(2);
      await fh.read(magic, 0, 2, 0);
      if (magic[0] === 0x1f && magic[1] === 0x8b) {
        await fh.close();
        tempDir = await mkdtemp(path.join(tmpdir(), 'kubeward-archive-'));
        tarFile = path.join(tempDir, 'archive.tar');
        try {
          await pipeline(
            createReadStream(file),
            createGunzip(),
            new ByteCounter(limits.maxImageBytes, limits.maxCompressionRatio, limits.ratioGraceBytes, `archive ${file}`),
            createWriteStream(tarFile, { flags: 'wx', mode: 0o600 }),
          );
        } catch (e: unknown) {
          if (e instanceof ImageError) throw e;
          throw new ImageError('format', `archive ${file}: cannot decompress`, { cause: e });
        }
        fh = await open(tarFile, 'r');
      }
      const entries = await TarTree.index(fh, file, limits);
      return new TarTree(file, tarFile, entries, tempDir);
    } catch (e: unknown) {
      if (tempDir) await rm(tempDir, { recursive: true, force: true });
      throw e;
    } finally {
      await fh.close().catch(() => undefined);
    }
  }

  private static async index(fh: FileHandle, label: string, limits: ImageLimits): Promise<Map<string, TarEntry>> {
    const entries = new Map<string, TarEntry>();
    const { size: fileSize } = await fh.stat();
    const h = Buffer.alloc(BLOCK);
    let pos = 0;
    let longName: string | undefined;
    let longLink: string | undefined;
    let pax: Record<string, string> = {};
    while (pos + BLOCK <= fileSize) {
      await fh.read(h, 0, BLOCK, pos);
      if (h.every((b) => b === 0)) break;
      if (!checksumOk(h)) throw new ImageError('format', `archive ${label}: bad tar header at offset ${pos}`);
      const typeflag = String.fromCharCode(h[156] ?? 0);
      let size = parseSize(h, 124, 12);
      const dataStart = pos + BLOCK;
      if (pax['size']) size = Number(pax['size']);
      if (!Number.isSafeInteger(size) || size < 0 || dataStart + size > fileSize) {
        throw new ImageError('format', `archive ${label}: truncated or invalid tar entry at offset ${pos}`);
      }
      const next = dataStart + Math.ceil(size / BLOCK) * BLOCK;
      if (typeflag === 'x' || typeflag === 'L' || typeflag === 'K') {
        if (size > 1024 * 1024) throw new ImageError('limit', `archive ${label}: oversized extended header`);
        const data = Buffer.alloc(size);
        await fh.read(data, 0, size, dataStart);
        if (typeflag === 'x') pax = parsePax(data);
        else if (typeflag === 'L') longName = cstr(data, 0, size);
        else longLink = cstr(data, 0, size);
        pos = next;
        continue;
      }
      if (typeflag === 'g') {
        pos = next;
        continue;
      }
      let name = longName ?? pax['path'];
      if (name === undefined) {
        name = cstr(h, 0, 100);
        if (h.toString('latin1', 257, 262) === 'ustar') {
          const prefix = cstr(h, 345, 155);
          if (prefix) name = `${prefix}/${name}`;
        }
      }
      const linkname = longLink ?? pax['linkpath'] ?? cstr(h, 157, 100);
      longName = longLink = undefined;
      pax = {};
      const rel = normalizeEntryPath(name, `archive ${label}`);
      const type: TarEntry['type'] =
        typeflag === '0' || typeflag === '\0' || typeflag === '7' ? 'file' : typeflag === '2' ? 'symlink' : typeflag === '1' ? 'link' : typeflag === '5' ? 'dir' : 'other';
      if (rel !== '') entries.set(rel, { type, offset: dataStart, size, linkname });
      if (entries.size > limits.maxEntries) throw new ImageError('limit', `archive ${label}: more than ${limits.maxEntries} entries`);
      pos = next;
    }
    return entries;
  }

  private lookup(rel: string): TarEntry | undefined {
    let cur = normalizeEntryPath(rel, this.label);
    for (let hops = 0; hops < 16; hops++) {
      const e = this.entries.get(cur);
      if (!e) return undefined;
      if (e.type === 'file') return e;
      if (e.type === 'symlink') cur = resolveLinkTarget(cur, e.linkname, `archive ${this.label}`, 'symlink');
      else if (e.type === 'link') cur = resolveLinkTarget(cur, e.linkname, `archive ${this.label}`, 'hardlink');
      else return undefined;
    }
    throw new ImageError('symlink', `archive ${this.label}: too many levels of links at ${rel}`);
  }

  async size(rel: string): Promise<number | undefined> {
    return this.lookup(rel)?.size;
  }

  async open(rel: string): Promise<Readable> {
    const e = this.lookup(rel);
    if (!e) throw new ImageError('notFound', `archive ${this.label}: ${rel} not found`);
    if (e.size === 0) return Readable.from([]);
    return createReadStream(this.file, { start: e.offset, end: e.offset + e.size - 1, highWaterMark: 1024 * 1024 });
  }

  async close(): Promise<void> {
    if (this.tempDir) await rm(this.tempDir, { recursive: true, force: true });
  }
}
