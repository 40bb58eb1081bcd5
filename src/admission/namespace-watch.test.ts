import test from 'node:test';
import assert from 'node:assert/strict';
import { inCluster, StaticNamespaceSource, WatchedNamespaceSource, type NamespaceEvent, type NamespaceWatch } from './namespace-watch.js';

/** An in-memory list-then-watch, driven by the test. */
class FakeWatch implements NamespaceWatch {
  onEvent: ((e: NamespaceEvent) => void) | undefined;
  onError: ((e: unknown) => void) | undefined;
  starts = 0;
  stopped = false;
  constructor(private readonly initial: NamespaceEvent[], private readonly failFirst = false) {}
  async start(onEvent: (e: NamespaceEvent) => void, onError: (e: unknown) => void): Promise<void> {
    this.starts++;
    if (this.failFirst && this.starts === 1) throw new Error('connection refused');
    this.onEvent = onEvent;
    this.onError = onError;
    for (const e of this.initial) onEvent(e);
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
}

test('static source: labels as given, always ready', async () => {
  const s = new StaticNamespaceSource({ a: { x: 'y' } });
  assert.deepEqual(s.labels('a'), { x: 'y' });
  assert.equal(s.labels('b'), undefined);
  assert.ok(s.ready());
  await s.close();
});

test('watched source: ready after the initial list, follows add/update/delete, new label objects on change', async () => {
  const w = new FakeWatch([{ type: 'add', name: 'team-a', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } }]);
  const s = new WatchedNamespaceSource(w, { retryMs: 10 });
  assert.equal(s.ready(), false);
  await s.start();
  assert.equal(s.ready(), true);
  const first = s.labels('team-a');
  assert.equal(first?.['pod-security.kubernetes.io/enforce'], 'baseline');
  w.onEvent!({ type: 'update', name: 'team-a', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } });
  assert.equal(s.labels('team-a')?.['pod-security.kubernetes.io/enforce'], 'restricted');
  assert.notEqual(s.labels('team-a'), first, 'replaced, never mutated (decision caches rely on it)');
  w.onEvent!({ type: 'delete', name: 'team-a', labels: {} });
  assert.equal(s.labels('team-a'), undefined);
  await s.close();
  assert.ok(w.stopped);
});

test('watched source: a watch error keeps the cache and restarts the watch', async () => {
  const w = new FakeWatch([{ type: 'add', name: 'n', labels: { a: 'b' } }]);
  const errors: unknown[] = [];
  const s = new WatchedNamespaceSource(w, { retryMs: 10, onError: (e) => errors.push(e) });
  await s.start();
  w.onError!(new Error('watch closed'));
  assert.deepEqual(s.labels('n'), { a: 'b' });
  for (let i = 0; i < 100 && w.starts < 2; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(w.starts, 2);
  assert.equal(errors.length, 1);
  await s.close();
});

test('watched source: a failing initial list rejects start (caller retries), not ready', async () => {
  const s = new WatchedNamespaceSource(new FakeWatch([], true), { retryMs: 10 });
  await assert.rejects(s.start(), /connection refused/);
  assert.equal(s.ready(), false);
  await s.close();
});

test('in-cluster detection needs the service host and a mounted token', () => {
  assert.equal(inCluster({}), false);
  assert.equal(inCluster({ KUBERNETES_SERVICE_HOST: '10.0.0.1' }, '/nonexistent'), false);
});
