import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadText } from './manifests.js';
import { buildModel } from '../model/cluster.js';
import { RULES } from '../rules/registry.js';
import { runRules } from '../rules/run.js';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: a
  namespace: x
spec:
  containers:
    - name: c
      image: nginx
      securityContext:
        privileged: true
`;

test('Helm-rendered documents carry the chart template of their `# Source:` comment', () => {
  const rendered = [
    '---',
    '# Source: shop/templates/serviceaccount.yaml',
    'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web',
    '---',
    '# Copyright notice',
    '',
    '# Source: shop/charts/db/templates/statefulset.yaml',
    POD.replace('name: a', 'name: db'),
    '---',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n# Source: not/a/header.yaml',
    '---',
    '# Source: \n' + POD.replace('name: a', 'name: blank'),
  ].join('\n');
  const r = loadText(rendered, '<stdin>');
  assert.deepEqual(
    r.resources.map((x) => [x.object.metadata.name, x.source.template]),
    [
      ['web', 'shop/templates/serviceaccount.yaml'],
      ['db', 'shop/charts/db/templates/statefulset.yaml'],
      ['plain', undefined],
      ['blank', undefined],
    ],
  );
  assert.equal(loadText(POD, 'f.yaml').resources[0]?.source.template, undefined);
});

test('multi-document YAML keeps each object with its position', () => {
  const r = loadText(`# leading comment\n${POD}---\n${POD.replace('name: a', 'name: b')}`, 'f.yaml');
  assert.equal(r.problems.length, 0);
  assert.deepEqual(
    r.resources.map((x) => [x.object.metadata.name, x.source.line]),
    [
      ['a', 2],
      ['b', 14],
    ],
  );
  assert.deepEqual(r.resources[1]?.locate('/spec/containers/0/securityContext/privileged'), { line: 24, column: 9 });
  assert.deepEqual(r.resources[0]?.locate('/spec/containers/0/image'), { line: 10, column: 7 });
});

test('a missing pointer resolves to its nearest existing ancestor', () => {
  const r = loadText(POD, 'f.yaml');
  assert.deepEqual(r.resources[0]?.locate('/spec/containers/0/securityContext/runAsNonRoot'), { line: 10, column: 7 });
  assert.deepEqual(r.resources[0]?.locate('/spec/volumes'), { line: 6, column: 1 });
});

test('a malformed document is reported with file:line:column and its neighbours still load', () => {
  const text = `${POD}---\napiVersion: v1\nkind: Service\nmetadata: {name: s\n---\n${POD.replace('name: a', 'name: c')}`;
  const r = loadText(text, 'bad.yaml');
  assert.deepEqual(
    r.resources.map((x) => x.object.metadata.name),
    ['a', 'c'],
  );
  assert.equal(r.problems.length, 1);
  const p = r.problems[0];
  assert.equal(p?.file, 'bad.yaml');
  assert.equal(p?.level, 'error');
  assert.equal(p?.code, 'input.yaml');
  assert.ok(p && p.line >= 16 && p.line <= 17, `line ${p?.line}`);
  assert.match(p?.message ?? '', /invalid YAML/);
});

test('an unrendered Helm template fails with a hint to render it first; plain malformed YAML gets no hint', () => {
  const helm = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "x.fullname" . }}\n  labels:\n    {{- include "x.labels" . | nindent 4 }}\n';
  const r = loadText(`${POD}---\n${helm}`, 'templates/deployment.yaml');
  assert.deepEqual(r.resources.map((x) => x.object.metadata.name), ['a']);
  assert.equal(r.problems.length, 1);
  assert.match(r.problems[0]?.message ?? '', /^invalid YAML: .* \(this looks like an unrendered Helm template: render it first, e\.g\. `helm template <chart> \| kubeward scan -`\)$/);
  const plain = loadText('apiVersion: v1\nkind: Service\nmetadata: {name: s\n', 'bad.yaml');
  assert.doesNotMatch(plain.problems[0]?.message ?? '', /Helm/);
});

