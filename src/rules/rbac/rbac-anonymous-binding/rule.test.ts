/** Built-in roles bound to system:authenticated, which the shared tester (no cluster defaults) cannot reach. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../core/types.js';
import { loadBootstrapRbac } from '../../../load/bootstrap-rbac.js';
import { buildModel } from '../../../model/cluster.js';
import { resourceFromObject, runRules } from '../../run.js';
import rule from './rule.js';

function toAuthenticated(name: string, role: string): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace: 'shop' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:authenticated' }],
  };
}

test('system:authenticated bound to a built-in role: high for edit (reads Secrets), medium for view', () => {
  const model = buildModel([toAuthenticated('everyone-edits', 'edit'), toAuthenticated('everyone-views', 'view')].map((o) => resourceFromObject(o, 'mem.yaml')));
  const findings = runRules(model, [rule], { settings: { rbacDefaults: loadBootstrapRbac() } });
  assert.deepEqual(
    findings.map((f) => [f.resource.name, f.severity]),
    [
      ['everyone-edits', 'high'],
      ['everyone-views', 'medium'],
    ],
  );
});
