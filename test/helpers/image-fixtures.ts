/** Test helpers: locating the shared image fixtures and loading their OSV records. Used by tests only. */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OsvRecord } from '../../src/images/osv/types.js';
import { validateOsvRecord } from '../../src/images/osv/validate.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const imageFixtures = path.resolve(repoRoot, '../shared/fixtures/images');
export const osvFixtures = path.join(imageFixtures, 'osv');
export const fixturesPresent = existsSync(imageFixtures);

/** Every OSV fixture record (validated; throws on an invalid one), sorted by id. */
export function loadFixtureRecords(): OsvRecord[] {
  const out: OsvRecord[] = [];
  for (const dir of readdirSync(osvFixtures).sort()) {
    const full = path.join(osvFixtures, dir);
    if (dir === 'schema' || !statSync(full).isDirectory()) continue;
    for (const f of readdirSync(full).filter((x) => x.endsWith('.json'))) {
      const v = validateOsvRecord(JSON.parse(readFileSync(path.join(full, f), 'utf8')));
      if (!v.ok) throw new Error(`${dir}/${f}: ${v.reasons.join('; ')}`);
      out.push(v.record);
    }
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : 1));
}
