import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyJsonPatch, escapeSegment, parsePointer, PatchBuilder, toPointer, JsonPatchError } from './json-patch.js';

test('pointer segments escape ~ and / (RFC 6901)', () => {
  assert.equal(escapeSegment('a/b~c'), 'a~1b~0c');
  assert.equal(toPointer(['metadata', 'annotations', 'example.com/x~y']), '/metadata/annotations/example.com~1x~0y');
  assert.deepEqual(parsePointer('/metadata/annotations/example.com~1x~0y'), ['metadata', 'annotations', 'example.com/x~y']);
  assert.deepEqual(parsePointer('/a/~01'), ['a', '~1']);
  fc.assert(fc.property(fc.array(fc.string()), (segs) => assert.deepEqual(parsePointer(toPointer(segs)), segs)));
});

test('ensure adds the smallest missing parent and never overrides', () => {
  const doc = { spec: { containers: [{ name: 'a' }, { name: 'b', securityContext: { allowPrivilegeEscalation: true } }] } };
  const b = new PatchBuilder(doc);
  assert.ok(b.ensure(['spec', 'securityContext', 'seccompProfile'], { type: 'RuntimeDefault' }));
  assert.ok(b.ensure(['spec', 'securityContext', 'runAsNonRoot'], true));
  assert.ok(b.ensure(['spec', 'containers', 0, 'securityContext', 'allowPrivilegeEscalation'], false));
  assert.ok(!b.ensure(['spec', 'containers', 1, 'securityContext', 'allowPrivilegeEscalation'], false), 'explicit value kept');
  assert.ok(!b.ensure(['spec', 'containers', 5, 'securityContext'], {}), 'no invented array items');
  assert.ok(b.ensure(['metadata', 'annotations', 'a/b'], 'x'));
  assert.deepEqual(b.ops, [
    { op: 'add', path: '/spec/securityContext', value: { seccompProfile: { type: 'RuntimeDefault' } } },
    { op: 'add', path: '/spec/securityContext/runAsNonRoot', value: true },
    { op: 'add', path: '/spec/containers/0/securityContext', value: { allowPrivilegeEscalation: false } },
    { op: 'add', path: '/metadata', value: { annotations: { 'a/b': 'x' } } },
  ]);
  const out = applyJsonPatch(doc, b.ops) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.equal(out['spec'].containers[1].securityContext.allowPrivilegeEscalation, true);
  assert.equal(out['metadata'].annotations['a/b'], 'x');
  assert.equal((doc.spec as Record<string, unknown>)['securityContext'], undefined, 'input not modified');
});

test('property: a built patch always applies and only adds', () => {
  const key = fc.constantFrom('a', 'b', 'c/d', 'e~f');
  const jsonTree = fc.letrec((tie) => ({ tree: fc.oneof({ depthSize: 'small' }, fc.constant(1), fc.constant(null), fc.dictionary(key, tie('tree'), { maxKeys: 3 })) })).tree;
  fc.assert(
    fc.property(jsonTree, fc.array(fc.array(key, { minLength: 1, maxLength: 4 }), { maxLength: 6 }), (doc, paths) => {
      const b = new PatchBuilder(doc);
      for (const p of paths) b.ensure(p, 'v');
      const out = applyJsonPatch(doc, b.ops);
      // everything that was in doc is still there, unchanged (non-null leaves)
      const check = (orig: unknown, now: unknown): void => {
        if (orig !== null && typeof orig === 'object') for (const [k, v] of Object.entries(orig)) check(v, (now as Record<string, unknown>)[k]);
        else if (orig !== null) assert.deepEqual(now, orig);
      };
      check(doc, out);
    }),
  );
});

test('applier: all operations and errors', () => {
  const doc = { a: [1, 2], b: { c: 1 } };
  assert.deepEqual(
    applyJsonPatch(doc, [
      { op: 'add', path: '/a/1', value: 9 },
      { op: 'add', path: '/a/-', value: 3 },
      { op: 'replace', path: '/b/c', value: 2 },
      { op: 'copy', from: '/b', path: '/d' },
      { op: 'move', from: '/d/c', path: '/e' },
      { op: 'remove', path: '/a/0' },
      { op: 'test', path: '/e', value: 2 },
    ]),
    { a: [9, 2, 3], b: { c: 2 }, d: {}, e: 2 },
  );
  assert.throws(() => applyJsonPatch(doc, [{ op: 'add', path: '/x/y', value: 1 }]), JsonPatchError);
  assert.throws(() => applyJsonPatch(doc, [{ op: 'replace', path: '/zz', value: 1 }]), JsonPatchError);
  assert.throws(() => applyJsonPatch(doc, [{ op: 'add', path: '/a/7', value: 1 }]), JsonPatchError);
  assert.throws(() => applyJsonPatch(doc, [{ op: 'test', path: '/b/c', value: 5 }]), JsonPatchError);
});

test('the builder never writes into its target, and later additions see earlier ones', () => {
  const target = { spec: { containers: [{ name: 'a' }, { name: 'b', securityContext: { runAsUser: 1 } }] }, metadata: { labels: { x: '1' } } };
  const before = structuredClone(target);
  const b = new PatchBuilder(target);
  assert.equal(b.ensure(['spec', 'containers', 0, 'securityContext', 'runAsNonRoot'], true), true);
  assert.equal(b.ensure(['spec', 'containers', 0, 'securityContext', 'allowPrivilegeEscalation'], false), true);
  assert.equal(b.ensure(['spec', 'containers', 1, 'securityContext', 'runAsUser'], 5), false, 'present: kept');
  assert.equal(b.append(['spec', 'containers'], { name: 'c' }), true);
  assert.equal(b.get(['spec', 'containers', 2, 'name']), 'c');
  assert.deepEqual(target, before, 'the target is untouched');
  assert.deepEqual(
    b.ops.map((o) => o.path),
    ['/spec/containers/0/securityContext', '/spec/containers/0/securityContext/allowPrivilegeEscalation', '/spec/containers/-'],
  );
  assert.deepEqual(applyJsonPatch(target, b.ops).spec.containers[0], { name: 'a', securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false } });
});

test('a value added and then written under keeps its op unchanged', () => {
  const b = new PatchBuilder({ spec: {} });
  b.ensure(['spec', 'securityContext'], { runAsUser: 1000 });
  b.ensure(['spec', 'securityContext', 'runAsNonRoot'], true);
  b.ensure(['spec', 'list'], []);
  b.append(['spec', 'list'], { a: 1 });
  b.ensure(['spec', 'list', 0, 'b'], 2);
  assert.deepEqual(b.ops, [
    { op: 'add', path: '/spec/securityContext', value: { runAsUser: 1000 } },
    { op: 'add', path: '/spec/securityContext/runAsNonRoot', value: true },
    { op: 'add', path: '/spec/list', value: [] },
    { op: 'add', path: '/spec/list/-', value: { a: 1 } },
    { op: 'add', path: '/spec/list/0/b', value: 2 },
  ]);
  assert.deepEqual(b.get(['spec']), { securityContext: { runAsUser: 1000, runAsNonRoot: true }, list: [{ a: 1, b: 2 }] });
});
