/**
 * Scan benchmark: a generated 50,000-object block-style YAML file scanned end to end
 * (all rules, JSON report with locations) against js-yaml parsing the same file, and a
 * 100,000-object `kubectl get -o json`-style List. Prints objects/second and peak memory.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dump } from 'js-yaml';
import { generateCluster } from './generate.js';
import { fmt, median } from './util.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const cacheDir = join(root, '.cache/bench');

function ensureInputs(): { yamlFile: string; jsonFile: string } {
  mkdirSync(cacheDir, { recursive: true });
  const yamlFile = join(cacheDir, 'cluster-50k.yaml');
  const jsonFile = join(cacheDir, 'cluster-100k.json');
  if (!existsSync(yamlFile)) {
    const text = generateCluster({ objects: 50_000, seed: 42 })
      .map((o) => dump(o, { noRefs: true, lineWidth: -1 }))
      .join('---\n');
    writeFileSync(yamlFile, text);
  }
  if (!existsSync(jsonFile)) {
    writeFileSync(jsonFile, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: generateCluster({ objects: 100_000, seed: 7 }) }, null, 2));
  }
  return { yamlFile, jsonFile };
}

/**
 * Runs a full CLI scan in a fresh process, writing the report to a file as a user would
 * (`--output`); returns wall time and peak RSS (getrusage). The findings are counted after.
 */
function scanInProcess(file: string): { ms: number; peakMiB: number; findings: number } {
  const report = join(cacheDir, 'report.json');
  const script = `
    const t0 = performance.now();
    const { runMain } = await import(${JSON.stringify(join(root, 'dist/cli/main.js'))});
    const code = await runMain(['scan', ${JSON.stringify(file)}, '--no-config', '--format', 'json', '--fail-on', 'none', '--output', ${JSON.stringify(report)}], {
      stdout: () => {}, stderr: () => {}, readStdin: async () => '', isTTY: false, env: {}, cwd: process.cwd(), exitCode: 0 });
    const ms = performance.now() - t0;
    const peak = process.resourceUsage().maxRSS / 1024;
    console.log(JSON.stringify({ ms, peakMiB: peak, code }));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr);
  const measured = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { ms: number; peakMiB: number };
  const findings = (JSON.parse(readFileSync(report, 'utf8')) as { findings: unknown[] }).findings.length;
  return { ...measured, findings };
}

/** How each parse-only reference is loaded and what it runs on the text. */
const PARSERS = {
  'js-yaml': { setup: `const { loadAll } = await import('js-yaml');`, parse: 'loadAll(text);' },
  'js-yaml-v4': { setup: `const { loadAll } = await import('js-yaml-v4');`, parse: 'loadAll(text);' },
  block: {
    setup: `const { splitYamlDocuments } = await import(${JSON.stringify(join(root, 'dist/load/yaml-split.js'))});
    const { parseBlockDocument } = await import(${JSON.stringify(join(root, 'dist/load/block-yaml.js'))});`,
    parse: 'for (const d of splitYamlDocuments(text)) parseBlockDocument(d.text, 200);',
  },
} as const;

/**
 * A parser reading the same file in a fresh process, as the scan runs: both start with a cold
 * JIT, so neither is flattered by code the other warmed up. Reading the file is not timed.
 */
function parseOnly(file: string, parser: keyof typeof PARSERS): number {
  const { setup, parse } = PARSERS[parser];
  const script = `
    import { readFileSync } from 'node:fs';
    ${setup}
    const text = readFileSync(${JSON.stringify(file)}, 'utf8');
    text.charCodeAt(0);
    const t0 = performance.now();
    ${parse}
    console.log(performance.now() - t0);
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: root });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout.trim());
}

export async function run(): Promise<void> {
  if (!existsSync(join(root, 'dist/cli/main.js'))) throw new Error('run `npm run build` first');
  const { yamlFile, jsonFile } = ensureInputs();
  const mb = (f: string): string => fmt(statSync(f).size / 1e6);
  console.log(`scan benchmark (node ${process.version})`);
  // Three runs of each, alternated; medians. Parse-only references: js-yaml 5 (the current
  // release, the reference), js-yaml 4 (the loader's fallback) and the loader's block parser.
  const parses: number[] = [];
  const parsesV4: number[] = [];
  const parsesBlock: number[] = [];
  const scans: Array<{ ms: number; peakMiB: number; findings: number }> = [];
  for (let i = 0; i < 3; i++) {
    parses.push(parseOnly(yamlFile, 'js-yaml'));
    parsesV4.push(parseOnly(yamlFile, 'js-yaml-v4'));
    parsesBlock.push(parseOnly(yamlFile, 'block'));
    scans.push(scanInProcess(yamlFile));
  }
  const parse = median(parses);
  const parseV4 = median(parsesV4);
  const yamlScan = scans.find((x) => x.ms === median(scans.map((y) => y.ms))) as { ms: number; peakMiB: number; findings: number };
  console.log(`  50,000 objects, block YAML (${mb(yamlFile)} MB)`);
  console.log(`    js-yaml 5 loadAll, parse only : ${fmt(parse, 0)} ms (fresh process; median of 3)`);
  console.log(`    js-yaml 4 loadAll, parse only : ${fmt(parseV4, 0)} ms (the loader's fallback; median of 3)`);
  console.log(`    block parser, parse only      : ${fmt(median(parsesBlock), 0)} ms (the loader's first parser, block-yaml.ts; median of 3)`);
  console.log(`    kubeward scan, end to end     : ${fmt(yamlScan.ms, 0)} ms, median of 3  (${fmt(50_000 / (yamlScan.ms / 1000), 0)} objects/s, ${yamlScan.findings} findings, peak RSS ${fmt(yamlScan.peakMiB, 0)} MiB)`);
  console.log(`    ratio scan / js-yaml 5 parse  : ${fmt(yamlScan.ms / parse, 2)}x  (target <= 2x, peak < 1536 MiB)`);
  console.log(`    ratio scan / js-yaml 4 parse  : ${fmt(yamlScan.ms / parseV4, 2)}x`);
  const listScan = scanInProcess(jsonFile);
  console.log(`  100,000 objects, kubectl-style JSON List (${mb(jsonFile)} MB)`);
  console.log(`    kubeward scan, end to end   : ${fmt(listScan.ms, 0)} ms  (${fmt(100_000 / (listScan.ms / 1000), 0)} objects/s, ${listScan.findings} findings, peak RSS ${fmt(listScan.peakMiB, 0)} MiB; target < 5000 ms)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await run();
}
