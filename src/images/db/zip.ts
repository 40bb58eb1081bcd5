/**
 * A small, bounded ZIP reader for OSV `all.zip` archives: reads the central directory (ZIP64 too)
 * through a file descriptor, then inflates one entry at a time with `inflateRaw`, checking sizes
 * and CRC-32. Never holds the whole archive in memory.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';
import { errorMessage } from '../../core/errors.js';

export interface ZipLimits {
  /** Largest uncompressed entry (bytes). */
  maxEntryBytes: number;
  /** Most entries in one archive. */
  maxEntries: number;
  /** Largest central directory (bytes). */
  maxCentralDirectoryBytes: number;
  /** Highest compression ratio accepted for an entry. */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntryBytes: 64 * 1024 * 1024,
  maxEntries: 2_000_000,
  maxCentralDirectoryBytes: 512 * 1024 * 1024,
  maxRatio: 1000,
};

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

export class ZipFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipFormatError';
  }
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) throw new ZipFormatError('unexpected end of archive');
    done += n;
  }
  return buf;
}

function u64(buf: Buffer, off: number): number {
  const v = buf.readBigUInt64LE(off);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('ZIP64 value too large');
  return Number(v);
}

export class ZipReader {
  readonly entries: ZipEntry[];
  private fd: number | undefined;
  private readonly fileSize: number;

  private constructor(
    fd: number,
    fileSize: number,
    entries: ZipEntry[],
    private readonly limits: ZipLimits,
  ) {
    this.fd = fd;
    this.fileSize = fileSize;
    this.entries = entries;
  }

  static open(file: string, limits: Partial<ZipLimits> = {}): ZipReader {
    const lim = { ...DEFAULT_ZIP_LIMITS, ...limits };
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      const entries = readCentralDirectory(fd, size, lim);
      return new ZipReader(fd, size, entries, lim);
    } catch (e: unknown) {
      closeSync(fd);
      throw e;
    }
  }

  /** The entry's bytes, inflated and checked. */
  read(entry: ZipEntry): Buffer {
    if (this.fd === undefined) throw new ZipFormatError('archive closed');
    if (entry.size > this.limits.maxEntryBytes) throw new ZipFormatError(`${entry.name}: ${entry.size} bytes exceeds the ${this.limits.maxEntryBytes}-byte entry limit`);
    if (entry.compressedSize > 0 && entry.size / entry.compressedSize > this.limits.maxRatio) throw new ZipFormatError(`${entry.name}: compression ratio above ${this.limits.maxRatio}`);
    const local = readAt(this.fd, entry.localHeaderOffset, 30);
    if (local.readUInt32LE(0) !== 0x04034b50) throw new ZipFormatError(`${entry.name}: bad local header`);
    const dataStart = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    if (dataStart + entry.compressedSize > this.fileSize) throw new ZipFormatError(`${entry.name}: data beyond end of archive`);
    const raw = readAt(this.fd, dataStart, entry.compressedSize);
    let data: Buffer;
    if (entry.method === 0) data = raw;
    else if (entry.method === 8) {
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, Math.min(this.limits.maxEntryBytes, entry.size + 1)) });
      } catch (e: unknown) {
        throw new ZipFormatError(`${entry.name}: cannot inflate (${errorMessage(e)})`);
      }
    } else throw new ZipFormatError(`${entry.name}: unsupported compression method ${entry.method}`);
    if (data.length !== entry.size) throw new ZipFormatError(`${entry.name}: size mismatch`);
    if ((crc32(data) >>> 0) !== entry.crc) throw new ZipFormatError(`${entry.name}: CRC mismatch`);
    return data;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function readCentralDirectory(fd: number, size: number, lim: ZipLimits): ZipEntry[] {
  const tailLen = Math.min(size, 65535 + 22);
  const tail = readAt(fd, size - tailLen, tailLen);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('not a ZIP archive (no end of central directory)');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locAt = eocd - 20;
    if (locAt < 0 || tail.readUInt32LE(locAt) !== 0x07064b50) throw new ZipFormatError('ZIP64 locator missing');
    const z64Offset = u64(tail, locAt + 8);
    const z64 = readAt(fd, z64Offset, 56);
    if (z64.readUInt32LE(0) !== 0x06064b50) throw new ZipFormatError('bad ZIP64 end of central directory');
    count = u64(z64, 32);
    cdSize = u64(z64, 40);
    cdOffset = u64(z64, 48);
  }
  if (count > lim.maxEntries) throw new ZipFormatError(`${count} entries exceeds the limit of ${lim.maxEntries}`);
  if (cdSize > lim.maxCentralDirectoryBytes || cdOffset + cdSize > size) throw new ZipFormatError('central directory too large or out of bounds');
  const cd = readAt(fd, cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw new ZipFormatError('bad central directory entry');
    const method = cd.readUInt16LE(p + 10);
    const crc = cd.readUInt32LE(p + 16);
    let compressedSize = cd.readUInt32LE(p + 20);
    let uncompressed = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let localHeaderOffset = cd.readUInt32LE(p + 42);
    if (p + 46 + nameLen + extraLen + commentLen > cd.length) throw new ZipFormatError('central directory entry out of bounds');
    const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
    // ZIP64 extended information: only the fields whose 32-bit value is saturated are present, in order.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = cd.readUInt16LE(e);
      const len = cd.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressed === 0xffffffff && q + 8 <= e + 4 + len) ((uncompressed = u64(cd, q)), (q += 8));
        if (compressedSize === 0xffffffff && q + 8 <= e + 4 + len) ((compressedSize = u64(cd, q)), (q += 8));
        if (localHeaderOffset === 0xffffffff && q + 8 <= e + 4 + len) localHeaderOffset = u64(cd, q);
      }
      e += 4 + len;
    }
    if (!name.endsWith('/')) entries.push({ name, method, crc, compressedSize, size: uncompressed, localHeaderOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}
