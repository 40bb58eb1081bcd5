/** The fast block-YAML locator must agree with the event-based one wherever it answers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import fc from 'fast-check';
import { splitYamlDocuments } from './yaml-split.js';
import { locateInYaml, locateWithEvents } from './yaml-locate.js';
import { locateInBlockYaml } from './yaml-block-locate.js';
import { generateCluster } from '../../bench/generate.js';
import { repoRoot, yamlFiles } from '../../test/helpers/paths.js';

/** Every path in a value, plus a missing child under each mapping. */
function paths(v: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  out.push(prefix);
  if (Array.isArray(v)) {
    v.forEach((x, i) => paths(x, [...prefix, String(i)], out));
    out.push([...prefix, String(v.length)]);
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
    out.push([...prefix, 'noSuchField']);
  }
  return out;
}

function agree(text: string, value: unknown): { answered: number; total: number } {
  let answered = 0;
  let total = 0;
  for (const segs of paths(value)) {
    total++;
    const fast = locateInBlockYaml(text, segs);
    if (fast < 0) continue;
    answered++;
    assert.equal(fast, locateWithEvents(text, segs), `pointer /${segs.join('/')} in:\n${text}`);
  }
  return { answered, total };
}

test('agrees with the event locator on the examples and every rule fixture', async () => {
  const { load } = await import('js-yaml');
  let answered = 0;
  let total = 0;
  for (const f of [...yamlFiles(join(repoRoot, 'examples')), ...yamlFiles(join(repoRoot, 'src/rules'))]) {
    for (const d of splitYamlDocuments(readFileSync(f, 'utf8'))) {
      const r = agree(d.text, load(d.text));
      answered += r.answered;
      total += r.total;
    }
  }
  console.log(`block locator answered ${answered} of ${total} pointers; all agree with the event locator`);
  assert.ok(answered > total * 0.5);
});

test('agrees on generated kubectl-style documents (property)', () => {
  let answered = 0;
  let total = 0;
  const count = (r: { answered: number; total: number }): void => {
    answered += r.answered;
    total += r.total;
  };
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
      for (const o of generateCluster({ objects: 12, seed })) {
        count(agree(dump(o, { noRefs: true, lineWidth: -1 }), o));
        // Same object, sequences not indented under their keys (kubectl's style).
        count(agree(dump(o, { noRefs: true, lineWidth: -1, seqNoIndent: true }), o));
      }
    }),
    { numRuns: 40 },
  );
  // Generated documents are plain block style: the fast locator must place every pointer.
  assert.ok(total > 1000 && answered === total, `block locator answered ${answered} of ${total} pointers`);
});

test('gives up on what it does not handle', () => {
  assert.equal(locateInBlockYaml('a: {b: 1}\n', ['a', 'b']), -1);
  assert.equal(locateInBlockYaml('a: &x\n  b: 1\n', ['a', 'b']), -1);
  assert.equal(locateInBlockYaml('"a": 1\n', ['a']), -1);
  assert.equal(locateInBlockYaml('{a: 1}\n', ['a']), -1);
  assert.equal(locateInBlockYaml('a:\n\t- 1\n', ['a', '0']), -1);
});

test('a quoted key is located at its opening quote, by either locator', () => {
  const t = "spec:\n  containers:\n  - name: c\n    securityContext:\n      'privileged': true\n      \"runAsUser\": 0\n    ports: [{'hostPort': 80}]\n";
  assert.equal(locateInYaml(t, ['spec', 'containers', '0', 'securityContext', 'privileged']), t.indexOf("'privileged'"));
  assert.equal(locateInYaml(t, ['spec', 'containers', '0', 'securityContext', 'runAsUser']), t.indexOf('"runAsUser"'));
  assert.equal(locateWithEvents(t, ['spec', 'containers', '0', 'securityContext', 'privileged']), t.indexOf("'privileged'"));
  assert.equal(locateInYaml(t, ['spec', 'containers', '0', 'ports', '0', 'hostPort']), t.indexOf("'hostPort'"));
});

test('a quoted sequence item is located at its opening quote, by either locator', () => {
  const t = "rules:\n  - apiGroups:\n    - '*'\n    verbs: [\"*\", 'get', list]\n";
  for (const locate of [locateInYaml, locateWithEvents]) {
    assert.equal(locate(t, ['rules', '0', 'apiGroups', '0']), t.indexOf("'*'"));
    assert.equal(locate(t, ['rules', '0', 'verbs', '0']), t.indexOf('"*"'));
    assert.equal(locate(t, ['rules', '0', 'verbs', '1']), t.indexOf("'get'"));
    assert.equal(locate(t, ['rules', '0', 'verbs', '2']), t.indexOf('list'));
  }
});

test('tabs the event parser refuses inside flow collections still locate exactly', () => {
  const t = 'spec:\n  containers:\n  - name: c\n    securityContext: {privileged:\ttrue}\n';
  assert.equal(locateInYaml(t, ['spec', 'containers', '0', 'securityContext', 'privileged']), t.indexOf('privileged'));
});

test('a flow collection closed at its parent indentation (go-yaml reads it, js-yaml 5 events refuse it) still locates its keys', () => {
  const t = 'spec:\n  containers: [\n    {name: c, image: x, securityContext: {privileged: true}}\n  ]\n';
  assert.equal(locateInYaml(t, ['spec', 'containers', '0', 'securityContext', 'privileged']), t.indexOf('privileged'));
  // a later item cannot be told apart by keys: its sequence stands for it
  assert.equal(locateInYaml(t, ['spec', 'containers', '1', 'image']), t.indexOf('containers'));
});
