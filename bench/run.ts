/** `npm run bench`: every benchmark in turn (or those named: `npm run bench -- scan pss`). */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const skip = new Set(['run.ts', 'generate.ts', 'util.ts']);
const wanted = process.argv.slice(2);
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !skip.has(f) && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3))
  .filter((n) => wanted.length === 0 || wanted.includes(n))
  .sort();

let failed = 0;
for (const name of names) {
  const mod = (await import(`./${name}.js`)) as { run?: () => Promise<void> };
  if (typeof mod.run !== 'function') continue;
  console.log(`\n=== ${name} ===`);
  try {
    await mod.run();
  } catch (e: unknown) {
    failed++;
    console.error(`bench ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
