/** A binding whose roleRef names a Role or ClusterRole that does not exist. */
import { rbacFindingsOf, resourceOfRecord } from '../../engine-cache.js';
import { defineRule } from '../../define.js';

export default defineRule({
  id: 'rbac-dangling-role-ref',
  meta: {
    title: 'Binding refers to a role that does not exist',
    category: 'rbac',
    severity: 'low',
    practice: 'rbac',
    targets: 'RoleBinding, ClusterRoleBinding',
    docs: {
      description:
        'A RoleBinding or ClusterRoleBinding whose role is missing grants nothing today, but it grants whatever a role of that name will hold the day someone creates one. Roles are often recreated by tools or charts with broader rules than the binding was meant for.',
      remediation: 'Delete the binding, or create the intended role together with it (in the same manifest or chart) so that the two cannot drift apart.',
    },
    references: [
      { framework: 'URL', id: 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding' },
      { framework: 'MITRE', id: 'T1078', title: 'Valid Accounts' },
    ],
    engine: 'rbac',
    messages: { dangling: '{{detail}}' },
  },
  check(ctx) {
    for (const f of rbacFindingsOf(ctx.model, ctx.settings)) {
      if (f.ruleId !== 'rbac-dangling-role-ref') continue;
      const resource = resourceOfRecord(ctx.model, f.resource);
      if (resource) ctx.report({ messageId: 'dangling', resource, pointer: '/roleRef/name', severity: f.severity, data: { detail: f.message } });
    }
  },
});
