/**
 * Bindings to the `cluster-admin` ClusterRole, or to an operator's ClusterRole that is
 * cluster-admin in all but name (a rule with every verb on every resource of every API group,
 * its own or aggregated), one report per subject. Service accounts and
 * the anonymous/unauthenticated/authenticated groups are critical (a stolen pod token or
 * no credentials at all opens the whole cluster); users and groups are high. The
 * bootstrap binding of `system:masters` (and any RBAC-default object) is left out.
 */
import { effectiveRoleRules, isBootstrapRbac, roleRefOf, subjectsOf, type Subject } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

const PUBLIC_GROUPS = new Set(['system:anonymous', 'system:unauthenticated', 'system:authenticated']);

export function isServiceAccountSubject(s: Subject): boolean {
  return s.kind === 'ServiceAccount' || (s.kind === 'User' && s.name.startsWith('system:serviceaccount:')) || (s.kind === 'Group' && (s.name === 'system:serviceaccounts' || s.name.startsWith('system:serviceaccounts:')));
}

export default defineRule({
  id: 'rbac-cluster-admin-binding',
  meta: {
    title: 'Binding to cluster-admin',
    category: 'rbac',
    severity: 'high',
    practice: 'rbac',
    targets: 'ClusterRoleBinding, RoleBinding',
    docs: {
      description:
        'cluster-admin allows every verb on every resource. Bound through a ClusterRoleBinding it owns the cluster; through a RoleBinding it owns the namespace (secrets, pods, RBAC). Bound to a service account, anyone who gets code execution in a pod running as that account (or reads its token) becomes cluster admin; bound to system:anonymous, system:unauthenticated or system:authenticated, so does anyone who can reach the API server. A ClusterRole that allows every verb on every resource of every API group is cluster-admin under another name and is reported the same way.',
      remediation: 'Replace the binding with a Role/ClusterRole that grants only the verbs and resources needed. Keep cluster-admin for break-glass human access through system:masters-free, audited groups.',
    },
    references: [
      { framework: 'CIS', id: '5.1.1', title: 'Ensure that the cluster-admin role is only used where required' },
      { framework: 'NSA-CISA', id: 'Authentication and authorization: role-based access control' },
      { framework: 'MITRE', id: 'T1078', title: 'Valid Accounts' },
      { framework: 'MITRE', id: 'T1098.006', title: 'Account Manipulation: Additional Container Cluster Roles' },
    ],
    messages: {
      serviceAccount: '{{binding}} grants {{role}} to service account {{subject}}',
      serviceAccountGroup: '{{binding}} grants {{role}} to Group "{{subject}}" ({{members}})',
      publicGroup: '{{binding}} grants {{role}} to {{subject}}',
      subject: '{{binding}} grants {{role}} to {{kind}} "{{subject}}"',
    },
    severities: { publicGroup: ['critical'], serviceAccount: ['critical'], serviceAccountGroup: ['critical'] },
  },
  check(ctx) {
    // ClusterRoles that allow everything, like cluster-admin, under another name.
    const equivalent = new Set<string>();
    for (const { resource, rule } of effectiveRoleRules(ctx.model, ctx.settings.rbacDefaults)) {
      if (resource.object.kind === 'ClusterRole' && rule.verbs.includes('*') && rule.apiGroups.includes('*') && rule.resources.includes('*') && rule.resourceNames.length === 0) equivalent.add(resource.object.metadata.name ?? '');
    }
    for (const b of [...ctx.model.clusterRoleBindings, ...ctx.model.roleBindings]) {
      const ref = roleRefOf(b);
      if (!ref || ref.kind !== 'ClusterRole' || isBootstrapRbac(b)) continue;
      if (ref.name !== 'cluster-admin' && !equivalent.has(ref.name)) continue;
      const role = ref.name === 'cluster-admin' ? 'cluster-admin' : `ClusterRole "${ref.name}" (every verb on every resource: cluster-admin in all but name)`;
      const binding = `${b.object.kind} "${b.object.metadata.name ?? ''}"${b.object.kind === 'RoleBinding' ? ` (namespace ${b.object.metadata.namespace || 'default'})` : ''}`;
      for (const { subject, pointer } of subjectsOf(b)) {
        if (subject.kind === 'Group' && subject.name === 'system:masters') continue;
        if (subject.kind === 'Group' && isServiceAccountSubject(subject)) {
          const ns = subject.name.slice('system:serviceaccounts:'.length);
          const members = subject.name === 'system:serviceaccounts' ? 'every service account in the cluster' : `every service account in namespace ${ns}`;
          ctx.report({ messageId: 'serviceAccountGroup', resource: b, pointer, data: { binding, role, subject: subject.name, members }, severity: 'critical' });
        } else if (isServiceAccountSubject(subject)) {
          const name = subject.kind === 'ServiceAccount' ? `"${subject.namespace ?? '?'}/${subject.name}"` : `"${subject.name}"`;
          ctx.report({ messageId: 'serviceAccount', resource: b, pointer, data: { binding, role, subject: name }, severity: 'critical' });
        } else if (PUBLIC_GROUPS.has(subject.name)) {
          ctx.report({ messageId: 'publicGroup', resource: b, pointer, data: { binding, role, subject: subject.name }, severity: 'critical' });
        } else {
          ctx.report({ messageId: 'subject', resource: b, pointer, data: { binding, role, kind: subject.kind, subject: subject.name } });
        }
      }
    }
  },
});
