/**
 * Pods that run as their namespace's `default` service account share one identity with
 * every other pod that does, so any permission granted to `default` leaks to all of them.
 */
import { isMirrorPod } from '../../../model/workloads.js';
import { WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';
import { topLevelWorkloads } from '../../../model/cluster.js';

export default defineRule({
  id: 'default-service-account',
  meta: {
    title: 'Pod uses the default service account',
    category: 'workload',
    severity: 'low',
    practice: 'service-account-tokens',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'A pod that sets no serviceAccountName (or sets `default`) runs as the namespace\'s `default` ServiceAccount. Every such pod shares that identity: a RoleBinding added for one workload silently grants all of them, and audit logs cannot tell them apart.',
      remediation: 'Create a dedicated ServiceAccount per workload (with automountServiceAccountToken: false unless it calls the API) and set `serviceAccountName`.',
    },
    references: [
      { framework: 'CIS', id: '5.1.5', title: 'Ensure that default service accounts are not actively used' },
      { framework: 'NSA-CISA', id: 'Authentication and authorization: service accounts' },
      { framework: 'MITRE', id: 'T1078.001', title: 'Valid Accounts: Default Accounts' },
    ],
    messages: {
      defaultServiceAccount: 'pods run as the "default" service account of namespace "{{namespace}}"',
    },
  },
  check(ctx) {
    for (const w of topLevelWorkloads(ctx.model)) {
      if (w.serviceAccount !== 'default' || isMirrorPod(w.resource.object)) continue;
      const spec = w.template.spec;
      const field = spec.serviceAccountName ? 'serviceAccountName' : spec.serviceAccount ? 'serviceAccount' : undefined;
      ctx.report({
        messageId: 'defaultServiceAccount',
        resource: w.resource,
        pointer: field ? `${w.template.specPointer}/${field}` : w.template.specPointer,
        data: { namespace: w.namespace },
      });
    }
  },
});
