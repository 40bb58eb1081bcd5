/**
 * The one rule tester. For every rule folder `src/rules/<category>/<id>/`:
 * - the folder name is the rule id and the rule is in the registry;
 * - `fixtures/settings.json`, when present, holds the rule settings all its fixtures run with;
 * - `fixtures/pass/*.yaml` produce no finding of this rule;
 * - `fixtures/fail/X.yaml` produce exactly `fixtures/fail/X.expected.json`
 *   (UPDATE_FIXTURES=1 writes the expected files; review the diff);
 * - meta is complete: docs, references, at least one pass and one fail fixture,
 *   every message id used by some expected output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadText } from '../load/index.js';
import { buildModel } from '../model/cluster.js';
import { RULES } from './registry.js';
import { runRules } from './run.js';
import { messageSeverities, type Rule } from './define.js';
import type { RuleSettings } from './settings.js';

const rulesDir = dirname(fileURLToPath(import.meta.url));
const update = process.env['UPDATE_FIXTURES'] === '1';

function ruleFolders(): Array<{ id: string; dir: string; category: string }> {
  const out: Array<{ id: string; dir: string; category: string }> = [];
  for (const category of readdirSync(rulesDir, { withFileTypes: true })) {
    if (!category.isDirectory()) continue;
    for (const r of readdirSync(join(rulesDir, category.name), { withFileTypes: true })) {
      const dir = join(rulesDir, category.name, r.name);
      if (r.isDirectory() && existsSync(join(dir, 'rule.ts'))) out.push({ id: r.name, dir, category: category.name });
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

function yamlFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort() : [];
}

function run(rule: Rule, file: string, settings?: Partial<RuleSettings>): Array<Record<string, unknown>> {
  const text = readFileSync(file, 'utf8');
  const loaded = loadText(text, file.slice(rulesDir.length + 1));
  assert.deepEqual(loaded.problems.filter((p) => p.level === 'error'), [], `fixture ${file} must load cleanly`);
  const findings = runRules(buildModel(loaded.resources), [rule], settings ? { settings } : {});
  return findings.map((f) => {
    const o: Record<string, unknown> = {
      messageId: f.messageId,
      severity: f.severity,
      resource: `${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name}`,
      line: f.location.line,
      column: f.location.column,
      pointer: f.pointer,
      message: f.message,
    };
    if (f.fix) o['fix'] = f.fix;
    return o;
  });
}

const folders = ruleFolders();
const registered = new Map(RULES.map((r) => [r.id, r]));

test('every rule folder is registered and every registered rule has a folder', () => {
  assert.deepEqual(folders.map((f) => f.id).sort(), [...registered.keys()].sort());
  assert.equal(registered.size, RULES.length, 'duplicate rule ids');
});

for (const { id, dir, category } of folders) {
  const rule = registered.get(id);
  test(`rule ${id}`, async (t) => {
    assert.ok(rule, `${id} is not in the registry`);
    assert.equal(rule.id, id);
    assert.equal(rule.meta.category, category, 'folder category matches meta.category');
    assert.ok(rule.meta.docs.description.length > 20 && rule.meta.docs.remediation.length > 10, 'docs present');
    assert.ok(rule.meta.references.length > 0, 'references present');
    const pass = yamlFiles(join(dir, 'fixtures/pass'));
    const fail = yamlFiles(join(dir, 'fixtures/fail'));
    assert.ok(pass.length > 0, 'at least one pass fixture');
    assert.ok(fail.length > 0, 'at least one fail fixture');
    const settingsFile = join(dir, 'fixtures/settings.json');
    const settings = existsSync(settingsFile) ? (JSON.parse(readFileSync(settingsFile, 'utf8')) as Partial<RuleSettings>) : undefined;
    const usedMessages = new Set<string>();
    for (const f of pass) {
      await t.test(`pass/${f}`, () => {
        assert.deepEqual(run(rule, join(dir, 'fixtures/pass', f), settings), []);
      });
    }
    for (const f of fail) {
      await t.test(`fail/${f}`, () => {
        const actual = run(rule, join(dir, 'fixtures/fail', f), settings);
        assert.ok(actual.length > 0, 'a fail fixture must produce findings');
        for (const a of actual) usedMessages.add(String(a['messageId']));
        for (const a of actual) {
          const allowed: readonly string[] = messageSeverities(rule, String(a['messageId']));
          assert.ok(allowed.includes(String(a['severity'])), `${String(a['messageId'])} reported at ${String(a['severity'])}, documented as ${allowed.join(' or ')} (meta.severities)`);
        }
        const expectedFile = join(dir, 'fixtures/fail', f.replace(/\.yaml$/, '.expected.json'));
        if (update || !existsSync(expectedFile)) {
          if (!update) assert.fail(`missing ${expectedFile} (run with UPDATE_FIXTURES=1)`);
          writeFileSync(expectedFile, JSON.stringify(actual, null, 2) + '\n');
          return;
        }
        assert.deepEqual(actual, JSON.parse(readFileSync(expectedFile, 'utf8')));
      });
    }
    for (const m of Object.keys(rule.meta.messages)) {
      assert.ok(usedMessages.has(m), `message id "${m}" is never produced by a fail fixture`);
    }
  });
}
