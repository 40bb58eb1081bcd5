/** The `sandboxNamespaces` half of the rule, which the shared tester (default settings) cannot reach. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../core/types.js';
import { buildModel } from '../../../model/cluster.js';
import { resourceFromObject, runRules } from '../../run.js';
import rule from './rule.js';

function pod(name: string, namespace: string, runtimeClassName?: string): KubeObject {
  const spec: Record<string, unknown> = { containers: [{ name: 'c', image: 'app:1.0' }] };
  if (runtimeClassName) spec['runtimeClassName'] = runtimeClassName;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec };
}

const kata: KubeObject = { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'secure' }, handler: 'kata-qemu' };

test('workloads in a sandbox namespace must use a sandbox handler', () => {
  const objects = [kata, pod('plain', 'untrusted'), pod('sandboxed', 'untrusted', 'secure'), pod('by-name', 'untrusted', 'runsc'), pod('other-ns', 'shop')];
  const model = buildModel(objects.map((o) => resourceFromObject(o, 'mem.yaml')));
  const findings = runRules(model, [rule], { settings: { sandboxNamespaces: ['untrusted'] } });
  assert.deepEqual(
    findings.map((f) => [f.resource.name, f.message, f.fix]),
    [['plain', 'pods in sandbox namespace "untrusted" run without a sandboxed RuntimeClass (runtimeClassName: none)', [{ op: 'add', path: '/spec/runtimeClassName', value: 'secure' }]]],
  );
});

test('custom sandbox handlers replace the defaults', () => {
  const model = buildModel([pod('a', 'untrusted', 'runsc'), pod('b', 'untrusted', 'my-vm')].map((o) => resourceFromObject(o, 'mem.yaml')));
  const findings = runRules(model, [rule], { settings: { sandboxNamespaces: ['untrusted'], sandboxHandlers: ['my-vm'] } });
  assert.deepEqual(findings.map((f) => f.resource.name), ['a']);
});
