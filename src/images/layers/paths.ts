/** Path handling for archive and layer entries: every name is confined to the image root. */
import { ImageError } from '../source/errors.js';

/**
 * Normalises a tar entry name to a root-relative path without leading `./` or `/` (absolute names are
 * neutralised: they are taken relative to the root, as container runtimes do). A name whose `..` segments
 * climb above the root is rejected.
 */
export function normalizeEntryPath(name: string, what: string): string {
  if (name.includes('\0')) throw new ImageError('traversal', `${what}: entry name contains a NUL byte`);
  const out: string[] = [];
  for (const seg of name.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) throw new ImageError('traversal', `${what}: entry '${name}' escapes the root with '..'`);
      out.pop();
    } else out.push(seg);
  }
  return out.join('/');
}

/** Joins `target` to the directory `baseDir` (root-relative) lexically; undefined when it climbs above the root. */
export function joinWithin(baseDir: string, target: string): string | undefined {
  const out: string[] = target.startsWith('/') || baseDir === '' ? [] : baseDir.split('/');
  for (const seg of target.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(seg);
  }
  return out.join('/');
}

export function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i === -1 ? '' : p.slice(0, i);
}

export function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/**
 * Where a link points, as a root-relative path. Symlink targets are relative to the link's directory
 * (absolute ones to the root); hardlink targets are relative to the root. A target that climbs above the
 * root is rejected, as Docker does when it extracts a layer.
 */
export function resolveLinkTarget(entry: string, linkname: string, what: string, kind: 'symlink' | 'hardlink'): string {
  const base = kind === 'symlink' ? parentOf(entry) : '';
  const t = joinWithin(base, linkname);
  if (t === undefined) {
    throw new ImageError(kind, `${what}: ${kind} '${entry}' -> '${linkname}' points outside the root`);
  }
  return t;
}
