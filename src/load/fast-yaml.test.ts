import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import fc from 'fast-check';
import { generateCluster } from '../../bench/generate.js';
import { dump } from 'js-yaml';
import { repoRoot, sharedFixturesOrNotice, yamlFiles } from '../../test/helpers/paths.js';
import { deeperThan, fastLoadAll, KUBERNETES_YAML_SCHEMA } from './fast-yaml.js';

type Outcome = { ok: true; value: unknown } | { ok: false };

function viaV5(text: string): Outcome {
  try {
    return { ok: true, value: loadAll(text, { schema: KUBERNETES_YAML_SCHEMA }) };
  } catch {
    return { ok: false };
  }
}

function viaFast(text: string): Outcome {
  const value = fastLoadAll(text);
  return value === undefined ? { ok: false } : { ok: true, value };
}

/**
 * Both parsers give the same values, or both reject; a stream js-yaml 5 rejects must not load
 * through the fast path. The fast parser may decline a stream js-yaml 5 reads (the loader then
 * uses js-yaml 5); the return value says whether the fast path read it, for callers that
 * require it.
 */
function assertSame(text: string, what: string): boolean {
  const a = viaV5(text);
  const b = viaFast(text);
  if (a.ok && b.ok) assert.deepEqual(b.value, a.value, what);
  else if (!a.ok) assert.equal(b.ok, false, `${what}: js-yaml 5 rejects it, the fast path must too`);
  return a.ok && b.ok;
}

/** Both parsers read `text`, to the same values. */
function assertRead(text: string, what: string): void {
  assert.ok(assertSame(text, what), `${what}: both parsers read it`);
}

test('the fast parser reads every YAML file in the repository as the js-yaml 5 schema does', () => {
  const files = yamlFiles(repoRoot);
  assert.ok(files.length > 100, `${files.length} files`);
  for (const f of files) assertRead(readFileSync(f, 'utf8'), f);
});

test('the fast parser reads the shared fixtures as the js-yaml 5 schema does', (t) => {
  const shared = sharedFixturesOrNotice('the YAML parser equivalence over the shared fixtures');
  if (!shared) return t.skip('no ../shared');
  const files = yamlFiles(shared);
  let compared = 0;
  for (const f of files) if (assertSame(readFileSync(f, 'utf8'), f)) compared++;
  console.log(`fast parser: ${compared} of ${files.length} shared fixture files read alike (the rest rejected by both, or left to js-yaml 5)`);
  assert.ok(compared > files.length * 0.9, `${compared} of ${files.length} compared`);
});

