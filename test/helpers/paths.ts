/** Paths tests need: the repository root and the shared fixtures beside it. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedFixtures = resolve(repoRoot, '../shared/fixtures');

/** The shared fixtures folder, or undefined (with a printed notice) when it is absent. */
export function sharedFixturesOrNotice(what: string): string | undefined {
  if (existsSync(sharedFixtures)) return sharedFixtures;
  console.log(`NOTICE: ${sharedFixtures} is absent; skipping ${what}`);
  return undefined;
}

/** Every `.yaml`/`.yml` file below `dir`, recursively; hidden folders and node_modules are skipped. */
export function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}
