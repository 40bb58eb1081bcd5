/**
 * Roles that can read Secrets (get, list or watch on `secrets` in the core group, wildcards
 * included). list and watch return every secret's data, not just names. A rule limited
 * by `resourceNames` is reported as medium.
 */
import { effectiveRoleRules, oncePerDerived, ruleGrants } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

const READ = ['get', 'list', 'watch'];

export default defineRule({
  id: 'rbac-secrets-read',
  meta: {
    title: 'Read access to Secrets',
    category: 'rbac',
    severity: 'high',
    practice: 'rbac',
    targets: 'Role, ClusterRole (with the rules it aggregates), RoleBinding and ClusterRoleBinding to a built-in ClusterRole',
    docs: {
      description:
        'get, list or watch on Secrets reveals their contents: database passwords, TLS keys and service-account tokens of other workloads, which in turn carry their permissions. list and watch return every secret\'s data in the namespace (or the cluster, for a ClusterRole bound cluster-wide), not only names.',
      remediation: 'Grant Secret access only to the workloads that need it, with `resourceNames` for the specific secrets and only the `get` verb; mount secrets into pods instead of reading them through the API.',
    },
    references: [
      { framework: 'CIS', id: '5.1.2', title: 'Minimize access to secrets' },
      { framework: 'NSA-CISA', id: 'Authentication and authorization: role-based access control' },
      { framework: 'MITRE', id: 'T1552.007', title: 'Unsecured Credentials: Container API' },
    ],
    messages: {
      readSecrets: '{{role}} rule {{rule}} can read Secrets ({{verbs}})',
      readNamedSecrets: '{{role}} rule {{rule}} can read the Secrets {{names}} ({{verbs}})',
    },
    severities: { readNamedSecrets: ['medium'] },
  },
  check(ctx) {
    const once = oncePerDerived();
    for (const ref of effectiveRoleRules(ctx.model, ctx.settings.rbacDefaults)) {
      const { resource: r, role, rule, index, pointer } = ref;
      if (!ruleGrants(rule, READ, '', 'secrets')) continue;
      const verbs = rule.verbs.includes('*') ? '*' : rule.verbs.filter((v) => READ.includes(v)).join(', ');
      if (rule.resourceNames.length > 0) {
        const names = rule.resourceNames.map((n) => `"${n}"`).join(', ');
        if (once(ref, 'readNamedSecrets')) ctx.report({ messageId: 'readNamedSecrets', resource: r, pointer: ref.derived ? pointer : `${pointer}/resourceNames`, data: { role, rule: index, verbs, names }, severity: 'medium' });
      } else {
        if (once(ref, 'readSecrets')) ctx.report({ messageId: 'readSecrets', resource: r, pointer, data: { role, rule: index, verbs } });
      }
    }
  },
});
