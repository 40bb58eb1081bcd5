/**
 * The local vulnerability database: OSV records in SQLite (better-sqlite3), indexed by
 * (ecosystem, package name) for matching, with the import history `db status` shows.
 * The same file holds the image verdict cache (see ../verdict-cache.ts).
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { OsvRecord } from '../osv/types.js';
import { normalizePackageName, type RecordLookup } from '../match.js';
import { ecosystemBase } from '../versions/index.js';

export const DB_SCHEMA_VERSION = '1';

/** `$XDG_CACHE_HOME/kubeward/osv.db`, else `~/.cache/kubeward/osv.db`. */
export function defaultDbPath(env: Readonly<Record<string, string | undefined>>): string {
  const xdg = env['XDG_CACHE_HOME'];
  const base = xdg !== undefined && xdg !== '' && path.isAbsolute(xdg) ? xdg : path.join(env['HOME'] || homedir(), '.cache');
  return path.join(base, 'kubeward', 'osv.db');
}

export interface EcosystemStatus {
  ecosystem: string;
  records: number;
  withdrawn: number;
  /** Newest `modified` among its records. */
  newestModified?: string;
  /** When it was last imported, and from where. */
  importedAt?: string;
  source?: string;
  /** Whole days between the last import and `now`. */
  ageDays?: number;
}

export interface DbStatus {
  path: string;
  schemaVersion: string;
  records: number;
  ecosystems: EcosystemStatus[];
  verdicts: number;
}

export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged' | 'older';

type Db = InstanceType<typeof Database>;

export class VulnDatabase {
  readonly path: string;
  readonly sqlite: Db;
  private readonly parsed = new Map<string, OsvRecord>();
  private readonly stmts: {
    get: Database.Statement<[string], { modified: string }>;
    put: Database.Statement<[string, string, string | null, string]>;
    delAffected: Database.Statement<[string]>;
    putAffected: Database.Statement<[string, string, string, string]>;
    lookup: Database.Statement<[string, string], { id: string; json: string }>;
  };

  private constructor(file: string, sqlite: Db) {
    this.path = file;
    this.sqlite = sqlite;
    this.stmts = {
      get: sqlite.prepare('SELECT modified FROM records WHERE id = ?'),
      put: sqlite.prepare('INSERT OR REPLACE INTO records (id, modified, withdrawn, json) VALUES (?, ?, ?, ?)'),
      delAffected: sqlite.prepare('DELETE FROM affected WHERE record_id = ?'),
      putAffected: sqlite.prepare('INSERT OR IGNORE INTO affected (record_id, ecosystem, base, name) VALUES (?, ?, ?, ?)'),
      lookup: sqlite.prepare('SELECT r.id AS id, r.json AS json FROM affected a JOIN records r ON r.id = a.record_id WHERE a.base = ? AND a.name = ? ORDER BY r.id'),
    };
  }

  /** Opens (creating when needed, unless `readonly`) the database at `file`. */
  static open(file: string, opts: { readonly?: boolean } = {}): VulnDatabase {
    if (!opts.readonly) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const sqlite = new Database(file, { readonly: opts.readonly === true, fileMustExist: opts.readonly === true });
    if (!opts.readonly) {
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
      sqlite.exec(`
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS records (id TEXT PRIMARY KEY, modified TEXT NOT NULL, withdrawn TEXT, json TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS affected (record_id TEXT NOT NULL, ecosystem TEXT NOT NULL, base TEXT NOT NULL, name TEXT NOT NULL,
          PRIMARY KEY (record_id, ecosystem, name)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS affected_lookup ON affected (base, name);
        CREATE TABLE IF NOT EXISTS imports (ecosystem TEXT PRIMARY KEY, imported_at TEXT NOT NULL, source TEXT NOT NULL, records INTEGER NOT NULL, skipped INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS verdicts (digest TEXT PRIMARY KEY, reference TEXT NOT NULL, scanned_at TEXT NOT NULL, counts TEXT NOT NULL, fixable TEXT NOT NULL);
        INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '${DB_SCHEMA_VERSION}');
      `);
    }
    return new VulnDatabase(file, sqlite);
  }

