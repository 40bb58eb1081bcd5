/**
 * `*` in a Role or ClusterRole rule: in verbs or resources it grants everything present and
 * future (high); in apiGroups alone it extends named resources to every API group (medium).
 * RBAC defaults (label kubernetes.io/bootstrapping=rbac-defaults, e.g. cluster-admin) are
 * left out: they are the platform's, not the operator's.
 */
import { effectiveRoleRules, oncePerDerived } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

export default defineRule({
  id: 'rbac-wildcard',
  meta: {
    title: 'Wildcard in RBAC rule',
    category: 'rbac',
    severity: 'high',
    practice: 'rbac',
    targets: 'Role, ClusterRole (with the rules it aggregates), RoleBinding and ClusterRoleBinding to a built-in ClusterRole',
    docs: {
      description:
        'A `*` in a rule\'s verbs or resources grants every verb or every resource, including subresources such as pods/exec and resources added later by CRDs or upgrades; it defeats least privilege and hides what the role can do. A `*` in apiGroups makes the named resources match in every API group.',
      remediation: 'List the exact verbs, resources and API groups the subject needs (`kubectl auth can-i --list` and audit logs help find them).',
    },
    references: [
      { framework: 'CIS', id: '5.1.3', title: 'Minimize wildcard use in Roles and ClusterRoles' },
      { framework: 'NSA-CISA', id: 'Authentication and authorization: role-based access control' },
      { framework: 'MITRE', id: 'T1078', title: 'Valid Accounts' },
    ],
    messages: {
      wildcardVerbs: '{{role}} rule {{rule}} allows every verb (*)',
      wildcardResources: '{{role}} rule {{rule}} covers every resource (*)',
      wildcardApiGroups: '{{role}} rule {{rule}} covers every API group (*)',
    },
    severities: { wildcardApiGroups: ['medium'] },
  },
  check(ctx) {
    const once = oncePerDerived();
    for (const ref of effectiveRoleRules(ctx.model, ctx.settings.rbacDefaults)) {
      const { resource: r, role, rule, index, pointer } = ref;
      const data = { role, rule: index };
      const v = rule.verbs.indexOf('*');
      if (v >= 0 && once(ref, 'wildcardVerbs')) ctx.report({ messageId: 'wildcardVerbs', resource: r, pointer: ref.derived ? pointer : `${pointer}/verbs/${v}`, data });
      const res = rule.resources.indexOf('*');
      if (res >= 0 && once(ref, 'wildcardResources')) ctx.report({ messageId: 'wildcardResources', resource: r, pointer: ref.derived ? pointer : `${pointer}/resources/${res}`, data });
      const g = rule.apiGroups.indexOf('*');
      if (g >= 0 && once(ref, 'wildcardApiGroups')) ctx.report({ messageId: 'wildcardApiGroups', resource: r, pointer: ref.derived ? pointer : `${pointer}/apiGroups/${g}`, data, severity: 'medium' });
    }
  },
});
