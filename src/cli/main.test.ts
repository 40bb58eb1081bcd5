import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeChunked } from './main.js';

test('large output is written in pieces that never split a surrogate pair', () => {
  const emoji = '\u{1F512}'; // two UTF-16 units
  const text = 'a'.repeat((1 << 20) - 1) + emoji + 'b'.repeat(1 << 20) + emoji;
  const pieces: string[] = [];
  writeChunked({ write: (c: string) => pieces.push(c) }, text);
  assert.ok(pieces.length >= 3, `written in ${pieces.length} pieces`);
  assert.equal(pieces.join(''), text);
  for (const p of pieces) {
    assert.equal(Buffer.from(p, 'utf8').toString('utf8'), p, 'each piece encodes on its own');
    assert.ok(p.length <= 1 << 20);
  }
  const small: string[] = [];
  writeChunked({ write: (c: string) => small.push(c) }, 'short');
  assert.deepEqual(small, ['short']);
});
