/**
 * `db import`: loads OSV records from a folder of JSON files, a single JSON file, a ZIP archive
 * (`all.zip` as osv.dev publishes one per ecosystem), or a folder holding such archives
 * (`<Ecosystem>/all.zip`). Each record is validated against the OSV schema; a record that is
 * unreadable or invalid is reported with its reason and skipped — never dropped silently.
 */
import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { InputError, errorMessage } from '../../core/errors.js';
import { validateOsvRecord } from '../osv/validate.js';
import { ecosystemBase } from '../versions/index.js';
import type { VulnDatabase } from './database.js';
import { ZipReader, type ZipLimits } from './zip.js';

export interface ImportProblem {
  /** File, or `archive.zip!entry.json`. */
  source: string;
  id?: string;
  reason: string;
}

export interface ImportResult {
  /** Records read and valid. */
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Valid records older than the stored copy (kept the stored one). */
  older: number;
  skipped: ImportProblem[];
  /** Valid records per ecosystem base. */
  ecosystems: Record<string, number>;
}

export interface ImportOptions {
  now?: () => Date;
  zipLimits?: Partial<ZipLimits>;
  /** Largest plain JSON file accepted (bytes). */
  maxJsonBytes?: number;
  /** Deepest folder nesting walked. */
  maxDepth?: number;
}

const DEFAULT_MAX_JSON = 64 * 1024 * 1024;

function collectFiles(root: string, maxDepth: number): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > maxDepth) return;
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const st = lstatSync(full);
      if (st.isDirectory()) walk(full, depth + 1);
      else if (st.isFile() && (name.endsWith('.json') || name.endsWith('.zip'))) out.push(full);
    }
  };
  walk(root, 0);
  return out;
}

export function importOsv(db: VulnDatabase, input: string, opts: ImportOptions = {}): ImportResult {
  const now = opts.now ?? (() => new Date());
  const maxJson = opts.maxJsonBytes ?? DEFAULT_MAX_JSON;
  let st;
  try {
    st = lstatSync(input);
  } catch {
    throw new InputError('input.notFound', `${input}: no such file or folder`, { file: input });
  }
  const files = st.isDirectory() ? collectFiles(input, opts.maxDepth ?? 8) : [input];
  const result: ImportResult = { read: 0, inserted: 0, updated: 0, unchanged: 0, older: 0, skipped: [], ecosystems: {} };

  const take = (text: string, source: string): void => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e: unknown) {
      result.skipped.push({ source, reason: `not JSON: ${errorMessage(e)}` });
      return;
    }
    const v = validateOsvRecord(value);
    if (!v.ok) {
      const id = typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string' ? (value as { id: string }).id : undefined;
      result.skipped.push({ source, ...(id !== undefined ? { id } : {}), reason: v.reasons.join('; ') });
      return;
    }
    result.read++;
    result[db.upsert(v.record)]++;
    const bases = new Set((v.record.affected ?? []).flatMap((a) => (a.package ? [ecosystemBase(a.package.ecosystem)] : [])));
    for (const b of bases) result.ecosystems[b] = (result.ecosystems[b] ?? 0) + 1;
  };

  const importFile = (file: string): void => {
    const rel = st.isDirectory() ? path.relative(input, file) || path.basename(file) : file;
    if (file.endsWith('.zip')) {
      let zip: ZipReader;
      try {
        zip = ZipReader.open(file, opts.zipLimits);
      } catch (e: unknown) {
        result.skipped.push({ source: rel, reason: `unreadable archive: ${errorMessage(e)}` });
        return;
      }
      try {
        db.transaction(() => {
          for (const entry of zip.entries) {
            if (!entry.name.endsWith('.json')) continue;
            let text: string;
            try {
              text = zip.read(entry).toString('utf8');
            } catch (e: unknown) {
              result.skipped.push({ source: `${rel}!${entry.name}`, reason: errorMessage(e) });
              continue;
            }
            take(text, `${rel}!${entry.name}`);
          }
        });
      } finally {
        zip.close();
      }
    } else {
      const size = lstatSync(file).size;
      if (size > maxJson) {
        result.skipped.push({ source: rel, reason: `${size} bytes exceeds the ${maxJson}-byte limit` });
        return;
      }
      take(readFileSync(file, 'utf8'), rel);
    }
  };
  // One transaction for the whole import (archives nest as savepoints): fast, and all-or-nothing on a crash.
  db.transaction(() => {
    for (const file of files) importFile(file);
  });
  const at = now();
  for (const [eco, n] of Object.entries(result.ecosystems)) db.recordImport(eco, at, path.resolve(input), n, result.skipped.length);
  result.skipped.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  return result;
}
