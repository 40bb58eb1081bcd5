/** Paths (files, directories, `-` for stdin) → text → resources. The only file I/O of loading. */
import { readFileSync, statSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadProblem } from '../core/types.js';
import { DEFAULT_LIMITS, type LoadLimits } from './limits.js';
import { loadText, type LoadResult } from './manifests.js';
import { errorMessage } from '../core/errors.js';
import { decodeText } from './decode.js';

export interface LoadOptions {
  limits?: Partial<LoadLimits>;
  /** Reads standard input for the `-` path (bounded by `limits.maxFileBytes`). */
  readStdin?: () => Promise<string>;
}

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

function isManifestFile(name: string): boolean {
  const lower = name.toLowerCase();
  return MANIFEST_EXTENSIONS.some((e) => lower.endsWith(e));
}

/**
 * Manifest files below a directory, recursively, in a stable order; hidden folders and
 * node_modules are skipped. Symbolic links are followed as `kubectl apply -R` follows them
 * (each directory once, so loops end; a file reached under several names is read once, by its
 * own name when the walk meets it); a broken link to a manifest name and a directory that
 * cannot be read are problems, and the walk goes on.
 */
export async function listManifestFiles(dir: string, problems: LoadProblem[] = []): Promise<string[]> {
  const found: Array<{ path: string; real: string; viaLink: boolean }> = [];
  const seen = new Set<string>();
  const walk = async (d: string, viaLink: boolean): Promise<void> => {
    let entries: Dirent[];
    let real: string;
    try {
      real = await realpath(d);
      if (seen.has(real)) return;
      seen.add(real);
      entries = await readdir(d, { withFileTypes: true });
    } catch (e: unknown) {
      problems.push(fileProblem(d, `cannot read directory: ${errorMessage(e)}`, 'input.notFound'));
      return;
    }
    // By name, links last: a directory reached both ways is walked under its own name.
    entries.sort((a, b) => Number(a.isSymbolicLink()) - Number(b.isSymbolicLink()) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      const link = e.isSymbolicLink();
      if (link) {
        try {
          const target = await stat(p);
          isDir = target.isDirectory();
          isFile = target.isFile();
        } catch (err: unknown) {
          if (isManifestFile(e.name)) problems.push(fileProblem(p, `broken symbolic link: ${errorMessage(err)}`, 'input.notFound'));
          continue;
        }
      }
      if (isDir) await walk(p, viaLink || link);
      // A plain entry's real path is its directory's plus its name: only links cost a lookup.
      else if (isFile && isManifestFile(e.name)) found.push({ path: p, real: link ? await realpath(p).catch(() => p) : join(real, e.name), viaLink: viaLink || link });
    }
  };
  await walk(dir, false);
  // A file reached under several names is scanned once, under its own path where the walk saw it.
  const chosen = new Map<string, { path: string; viaLink: boolean }>();
  for (const f of found) {
    const prev = chosen.get(f.real);
    if (!prev || (prev.viaLink && !f.viaLink)) chosen.set(f.real, f);
  }
  const keep = new Set([...chosen.values()].map((f) => f.path));
  return found.filter((f) => keep.has(f.path)).map((f) => f.path);
}

function fileProblem(file: string, message: string, code: string): LoadProblem {
  return { file, line: 1, column: 1, message, code, level: 'error' };
}

/**
 * Files up to this size are read synchronously: a directory of thousands of small manifests
 * otherwise spends most of its time waiting on four thread-pool round trips per file. Larger
 * files are read asynchronously, which decodes them faster here.
 */
const SYNC_READ_BYTES = 1 << 20;

async function loadFile(file: string, limits: LoadLimits, out: LoadResult): Promise<void> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e: unknown) {
    out.problems.push(fileProblem(file, `cannot read: ${errorMessage(e)}`, 'input.notFound'));
    return;
  }
  if (size > limits.maxFileBytes) {
    out.problems.push(fileProblem(file, `file is ${size} bytes, over the limit of ${limits.maxFileBytes} bytes (--max-file-size); skipped`, 'input.limit'));
    return;
  }
  let text: string;
  try {
    text = size <= SYNC_READ_BYTES ? readFileSync(file, 'utf8') : await readFile(file, 'utf8');
  } catch (e: unknown) {
    out.problems.push(fileProblem(file, `cannot read: ${errorMessage(e)}`, 'input.notFound'));
    return;
  }
  // A UTF-16 byte-order mark reads as two replacement characters: decode the bytes again.
  if (text.charCodeAt(0) === 0xfffd && text.charCodeAt(1) === 0xfffd) text = decodeText(readFileSync(file));
  append(out, loadText(text, file, limits));
}

function append(out: LoadResult, r: LoadResult): void {
  for (const x of r.resources) out.resources.push(x);
  for (const p of r.problems) out.problems.push(p);
}

/**
 * Loads every manifest named by `paths`. Problems (missing files, malformed documents,
 * limits) are collected; everything else still loads.
 */
export async function loadPaths(paths: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const out: LoadResult = { resources: [], problems: [] };
  for (const p of paths) {
    if (p === '-') {
      if (!options.readStdin) {
        out.problems.push(fileProblem('<stdin>', 'standard input is not available', 'input.notFound'));
        continue;
      }
      let text: string;
      try {
        text = await options.readStdin();
      } catch (e: unknown) {
        out.problems.push(fileProblem('<stdin>', errorMessage(e), 'input.limit'));
        continue;
      }
      append(out, loadText(text, '<stdin>', limits));
      continue;
    }
    let isDir = false;
    try {
      isDir = (await stat(p)).isDirectory();
    } catch {
      out.problems.push(fileProblem(p, 'no such file or directory', 'input.notFound'));
      continue;
    }
    if (isDir) {
      const before = out.problems.length;
      const files = await listManifestFiles(p, out.problems);
      if (files.length === 0 && out.problems.length === before) out.problems.push({ ...fileProblem(p, 'no .yaml, .yml or .json files in this directory', 'input.notFound'), level: 'warning' });
      for (const f of files) await loadFile(f, limits, out);
    } else {
      await loadFile(p, limits, out);
    }
  }
  return out;
}