test('an object whose name is no string is refused with its position (and the Helm hint when it is a template)', () => {
  const r = loadText(`apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "app.fullname" . }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: 42, namespace: shop}\n---\n${POD}`, 'chart.yaml');
  assert.deepEqual(r.resources.map((x) => x.object.metadata.name), ['a']);
  assert.deepEqual(
    r.problems.map((p) => [p.level, p.line, p.column, p.message.replace(/ \(this looks like an unrendered Helm template.*$/, ' (helm hint)')]),
    [
      ['error', 4, 3, 'Deployment: metadata.name must be a string, got a mapping; skipped (helm hint)'],
      ['error', 8, 12, 'ConfigMap: metadata.name must be a string, got a number; skipped'],
    ],
  );
});

test('kind: List and *List items become objects; items without kind take it from the list', () => {
  const list = {
    apiVersion: 'v1',
    kind: 'PodList',
    items: [
      { metadata: { name: 'p1', namespace: 'n' }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      { metadata: { name: 'p2', namespace: 'n' }, spec: { containers: [{ name: 'c', image: 'i' }] } },
    ],
  };
  const r = loadText(JSON.stringify(list, null, 2), 'pods.json');
  assert.deepEqual(
    r.resources.map((x) => `${x.object.apiVersion}/${x.object.kind}/${x.object.metadata.name}`),
    ['v1/Pod/p1', 'v1/Pod/p2'],
  );
  const pos = r.resources[1]?.locate('/spec/containers/0/image');
  assert.ok(pos && pos.line > 10, 'JSON positions point into the second item');
  const y = loadText(`apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: cm}\n`, 'l.yaml');
  assert.deepEqual(y.resources[0]?.source.line, 4);
});

test('non-Kubernetes documents are skipped with a warning', () => {
  const r = loadText(`replicaCount: 3\nimage: {tag: x}\n---\n${POD}`, 'values.yaml');
  assert.equal(r.resources.length, 1);
  assert.equal(r.problems[0]?.level, 'warning');
  assert.equal(r.problems[0]?.code, 'input.notKubernetes');
});

test('secret values are never kept', () => {
  const r = loadText(`apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  password: aHVudGVyMg==\nstringData:\n  token: abc\n`, 's.yaml');
  const o = r.resources[0]?.object as unknown as Record<string, Record<string, string>>;
  assert.deepEqual(o['data'], { password: '' });
  assert.deepEqual(o['stringData'], { token: '' });
  assert.ok(!JSON.stringify(o).includes('aHVudGVyMg'));
});

test('an alias bomb is rejected without expanding it', () => {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(',')}]`);
  const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${lines.map((l) => '  ' + l).join('\n')}\n`;
  const t0 = Date.now();
  const r = loadText(`${bomb}---\n${POD}`, 'bomb.yaml');
  assert.ok(Date.now() - t0 < 2000, 'bounded time');
  assert.deepEqual(
    r.resources.map((x) => x.object.metadata.name),
    ['a'],
  );
  assert.equal(r.problems[0]?.code, 'input.limit');
  assert.match(r.problems[0]?.message ?? '', /alias/);
});

test('the alias limit applies to a file whether or not its other documents parse', () => {
  const many = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: many\n  labels: {x: &a v}\ndata:\n  list: [${Array(12_000).fill('*a').join(', ')}]\n`;
  for (const text of [many, `${many}---\n${POD}`, `${many}---\nkey: [unclosed\n`]) {
    const r = loadText(text, 'many.yaml');
    assert.ok(!r.resources.some((x) => x.object.metadata.name === 'many'), 'the document over maxAliases is not loaded');
    assert.match(r.problems.map((p) => p.message).join('\n'), /maxAliases/);
  }
});

test('deep nesting is bounded', () => {
  const deep = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n';
  const r = loadText(deep, 'deep.yaml');
  assert.equal(r.resources.length, 0);
  assert.equal(r.problems[0]?.level, 'error');
  // JSON.parse does not recurse: a 200,000-deep value loads quickly as data, and nothing walks it.
  const deepJson = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"d"},"data":' + '['.repeat(200000) + ']'.repeat(200000) + '}';
  const t0 = Date.now();
  const j = loadText(deepJson, 'deep.json');
  assert.deepEqual(j.problems, []);
  assert.equal(j.resources.length, 1);
  assert.equal(runRules(buildModel(j.resources), RULES).length, 0);
  assert.ok(Date.now() - t0 < 5000, 'bounded time');
});

test('YAML 1.1 scalars read as Kubernetes reads them', () => {
  const r = loadText(`apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: yes\n  volumes:\n  - name: s\n    secret: {defaultMode: 0644}\n  containers: []\n`, 'p.yaml');
  const spec = r.resources[0]?.object['spec'] as { hostNetwork: unknown; volumes: Array<{ secret: { defaultMode: number } }> };
  assert.equal(spec.hostNetwork, true);
  assert.equal(spec.volumes[0]?.secret.defaultMode, 0o644);
});

test('a --- inside a block scalar cannot occur, but indented dashes stay content', () => {
  const r = loadText(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  x: |\n    ---\n    y\n`, 'c.yaml');
  assert.equal(r.resources.length, 1);
  assert.equal((r.resources[0]?.object['data'] as Record<string, string>)['x'], '---\ny\n');
});

