/**
 * The purity boundary: engines, rules and report renderers are plain data in, plain data out.
 * They import no Node built-in, no logger or cluster client, and nothing from the layers that
 * do I/O (load, cli, admission, images, cluster, analysis). Build tools under `tools/` folders
 * are scripts, not engine code, and are exempt.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './helpers/paths.js';

const PURE = ['src/engines', 'src/rules', 'src/report', 'src/model', 'src/config', 'src/core'];
const FORBIDDEN = [/from 'node:/, /from '(pino|@kubernetes\/client-node|better-sqlite3|tar-stream)'/, /from '(\.\.\/)+(load|cli|admission|images|cluster|analysis)\//];

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'fixtures' && name !== 'tools') sources(p, out);
    } else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

test('pure layers import no I/O', () => {
  const offences: string[] = [];
  let files = 0;
  for (const d of PURE) {
    for (const f of sources(join(repoRoot, d))) {
      files++;
      readFileSync(f, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/^\s*(import|export)\b/.test(line) && FORBIDDEN.some((re) => re.test(line))) offences.push(`${relative(repoRoot, f)}:${i + 1}: ${line.trim()}`);
        });
    }
  }
  assert.ok(files > 100, `checked ${files} files`);
  assert.deepEqual(offences, []);
});

test('the CLI is the only layer that touches process exit and the console', () => {
  const offences: string[] = [];
  for (const d of ['src/engines', 'src/rules', 'src/report', 'src/model', 'src/load', 'src/scan.ts']) {
    const p = join(repoRoot, d);
    const files = statSync(p).isDirectory() ? sources(p) : [p];
    for (const f of files) {
      readFileSync(f, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/process\.exit\(|console\.(log|error|warn)\(/.test(line) && !line.trim().startsWith('*') && !line.trim().startsWith('//')) offences.push(`${relative(repoRoot, f)}:${i + 1}: ${line.trim()}`);
        });
    }
  }
  assert.deepEqual(offences, []);
});
