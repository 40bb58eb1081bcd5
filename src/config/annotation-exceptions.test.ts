import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../core/finding.js';
import type { KubeObject } from '../core/types.js';
import { annotationExceptions, applyAnnotationExceptions } from './annotation-exceptions.js';

const KNOWN = new Set(['run-as-root', 'host-path-volume', 'privileged-container']);

function obj(name: string, annotations?: Record<string, string>, kind = 'DaemonSet', namespace = 'monitoring'): KubeObject {
  return { apiVersion: 'apps/v1', kind, metadata: { name, namespace, ...(annotations ? { annotations } : {}) } };
}

function finding(ruleId: string, name: string, kind = 'DaemonSet', namespace: string | undefined = 'monitoring'): Finding {
  return {
    ruleId,
    severity: 'high',
    practice: 'container-escape',
    title: ruleId,
    messageId: 'm',
    message: 'm',
    resource: { apiVersion: 'apps/v1', kind, name, ...(namespace !== undefined ? { namespace } : {}) },
    pointer: '',
    location: { file: 'f.yaml', line: 1, column: 1 },
  };
}

test('an ignore annotation with a justification suppresses the named rules on that object only', () => {
  const { byResource, notices } = annotationExceptions(
    [
      obj('node-exporter', { 'kubeward.dev/ignore': 'host-path-volume, run-as-root', 'kubeward.dev/ignore-justification': 'reads /proc and /sys of the host' }),
      obj('other'),
    ],
    KNOWN,
  );
  assert.deepEqual(notices, []);
  const out = applyAnnotationExceptions(
    [finding('host-path-volume', 'node-exporter'), finding('run-as-root', 'node-exporter'), finding('privileged-container', 'node-exporter'), finding('host-path-volume', 'other'), finding('host-path-volume', 'node-exporter', 'DaemonSet', 'other-ns')],
    byResource,
  );
  assert.deepEqual(
    out.map((f) => f.suppressed),
    [{ justification: 'reads /proc and /sys of the host', source: 'annotation' }, { justification: 'reads /proc and /sys of the host', source: 'annotation' }, undefined, undefined, undefined],
  );
});

test('* suppresses every rule; a configured exception already there is kept', () => {
  const { byResource } = annotationExceptions([obj('x', { 'kubeward.dev/ignore': '*', 'kubeward.dev/ignore-justification': 'vendor chart, reviewed' })], KNOWN);
  const configured: Finding = { ...finding('run-as-root', 'x'), suppressed: { justification: 'from the config', expires: '2999-01-01' } };
  const out = applyAnnotationExceptions([finding('privileged-container', 'x'), configured], byResource);
  assert.equal(out[0]?.suppressed?.source, 'annotation');
  assert.deepEqual(out[1]?.suppressed, { justification: 'from the config', expires: '2999-01-01' });
});

test('no justification, or an unknown rule id: nothing suppressed, and a notice says why', () => {
  const { byResource, notices } = annotationExceptions(
    [
      obj('a', { 'kubeward.dev/ignore': 'run-as-root' }),
      obj('b', { 'kubeward.dev/ignore': 'run-as-root', 'kubeward.dev/ignore-justification': '   ' }),
      obj('c', { 'kubeward.dev/ignore': 'run-as-rot,privileged-container', 'kubeward.dev/ignore-justification': 'lab cluster' }),
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', annotations: { 'kubeward.dev/ignore': 'nope', 'kubeward.dev/ignore-justification': 'j' } } },
    ],
    KNOWN,
  );
  assert.deepEqual(notices, [
    'DaemonSet monitoring/a: kubeward.dev/ignore without kubeward.dev/ignore-justification suppresses nothing; write down why the risk is accepted',
    'DaemonSet monitoring/b: kubeward.dev/ignore without kubeward.dev/ignore-justification suppresses nothing; write down why the risk is accepted',
    'DaemonSet monitoring/c: kubeward.dev/ignore names "run-as-rot", which is no rule id (see `kubeward rules`); ignored',
    'Namespace n: kubeward.dev/ignore names "nope", which is no rule id (see `kubeward rules`); ignored',
  ]);
  const out = applyAnnotationExceptions([finding('run-as-root', 'a'), finding('run-as-root', 'b'), finding('run-as-root', 'c'), finding('privileged-container', 'c')], byResource);
  assert.deepEqual(
    out.map((f) => f.suppressed?.justification),
    [undefined, undefined, undefined, 'lab cluster'],
  );
});
