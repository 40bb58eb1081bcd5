/**
 * The Dashboard's service account bound to `cluster-admin` (by any RoleBinding or
 * ClusterRoleBinding in the inventory). With skip-login, or with any flaw in the UI, that
 * is the cluster.
 */
import { bindingsOfServiceAccount, dashboardWorkloads, roleRefOf, WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';
import { tokenMount } from '../../../engines/rbac/index.js';

export default defineRule({
  id: 'dashboard-cluster-admin',
  meta: {
    title: 'Kubernetes Dashboard runs as cluster-admin',
    category: 'dashboard',
    severity: 'critical',
    practice: 'dashboard',
    targets: `${WORKLOAD_TARGETS}, ClusterRoleBinding, RoleBinding`,
    docs: {
      description:
        'Tutorials often bind the Dashboard\'s service account to cluster-admin. Anyone who can use the Dashboard without their own token (skip-login), exploit it, or read its pod\'s token then has full control of the cluster.',
      remediation: 'Delete the binding. The Dashboard needs no permissions of its own beyond its namespace\'s settings; users log in with their own tokens and act with their own rights.',
    },
    references: [
      { framework: 'CIS', id: '5.1.1', title: 'Ensure that the cluster-admin role is only used where required' },
      { framework: 'MITRE', id: 'T1078', title: 'Valid Accounts' },
      { framework: 'MITRE', id: 'T1133', title: 'External Remote Services' },
    ],
    messages: {
      clusterAdmin: 'the Dashboard runs as service account "{{serviceAccount}}", bound to cluster-admin by {{binding}}',
    },
    severities: { clusterAdmin: ['medium', 'critical'] },
  },
  check(ctx) {
    for (const { workload: w } of dashboardWorkloads(ctx.model)) {
      // Without a mounted token the Dashboard does not act as the account (yet): medium.
      const tokenMounted = w.automountToken || tokenMount(w.template.spec, false).via.includes('projected');
      for (const b of bindingsOfServiceAccount(ctx.model, w.namespace, w.serviceAccount)) {
        const ref = roleRefOf(b);
        if (ref?.kind !== 'ClusterRole' || ref.name !== 'cluster-admin') continue;
        const spec = w.template.spec;
        const field = spec.serviceAccountName ? 'serviceAccountName' : spec.serviceAccount ? 'serviceAccount' : undefined;
        ctx.report({
          messageId: 'clusterAdmin',
          resource: w.resource,
          pointer: field ? `${w.template.specPointer}/${field}` : w.template.specPointer,
          data: { serviceAccount: w.serviceAccount, binding: `${b.object.kind} "${b.object.metadata.name ?? ''}"` },
          ...(tokenMounted ? {} : { severity: 'medium' as const }),
        });
      }
    }
  },
});
