import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ImageError } from './errors.js';
import { readCapped } from './verify.js';

/** Read-only access to named files: a directory on disk, or the entries of a tar archive. */
export interface FileTree {
  readonly label: string;
  /** Size in bytes, or undefined when the file does not exist. */
  size(rel: string): Promise<number | undefined>;
  /** Opens a file as a stream. */
  open(rel: string): Promise<Readable>;
  close(): Promise<void>;
}

export async function readTreeFile(tree: FileTree, rel: string, max: number, what: string): Promise<Buffer> {
  const size = await tree.size(rel);
  if (size === undefined) throw new ImageError('notFound', `${tree.label}: ${rel} not found`);
  if (size > max) throw new ImageError('limit', `${what} (${rel}, ${size} bytes) exceeds the ${max}-byte limit`);
  return readCapped(await tree.open(rel), max, what);
}

/** A directory; names are relative and never leave it. */
export class DirTree implements FileTree {
  constructor(readonly root: string) {}
  get label(): string {
    return this.root;
  }
  private resolve(rel: string): string {
    const full = path.resolve(this.root, rel);
    if (full !== this.root && !full.startsWith(this.root + path.sep)) {
      throw new ImageError('traversal', `${this.root}: '${rel}' is outside the image directory`);
    }
    return full;
  }
  async size(rel: string): Promise<number | undefined> {
    try {
      const st = await stat(this.resolve(rel));
      return st.isFile() ? st.size : undefined;
    } catch {
      return undefined;
    }
  }
  async open(rel: string): Promise<Readable> {
    const full = this.resolve(rel);
    const fh = await open(full, 'r').catch((e: unknown) => {
      throw new ImageError('notFound', `${this.root}: cannot open ${rel}`, { cause: e });
    });
    return fh.createReadStream({ highWaterMark: 1024 * 1024 });
  }
  async close(): Promise<void> {}
}
