/** `kubeward db import <dir|zip>` and `kubeward db status`: the local OSV vulnerability database. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import type { DbStatus, VulnDatabase } from '../../images/db/database.js';
import type { CliContext } from '../context.js';
import { oneOf } from '../options.js';

// The database modules (SQLite, the OSV schema) are loaded by the command that needs them.

/** The database file: `--db`, else the default under the user's cache directory. */
export async function resolveDbPath(ctx: CliContext, flag: string | undefined): Promise<string> {
  return flag ?? (await import('../../images/db/database.js')).defaultDbPath(ctx.env);
}

/** Opens an existing database, or fails with an input error naming the import command. */
export async function openExistingDb(ctx: CliContext, flag: string | undefined): Promise<VulnDatabase> {
  const file = await resolveDbPath(ctx, flag);
  if (!existsSync(file)) throw new InputError('input.notFound', `no vulnerability database at ${file}; load one with 'kubeward db import <dir|zip>'`, { file });
  const { VulnDatabase } = await import('../../images/db/database.js');
  return VulnDatabase.open(file);
}

function renderStatus(s: DbStatus): string {
  const lines = [`database ${s.path} (schema ${s.schemaVersion}): ${s.records} records, ${s.verdicts} cached image verdicts`];
  if (s.ecosystems.length === 0) lines.push('no records; load some with kubeward db import <dir|zip>');
  else {
    const rows = [['ECOSYSTEM', 'RECORDS', 'WITHDRAWN', 'NEWEST MODIFIED', 'IMPORTED', 'AGE']];
    for (const e of s.ecosystems) {
      rows.push([e.ecosystem, String(e.records), String(e.withdrawn), e.newestModified ?? '-', e.importedAt ?? '-', e.ageDays !== undefined ? `${e.ageDays}d` : '-']);
    }
    const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) lines.push(r.map((c, i) => c.padEnd(w[i]!)).join('  ').trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

export function registerDb(program: Command, ctx: CliContext): void {
  const db = program.command('db').description('manage the local OSV vulnerability database used by image scanning');

  db.command('import')
    .description('load OSV records: a folder of JSON files, an all.zip, or a folder of <Ecosystem>/all.zip archives')
    .argument('<source>', 'folder, .zip or .json file')
    .option('--db <file>', 'database file (default: $XDG_CACHE_HOME/kubeward/osv.db or ~/.cache/kubeward/osv.db)')
    .option('-f, --format <format>', 'text or json', oneOf(['text', 'json'] as const), 'text')
    .action(async (source: string, flags: { db?: string; format: 'text' | 'json' }) => {
      const file = await resolveDbPath(ctx, flags.db);
      const { VulnDatabase } = await import('../../images/db/database.js');
      const { importOsv } = await import('../../images/db/import.js');
      const store = VulnDatabase.open(file);
      try {
        const r = importOsv(store, source);
        if (flags.format === 'json') ctx.stdout(`${JSON.stringify({ database: file, ...r }, null, 2)}\n`);
        else {
          for (const s of r.skipped) ctx.stderr(`skipped ${s.source}${s.id !== undefined ? ` (${s.id})` : ''}: ${s.reason}\n`);
          const ecos = Object.entries(r.ecosystems)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([e, n]) => `${e} ${n}`)
            .join(', ');
          ctx.stdout(
            `imported ${r.read} records into ${file} (${r.inserted} new, ${r.updated} updated, ${r.unchanged} unchanged, ${r.older} older than stored)${ecos ? `: ${ecos}` : ''}; ${r.skipped.length} skipped\n`,
          );
        }
        // Skipped records are reported, and make the exit status say the input was not entirely usable.
        ctx.exitCode = r.skipped.length > 0 ? 2 : 0;
      } finally {
        store.close();
      }
    });

  db.command('status')
    .description('show ecosystems, record counts and age of the local database')
    .option('--db <file>', 'database file (default: $XDG_CACHE_HOME/kubeward/osv.db or ~/.cache/kubeward/osv.db)')
    .option('-f, --format <format>', 'text or json', oneOf(['text', 'json'] as const), 'text')
    .action(async (flags: { db?: string; format: 'text' | 'json' }) => {
      const store = await openExistingDb(ctx, flags.db);
      try {
        const s = store.status();
        ctx.stdout(flags.format === 'json' ? `${JSON.stringify(s, null, 2)}\n` : renderStatus(s));
        ctx.exitCode = 0;
      } finally {
        store.close();
      }
    });
}
