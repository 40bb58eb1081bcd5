/**
 * Judge fixtures (../shared/fixtures/pss, see its README):
 * - the upstream Pod Security Admission test pods, at every level and version they apply to:
 *   `pass` pods must be allowed; `fail` pods denied, with the expected substring in the message;
 * - pods whose verdicts came from a real API server (v1.34) at baseline and restricted.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import type { KubeObject } from '../../core/types.js';
import type { PodSpec } from '../../model/workloads.js';
import { evaluatePod, formatFailures } from './index.js';
import type { PssLevel } from './index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = path.resolve(repoRoot, '../shared/fixtures/pss');
const present = existsSync(path.join(fixtures, 'cases.csv'));

function readPod(file: string): KubeObject {
  return load(readFileSync(file, 'utf8')) as KubeObject;
}

interface Case {
  level: PssLevel;
  version: string;
  expected: 'pass' | 'fail';
  checkId: string;
  file: string;
  substring: string;
}

function readCases(): Case[] {
  const lines = readFileSync(path.join(fixtures, 'cases.csv'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const header = lines.shift()!.split(',');
  const col = (name: string) => header.indexOf(name);
  return lines.map((line) => {
    const f = line.split(',');
    return {
      level: f[col('level')] as PssLevel,
      version: f[col('version')]!,
      expected: f[col('expected')] as 'pass' | 'fail',
      checkId: f[col('check_id')]!,
      file: f[col('file')]!,
      substring: f[col('expect_error_substring')] ?? '',
    };
  });
}

if (!present) {
  console.log('NOTICE: ../shared/fixtures absent; skipping PSS fixture tests');
  test.skip('PSS upstream fixtures (../shared/fixtures/pss absent)');
} else {
  test('upstream Pod Security Admission fixtures: every pod at every level/version', () => {
    const cases = readCases();
    // The index must describe exactly the files on disk.
    const onDisk: string[] = [];
    const root = path.join(fixtures, 'test/testdata');
    for (const level of readdirSync(root)) {
      const levelDir = path.join(root, level);
      if (!existsSync(levelDir) || level.includes('.')) continue;
      for (const version of readdirSync(levelDir))
        for (const expected of ['pass', 'fail'])
          for (const f of existsSync(path.join(levelDir, version, expected)) ? readdirSync(path.join(levelDir, version, expected)) : [])
            onDisk.push(`test/testdata/${level}/${version}/${expected}/${f}`);
    }
    assert.deepEqual(new Set(cases.map((c) => c.file)), new Set(onDisk), 'cases.csv and test/testdata disagree');

    const mismatches: string[] = [];
    let passCount = 0;
    let failCount = 0;
    for (const c of cases) {
      const pod = readPod(path.join(fixtures, c.file));
      const r = evaluatePod(pod.metadata ?? {}, (pod['spec'] ?? {}) as PodSpec, c.level, c.version);
      const message = formatFailures(r.failures);
      if (c.expected === 'pass') {
        passCount++;
        if (!r.allowed) mismatches.push(`${c.file}: expected allowed, got: ${message}`);
      } else {
        failCount++;
        const want = c.substring !== '' ? c.substring : c.checkId;
        if (r.allowed) mismatches.push(`${c.file}: expected denied (${c.checkId}), got allowed`);
        else if (!message.includes(want)) mismatches.push(`${c.file}: expected message containing ${JSON.stringify(want)}, got: ${message}`);
      }
      if (r.version !== c.version) mismatches.push(`${c.file}: evaluated as ${r.version}, not ${c.version}`);
    }
    console.log(`PSS upstream fixtures: ${cases.length} cases checked (${passCount} pass, ${failCount} fail), ${cases.length - mismatches.length} matched`);
    assert.deepEqual(mismatches.slice(0, 30), [], `${mismatches.length} upstream fixture mismatches`);
    assert.equal(cases.length, 4537);
  });

  test('real API server (v1.34) verdicts at baseline and restricted', () => {
    const dir = path.join(fixtures, 'apiserver-v1.34');
    const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Record<string, { baseline: boolean; restricted: boolean }>;
    const mismatches: string[] = [];
    let checked = 0;
    for (const [file, want] of Object.entries(expected).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const pod = readPod(path.join(dir, 'pods', file));
      for (const level of ['baseline', 'restricted'] as const) {
        checked++;
        const r = evaluatePod(pod.metadata ?? {}, (pod['spec'] ?? {}) as PodSpec, level, 'v1.34');
        if (r.allowed !== want[level]) {
          mismatches.push(`${file} ${level}: API server ${want[level] ? 'allowed' : 'denied'}, kubeward ${r.allowed ? 'allowed' : `denied: ${formatFailures(r.failures)}`}`);
        }
      }
    }
    console.log(`PSS API-server verdicts: ${checked} cases checked (${Object.keys(expected).length} pods x 2 levels), ${checked - mismatches.length} matched`);
    assert.deepEqual(mismatches.slice(0, 30), [], `${mismatches.length} API-server verdict mismatches`);
    assert.equal(checked, 1194);
  });
}
