import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedCache } from './bounded-cache.js';

test('a bounded cache remembers, and forgets everything when it fills', () => {
  const c = new BoundedCache<string, number>(2);
  let made = 0;
  const make = (v: number) => () => (made++, v);
  assert.equal(c.getOr('a', make(1)), 1);
  assert.equal(c.getOr('a', make(9)), 1, 'remembered');
  assert.equal(c.getOr('b', make(2)), 2);
  assert.equal(made, 2);
  assert.equal(c.getOr('c', make(3)), 3, 'full: cleared, then remembered');
  assert.equal(c.get('a'), undefined);
  assert.equal(c.get('c'), 3);
  assert.equal(c.set('d', 4), 4);
  assert.equal(c.get('d'), 4);
});
