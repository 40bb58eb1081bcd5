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
const FORBIDDEN = [/^node:/, /^(pino|@kubernetes\/client-node|better-sqlite3|tar-stream)$/, /^(\.\.\/)+(load|cli|admission|images|cluster|analysis)\//];

/**
 * The module specifiers a source names: static imports and re-exports (multi-line ones too),
 * with or without `import type`, and `import()` calls.
 */
function specifiers(text: string, options: { types: boolean; dynamic: boolean }): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^;'"]*?\sfrom\s+)?'([^']+)'/gm)) if (options.types || !m[1]) out.push(m[2] as string);
  if (options.dynamic) for (const m of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) out.push(m[1] as string);
  return out;
}

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
      for (const spec of specifiers(readFileSync(f, 'utf8'), { types: true, dynamic: true })) {
        if (FORBIDDEN.some((re) => re.test(spec))) offences.push(`${relative(repoRoot, f)}: ${spec}`);
      }
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

/** Packages that take long to import and serve only some commands: loaded when those run. */
const HEAVY = ['@kubernetes/client-node', 'better-sqlite3', 'prom-client', 'pino', '@peculiar/x509', 'ajv', 'tar-stream'];

/** Every module `entry` loads at start-up: static imports and re-exports, not `import type`, not `import()`. */
function staticClosure(entry: string): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const todo = [entry];
  while (todo.length > 0) {
    const f = todo.pop() as string;
    if (files.has(f)) continue;
    files.add(f);
    for (const s of specifiers(readFileSync(f, 'utf8'), { types: false, dynamic: false })) {
      if (s.startsWith('.')) todo.push(join(f, '..', s.replace(/\.js$/, '.ts')));
      else if (!s.startsWith('node:')) {
        const pkg = s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : (s.split('/')[0] as string);
        if (!packages.has(pkg)) packages.set(pkg, relative(repoRoot, f));
      }
    }
  }
  return { files, packages };
}

test('the CLI starts without the packages only some commands need', () => {
  const { files, packages } = staticClosure(join(repoRoot, 'src/cli/main.ts'));
  assert.ok(files.size > 100, `${files.size} modules load at start-up`);
  assert.ok(packages.has('commander') && packages.has('js-yaml'), 'the walk sees packages');
  const heavy = HEAVY.filter((p) => packages.has(p)).map((p) => `${p} (from ${packages.get(p)})`);
  assert.deepEqual(heavy, []);
});