  /** Stores a (validated) record unless the stored copy is newer. */
  upsert(record: OsvRecord): UpsertOutcome {
    const existing = this.stmts.get.get(record.id);
    if (existing !== undefined) {
      if (existing.modified > record.modified) return 'older';
    }
    const json = JSON.stringify(record);
    this.stmts.put.run(record.id, record.modified, record.withdrawn ?? null, json);
    this.stmts.delAffected.run(record.id);
    for (const a of record.affected ?? []) {
      if (a.package === undefined) continue;
      const base = ecosystemBase(a.package.ecosystem);
      this.stmts.putAffected.run(record.id, a.package.ecosystem, base, normalizePackageName(base, a.package.name));
    }
    this.parsed.delete(record.id);
    if (existing === undefined) return 'inserted';
    return existing.modified === record.modified ? 'unchanged' : 'updated';
  }

  /** Runs `fn` in one transaction. */
  transaction<T>(fn: () => T): T {
    return this.sqlite.transaction(fn)();
  }

  recordImport(ecosystem: string, at: Date, source: string, records: number, skipped: number): void {
    this.sqlite
      .prepare('INSERT OR REPLACE INTO imports (ecosystem, imported_at, source, records, skipped) VALUES (?, ?, ?, ?, ?)')
      .run(ecosystem, at.toISOString(), source, records, skipped);
  }

  /** Records filed under (ecosystem base, normalised name). */
  readonly lookup: RecordLookup = (base, name) => {
    const out: OsvRecord[] = [];
    for (const row of this.stmts.lookup.all(base, name)) {
      let r = this.parsed.get(row.id);
      if (r === undefined) {
        r = JSON.parse(row.json) as OsvRecord;
        this.parsed.set(row.id, r);
      }
      out.push(r);
    }
    return out;
  };

  record(id: string): OsvRecord | undefined {
    const row = this.sqlite.prepare('SELECT json FROM records WHERE id = ?').get(id) as { json: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.json) as OsvRecord);
  }

  status(now: Date = new Date()): DbStatus {
    const rows = this.sqlite
      .prepare(
        `SELECT a.base AS ecosystem, COUNT(DISTINCT r.id) AS records, COUNT(DISTINCT CASE WHEN r.withdrawn IS NOT NULL THEN r.id END) AS withdrawn,
                MAX(r.modified) AS newest
         FROM affected a JOIN records r ON r.id = a.record_id GROUP BY a.base ORDER BY a.base`,
      )
      .all() as Array<{ ecosystem: string; records: number; withdrawn: number; newest: string | null }>;
    const imports = new Map(
      (this.sqlite.prepare('SELECT ecosystem, imported_at, source FROM imports').all() as Array<{ ecosystem: string; imported_at: string; source: string }>).map((r) => [r.ecosystem, r]),
    );
    const ecosystems: EcosystemStatus[] = rows.map((r) => {
      const s: EcosystemStatus = { ecosystem: r.ecosystem, records: r.records, withdrawn: r.withdrawn };
      if (r.newest !== null) s.newestModified = r.newest;
      const imp = imports.get(r.ecosystem);
      if (imp !== undefined) {
        s.importedAt = imp.imported_at;
        s.source = imp.source;
        s.ageDays = Math.max(0, Math.floor((now.getTime() - Date.parse(imp.imported_at)) / 86_400_000));
      }
      return s;
    });
    const total = (this.sqlite.prepare('SELECT COUNT(*) AS n FROM records').get() as { n: number }).n;
    const verdicts = (this.sqlite.prepare('SELECT COUNT(*) AS n FROM verdicts').get() as { n: number }).n;
    const version = (this.sqlite.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined)?.value ?? '?';
    return { path: this.path, schemaVersion: version, records: total, ecosystems, verdicts };
  }

  close(): void {
    this.sqlite.close();
  }
}
