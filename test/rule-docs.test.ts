/** docs/rules.md is generated from the rules' meta and must stay in step with it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../src/rules/registry.js';
import { renderRuleDocs } from '../src/report/rule-docs.js';
import { repoRoot } from './helpers/paths.js';

test('docs/rules.md matches the catalog', () => {
  const file = join(repoRoot, 'docs/rules.md');
  const text = renderRuleDocs(RULES);
  if (process.env['UPDATE_DOCS'] === '1' || !existsSync(file)) {
    if (process.env['UPDATE_DOCS'] !== '1') assert.fail('docs/rules.md is missing (UPDATE_DOCS=1 regenerates it)');
    writeFileSync(file, text);
    return;
  }
  assert.equal(readFileSync(file, 'utf8'), text, 'docs/rules.md is stale: regenerate with UPDATE_DOCS=1');
});
