/**
 * Rule catalog throughput: a deterministic synthetic cluster (bench/generate.ts) is modelled
 * once, then every rule of the catalog runs over it, alone and all together. Prints
 * objects/second for the whole catalog and the slowest rules. Loading is measured by the
 * scan benchmark; this one isolates the rules.
 */
import { fileURLToPath } from 'node:url';
import { buildModel } from '../src/model/cluster.js';
import { RULES } from '../src/rules/registry.js';
import { resourceFromObject, runRules } from '../src/rules/run.js';
import { generateCluster } from './generate.js';
import { fmt } from './util.js';

/** Rules to leave out (comma-separated ids in BENCH_SKIP_RULES); by default every rule runs. */
const SKIP = (process.env['BENCH_SKIP_RULES'] ?? '').split(',').filter(Boolean);

export async function run(): Promise<void> {
  const rules = RULES.filter((r) => !SKIP.includes(r.id));
  if (SKIP.length > 0) console.log(`skipped rules: ${SKIP.join(', ')} (BENCH_SKIP_RULES)`);
  const objects = generateCluster({ objects: Number(process.env['BENCH_OBJECTS'] ?? 50_000), seed: 7 });
  const resources = objects.map((o, i) => ({ ...resourceFromObject(o, 'synthetic.yaml'), source: { file: 'synthetic.yaml', line: i + 1, column: 1, docIndex: i } }));
  let t = performance.now();
  const model = buildModel(resources);
  const modelMs = performance.now() - t;

  const perRule: Array<{ id: string; ms: number; findings: number }> = [];
  for (const rule of rules) {
    t = performance.now();
    const findings = runRules(model, [rule]).length;
    perRule.push({ id: rule.id, ms: performance.now() - t, findings });
  }
  // Whole catalog, best of three (the machine is shared).
  let best = Infinity;
  let total = 0;
  for (let i = 0; i < 3; i++) {
    t = performance.now();
    total = runRules(model, rules).length;
    best = Math.min(best, performance.now() - t);
  }
  console.log(`objects: ${objects.length}, workloads: ${model.workloads.length}, rules: ${rules.length}`);
  console.log(`model build: ${fmt(modelMs)} ms`);
  console.log(`all rules: ${fmt(best)} ms (best of 3), ${fmt(objects.length / (best / 1000), 0)} objects/s, ${total} findings`);
  console.log('slowest rules:');
  for (const r of perRule.sort((a, b) => b.ms - a.ms).slice(0, 8)) console.log(`  ${r.id.padEnd(34)} ${fmt(r.ms).padStart(8)} ms  ${r.findings} findings`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();
