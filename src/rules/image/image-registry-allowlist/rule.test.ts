/**
 * The allowlist rule only fires with a configured `registryAllowlist`, which the shared
 * rule tester does not pass; this runs the rule's fixtures with `fixtures/settings.json`,
 * with the same pass/fail/expected contract.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadText } from '../../../load/index.js';
import { buildModel } from '../../../model/cluster.js';
import { runRules } from '../../run.js';
import type { RuleSettings } from '../../settings.js';
import rule from './rule.js';

const dir = dirname(fileURLToPath(import.meta.url));
const rulesDir = join(dir, '../..');
const settings = JSON.parse(readFileSync(join(dir, 'fixtures/settings.json'), 'utf8')) as Partial<RuleSettings>;

function run(file: string, withSettings: boolean): Array<Record<string, unknown>> {
  const loaded = loadText(readFileSync(file, 'utf8'), relative(rulesDir, file));
  return runRules(buildModel(loaded.resources), [rule], withSettings ? { settings } : {}).map((f) => ({
    messageId: f.messageId,
    severity: f.severity,
    resource: `${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name}`,
    line: f.location.line,
    column: f.location.column,
    pointer: f.pointer,
    message: f.message,
  }));
}

const yamls = (sub: string): string[] => readdirSync(join(dir, 'fixtures', sub)).filter((f) => f.endsWith('.yaml')).sort();

for (const f of yamls('pass')) {
  test(`image-registry-allowlist pass/${f} with settings`, () => {
    assert.deepEqual(run(join(dir, 'fixtures/pass', f), true), []);
  });
}
for (const f of yamls('fail')) {
  test(`image-registry-allowlist fail/${f} with settings`, () => {
    const expected = JSON.parse(readFileSync(join(dir, 'fixtures/fail', f.replace(/\.yaml$/, '.expected.json')), 'utf8')) as unknown;
    assert.deepEqual(run(join(dir, 'fixtures/fail', f), true), expected);
  });
  test(`image-registry-allowlist fail/${f} reports nothing without an allowlist`, () => {
    assert.deepEqual(run(join(dir, 'fixtures/fail', f), false), []);
  });
}