test('over-limit input is rejected with a clear error', () => {
  const r = loadText(POD, 'big.yaml', { maxFileBytes: 10 });
  assert.equal(r.resources.length, 0);
  assert.equal(r.problems[0]?.code, 'input.limit');
});

test('malformed JSON names the position', () => {
  const r = loadText('{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {"name": }\n}\n', 'p.json');
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0]?.line, 4);
  assert.match(r.problems[0]?.message ?? '', /invalid JSON/);
});

test('a stream of JSON objects (jq .items[]) is read object by object, each with its position', () => {
  const pod = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'a' }, spec: { containers: [{ name: 'c', image: 'x' }] } }, null, 2);
  const text = `${pod('one')}\n${pod('two')}\n\n${pod('three')}\n`;
  for (const file of ['<stdin>', 'pods.json']) {
    const r = loadText(text, file);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.resources.map((x) => x.object.metadata.name), ['one', 'two', 'three']);
    assert.deepEqual(r.resources.map((x) => x.locate('/spec/containers/0/image').line), [12, 28, 45]);
  }
  // one malformed object among them: the usual JSON error, with its position
  const broken = loadText(`${pod('one')}\n{"kind": }\n`, 'pods.json');
  assert.equal(broken.resources.length, 0);
  assert.match(broken.problems[0]?.message ?? '', /invalid JSON/);
});

test('numbers read as go-yaml v2 (sigs.k8s.io/yaml) reads them, by every parser', () => {
  // [plain scalar, value kubectl sends]
  const cases: Array<[string, unknown]> = [
    ['1e3', 1000], ['1.5e3', 1500], ['1.5E+3', 1500], ['.5', 0.5], ['-.5', -0.5], ['1.', 1], ['1_000', 1000], ['1_000.5', 1000.5],
    ['0o17', 15], ['0755', 493], ['0x1F', 31], ['-0x1F', -31], ['0b101', 5], ['08', 8], ['+12', 12], ['-0', 0],
    ['12:30', '12:30'], ['1e999', '1e999'], ['_1', '_1'], ['0o', '0o'], ['.inf', Infinity], ['-.Inf', -Infinity], ['1.2.3', '1.2.3'],
  ];
  for (const style of ['block', 'flow', 'anchored'] as const) {
    const lines = cases.map(([s], i) => (style === 'flow' ? `k${i}: [${s}]` : style === 'anchored' ? `k${i}: &a${i} ${s}` : `k${i}: ${s}`));
    const r = loadText(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n${lines.map((l) => `  ${l}`).join('\n')}\n`, 'c.yaml');
    const data = r.resources[0]?.object['data'] as Record<string, unknown>;
    cases.forEach(([s, want], i) => {
      const got = style === 'flow' ? (data[`k${i}`] as unknown[])[0] : data[`k${i}`];
      assert.ok(Object.is(got, want), `${style} ${s}: ${String(got)}`);
    });
  }
});

test('a JSON syntax error never repeats the text around it (it may be a Secret value)', () => {
  const r = loadText('{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"stringData":{"pw": SEKRIT_VALUE_12345}}', 's.json');
  assert.equal(r.problems.length, 1);
  assert.doesNotMatch(r.problems[0]?.message ?? '', /SEKRIT|not valid JSON/);
  assert.match(r.problems[0]?.message ?? '', /^invalid JSON: /);
});
