/** Paths tests need: the repository root and the shared fixtures beside it. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedFixtures = resolve(repoRoot, '../shared/fixtures');

/** The shared fixtures folder, or undefined (with a printed notice) when it is absent. */
export function sharedFixturesOrNotice(what: string): string | undefined {
  if (existsSync(sharedFixtures)) return sharedFixtures;
  console.log(`NOTICE: ${sharedFixtures} is absent; skipping ${what}`);
  return undefined;
}