test('YAML 1.1 scalars, merge keys and odd keys resolve alike', () => {
  const scalars = [
    'yes', 'Yes', 'YES', 'no', 'No', 'on', 'On', 'OFF', 'off', 'y', 'Y', 'n', 'N', 'true', 'False', 'TRUE',
    '0755', '0644', '0o17', '0x1F', '0X1f', '0b1010', '-0b11', '1_000', '+12', '-0', '00', '08', '09', '0.5', '.5', '5.',
    '190:20:30', '-1:30', '190:20:30.15', '1e3', '1E-3', '1.5e+3', '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '1_0.5',
    '~', 'null', 'Null', 'NULL', '', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '0x', '0b', '_1', '1__2', '0_7', ':30', '3:', 'ab:cd',
    '"0755"', "'yes'", '!!str 0755', '!!int "12"', '!!float 1', '!!bool "yes"', '12.0', '-.5', '+.5',
  ];
  // One document per scalar: a scalar either parser rejects must not hide the others.
  let read = 0;
  for (const v of scalars) {
    const a = viaV5(`k: ${v}\n`);
    const b = viaFast(`k: ${v}\n`);
    assert.equal(b.ok, a.ok, `${JSON.stringify(v)}: read by both or by neither`);
    if (a.ok && b.ok) {
      assert.deepEqual(b.value, a.value, JSON.stringify(v));
      read++;
    }
  }
  assert.ok(read >= scalars.length - 4, `${read} of ${scalars.length} scalars read by both`);
  assertRead('list: [' + scalars.filter((v) => !v.startsWith('!!') && v !== '' && !v.endsWith(':')).join(', ') + ']\n', 'flow sequence of scalars');
  assertRead('m1:\n  <<: {a: 1, b: 2}\n  b: 9\nm2:\n  <<: [{a: 1, b: 2}, {c: 3}]\n  c: 0\n', 'merge keys');
  const anchored = 'base: &b {a: 1, b: 2}\nother: &o {c: 3}\nm1:\n  <<: *b\n  b: 9\nm2:\n  <<: [*b, *o]\n  c: 0\n';
  assert.equal(fastLoadAll(anchored), undefined, 'anchors are left to js-yaml 5, whose alias limit applies');
  assert.equal(viaV5(anchored).ok, true);
  assertRead('__proto__: {polluted: true}\nconstructor: x\n"a b": 1\n1: one\nyes: b\n~: c\n0755: d\n', 'odd keys');
  for (const complex of ['? [complex]\n: v\n', 'a: 1\n[x, y]: v\n', 'a: 1\n{x: 1}: v\n', 'k: &a [1]\n*a : v\n', 'm: {? [a] : b}\n'])
    assertSame(complex, `collection key ${JSON.stringify(complex)}`);
  assert.equal(fastLoadAll('url: "http://x/?a=1"\nq: "what? [x]: y"\n'), undefined, 'prose that looks like a key only costs the faster path');
  assert.deepEqual(fastLoadAll('url: http://x/?a=1\nlist: [a, b]\n'), [{ url: 'http://x/?a=1', list: ['a', 'b'] }]);
  const odd = (fastLoadAll('__proto__: {polluted: true}\n') as Array<Record<string, unknown>>)[0] as Record<string, unknown>;
  assert.ok(Object.hasOwn(odd, '__proto__'), '__proto__ is an ordinary key');
  assert.equal(Object.getPrototypeOf(odd), Object.prototype, 'and the value keeps its prototype');
  assertSame('a: 1\na: 2\n', 'duplicate keys');
  assertSame('a: [1, 2\n', 'unclosed flow');
  assertRead('---\na: 1\n...\n---\n# only a comment\n---\nb: 2\n', 'document markers');
  assert.equal(viaV5('b: !!binary aGVsbG8=\n').ok, false, 'an unknown tag is an error to js-yaml 5');
  assertSame('b: !!binary aGVsbG8=\n', 'unknown tag');
});

test('generated clusters and random plain scalars resolve alike', () => {
  const text = generateCluster({ objects: 3000, seed: 11 })
    .map((o) => dump(o, { noRefs: true, lineWidth: -1 }))
    .join('---\n');
  assertRead(text, 'generated cluster');
  const scalar = fc.stringMatching(/^[-+._:0-9a-fA-FoxXbBeEnNyYsStTrRuU~]{0,10}$/);
  fc.assert(
    fc.property(fc.array(scalar, { minLength: 1, maxLength: 8 }), (values) => {
      assertSame(values.map((v, i) => `k${i}: ${v}`).join('\n') + '\n', JSON.stringify(values));
    }),
    { numRuns: 2000 },
  );
});

test('depth is measured on the values, aliases walked as copies', () => {
  let deep: unknown = 'leaf';
  for (let i = 0; i < 10; i++) deep = [deep];
  assert.equal(deeperThan(deep, 10), false);
  assert.equal(deeperThan(deep, 9), true);
  assert.equal(deeperThan({ a: { b: 1 } }, 2), false);
  assert.equal(deeperThan({ a: { b: {} } }, 2), true);
  const shared = { x: [[[1]]] };
  assert.equal(deeperThan({ a: shared, b: { c: shared } }, 5), true, 'the deeper path through the shared node counts');
});
