import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { batched, prettyJson, writePrettyJson } from './json-stream.js';

const reference = (v: unknown): string => JSON.stringify(v, null, 2) + '\n';

test('prettyJson is JSON.stringify(v, null, 2) plus a newline, at every depth', () => {
  const values: unknown[] = [
    { a: 1, b: [1, 2, { c: 'x\ny' }], d: {}, e: [], f: null },
    { skipped: undefined, fn: () => 1, kept: true, date: new Date(0), nested: { arr: [undefined, () => 2, { deep: [[], [{}]] }] } },
    [],
    {},
    [1, [2, [3, [4]]]],
    'text',
    42,
    { findings: [{ ruleId: 'r', location: { file: 'a.yaml', line: 1, column: 1 } }], summary: { total: 1 } },
  ];
  for (const v of values) for (const depth of [0, 1, 2, 3, 6]) assert.equal(prettyJson(v, depth), reference(v), `depth ${depth}: ${reference(v)}`);
});

test('prettyJson matches JSON.stringify on random JSON values', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 5 }), (v, depth) => prettyJson(v, depth) === reference(v)),
    { numRuns: 500 },
  );
});

test('writePrettyJson hands out pieces of about 64 KiB, never the whole of a large value', () => {
  const findings = Array.from({ length: 20_000 }, (_, i) => ({ ruleId: `rule-${i % 7}`, message: 'm'.repeat(100), location: { file: 'f.yaml', line: i, column: 1 } }));
  const value = { findings, summary: { total: findings.length } };
  const pieces: string[] = [];
  writePrettyJson(value, (c) => pieces.push(c), 2);
  assert.ok(pieces.length >= 4, `${pieces.length} pieces`);
  for (const p of pieces) assert.ok(p.length < 96 * 1024, `piece of ${p.length} characters`);
  assert.equal(pieces.join(''), reference(value));
});

test('a value with no JSON form is refused', () => {
  assert.throws(() => prettyJson(undefined), /no JSON form/);
});

test('batched gathers small pieces and passes large ones through, in order', () => {
  const out: string[] = [];
  const sink = batched((c) => out.push(c));
  sink.write('a');
  sink.write('b');
  const big = 'x'.repeat(1 << 16);
  sink.write(big);
  sink.write('c');
  assert.deepEqual(out, ['ab', big], 'what was pending goes first, then the large piece on its own');
  sink.flush();
  assert.deepEqual(out, ['ab', big, 'c']);
  sink.flush();
  assert.equal(out.length, 3, 'nothing left to flush');
});
