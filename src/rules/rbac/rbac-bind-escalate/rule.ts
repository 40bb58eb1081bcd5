/**
 * `bind` on roles lets a subject create bindings to roles it does not hold; `escalate` lets
 * it edit roles to add permissions it does not hold. Either bypasses RBAC's
 * privilege-escalation prevention. Wildcard verbs count.
 */
import { effectiveRoleRules, oncePerDerived, ruleGrants } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

export default defineRule({
  id: 'rbac-bind-escalate',
  meta: {
    title: 'RBAC bind or escalate allowed',
    category: 'rbac',
    severity: 'high',
    practice: 'rbac',
    targets: 'Role, ClusterRole (with the rules it aggregates), RoleBinding and ClusterRoleBinding to a built-in ClusterRole',
    docs: {
      description:
        'Kubernetes RBAC normally refuses to let a subject grant permissions it does not have. The `bind` verb on roles/clusterroles lifts that check for bindings (bind yourself to cluster-admin), and `escalate` lifts it for editing roles (add `*` to your own role).',
      remediation: 'Remove bind and escalate (and `*` verbs) on roles and clusterroles from every role except those of the platform\'s RBAC managers; restrict them with resourceNames where needed.',
    },
    references: [
      { framework: 'CIS', id: '5.1.8', title: 'Limit use of the Bind, Impersonate and Escalate permissions in the Kubernetes cluster' },
      { framework: 'NSA-CISA', id: 'Authentication and authorization: role-based access control' },
      { framework: 'MITRE', id: 'T1098.006', title: 'Account Manipulation: Additional Container Cluster Roles' },
    ],
    messages: {
      bind: '{{role}} rule {{rule}} can bind roles it does not hold ({{resources}})',
      escalate: '{{role}} rule {{rule}} can escalate roles beyond its own permissions ({{resources}})',
    },
  },
  check(ctx) {
    const once = oncePerDerived();
    for (const ref of effectiveRoleRules(ctx.model, ctx.settings.rbacDefaults)) {
      const { resource: r, role, rule, index, pointer } = ref;
      for (const verb of ['bind', 'escalate'] as const) {
        const resources = ['roles', 'clusterroles'].filter((res) => ruleGrants(rule, [verb], RBAC_GROUP, res));
        if (resources.length > 0 && once(ref, verb)) ctx.report({ messageId: verb, resource: r, pointer, data: { role, rule: index, resources: resources.join(', ') } });
      }
    }
  },
});
