/**
 * The merged file view of an image: layers applied bottom to top with OCI whiteout semantics
 * (`.wh.<name>` deletes a path and everything under it; `.wh..wh..opq` hides everything a lower layer put
 * in a directory). Each path remembers the layer that last wrote it; only files a cataloger wants carry content.
 */
import { ImageError } from '../source/errors.js';
import { parentOf } from './paths.js';

export type EntryType = 'file' | 'dir' | 'symlink' | 'other';

export interface ViewEntry {
  type: EntryType;
  /** Index of the layer that last wrote this path. */
  layer: number;
  size: number;
  /** Symlink target as written in the archive. */
  linkname?: string;
  /** Buffered content, for files catalogers asked for. */
  content?: Buffer;
}

export class MergedView {
  readonly entries = new Map<string, ViewEntry>();
  private current = -1;
  private whiteouts = new Set<string>();
  private opaques = new Set<string>();

  /** Starts applying layer `index` (layers must be applied in order). */
  beginLayer(index: number): void {
    this.current = index;
    this.whiteouts = new Set();
    this.opaques = new Set();
  }

  get layer(): number {
    return this.current;
  }

  /**
   * Records an entry of the current layer. A write through a symlink laid down by the same layer is rejected
   * (the classic "symlink, then write through it" escape); a lower layer's non-directory on the way is
   * replaced by a directory, as overlay filesystems do.
   */
  add(path: string, entry: Omit<ViewEntry, 'layer'>, what: string): void {
    const L = this.current;
    for (let p = parentOf(path); p !== ''; p = parentOf(p)) {
      const anc = this.entries.get(p);
      if (!anc || anc.type === 'dir') continue;
      if (anc.layer === L) {
        if (anc.type === 'symlink') {
          throw new ImageError('symlink', `${what}: entry '${path}' is written through the symlink '${p}' -> '${anc.linkname ?? ''}'`);
        }
        throw new ImageError('format', `${what}: entry '${path}' is written beneath the non-directory '${p}'`);
      }
      this.entries.set(p, { type: 'dir', layer: L, size: 0 });
      this.whiteouts.add(p);
    }
    const prev = this.entries.get(path);
    if (prev && prev.type === 'dir' && entry.type !== 'dir' && prev.layer < L) this.whiteouts.add(path);
    if (prev && prev.type === 'dir' && entry.type === 'dir') {
      prev.layer = L;
      return;
    }
    this.entries.set(path, { ...entry, layer: L });
  }

  /** `.wh.<name>`: removes `path` and its subtree as written by lower layers. */
  whiteout(path: string): void {
    this.whiteouts.add(path);
  }

  /** `.wh..wh..opq`: hides everything lower layers put under `dir`. */
  opaque(dir: string): void {
    this.opaques.add(dir);
  }

  /** Applies the current layer's whiteouts to lower layers. */
  endLayer(): void {
    const L = this.current;
    if (this.whiteouts.size === 0 && this.opaques.size === 0) return;
    for (const [p, e] of this.entries) {
      if (e.layer >= L) continue;
      if (this.whiteouts.has(p)) {
        this.entries.delete(p);
        continue;
      }
      for (let a = parentOf(p); ; a = parentOf(a)) {
        if (this.whiteouts.has(a) || this.opaques.has(a)) {
          this.entries.delete(p);
          break;
        }
        if (a === '') break;
      }
    }
    this.whiteouts.clear();
    this.opaques.clear();
  }

  /** Whether `path` exists in the merged view (no symlinks followed). */
  has(path: string): boolean {
    const p = path.replace(/^\/+/, '').replace(/\/+$/, '');
    return p === '' || this.entries.has(p);
  }

  /**
   * Resolves symlinks in every component of `path`, confined to the image root (a target that climbs above
   * the root stops at the root, like a chroot). Returns the final path, or undefined for loops or missing parts.
   */
  resolve(path: string): string | undefined {
    let pending = path.split('/').filter((s) => s !== '' && s !== '.');
    let cur: string[] = [];
    let hops = 0;
    while (pending.length > 0) {
      const seg = pending.shift() as string;
      if (seg === '..') {
        cur.pop();
        continue;
      }
      const p = [...cur, seg].join('/');
      const e = this.entries.get(p);
      if (e?.type === 'symlink' && e.linkname !== undefined) {
        if (++hops > 40) return undefined;
        // The target's segments are walked like the rest ('..' at the root stays at the root, as in a chroot).
        const target = e.linkname;
        if (target.startsWith('/')) cur = [];
        pending = [...target.split('/').filter((s) => s !== '' && s !== '.'), ...pending];
        continue;
      }
      cur.push(seg);
    }
    return cur.join('/');
  }

  /** The buffered content of a file, following symlinks within the image. */
  read(path: string): { content: Buffer; path: string; layer: number } | undefined {
    const p = this.resolve(path);
    if (p === undefined) return undefined;
    const e = this.entries.get(p);
    if (!e || e.type !== 'file' || !e.content) return undefined;
    return { content: e.content, path: p, layer: e.layer };
  }

  /** Every file with buffered content, sorted by path. */
  bufferedFiles(): Array<{ path: string; content: Buffer; layer: number }> {
    const out: Array<{ path: string; content: Buffer; layer: number }> = [];
    for (const [p, e] of this.entries) if (e.type === 'file' && e.content) out.push({ path: p, content: e.content, layer: e.layer });
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}
