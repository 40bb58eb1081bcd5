/**
 * Bindings whose subjects are system:anonymous or system:unauthenticated (anyone who
 * reaches the API server; high, critical for cluster-admin) or system:authenticated (every
 * identity, including every service account; medium, high when the role holds a high or
 * critical power of the RBAC risk catalogue: reading Secrets, exec, creating workloads, …). The bootstrap discovery bindings
 * (system:public-info-viewer, system:discovery, system:basic-user,
 * system:service-account-issuer-discovery) and other RBAC defaults are left out.
 */
import { effectiveRoleRules, isBootstrapRbac, policyRulesOf, roleRefOf, ruleGrants, subjectsOf } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';
import type { ClusterModel } from '../../../model/cluster.js';
import type { KubeObject, Resource } from '../../../core/types.js';
import { RISKS } from '../../../engines/rbac/risks.js';
import type { PolicyRule } from '../../../engines/rbac/types.js';

/**
 * What makes a role too much for every identity at once: the high and critical powers of the
 * RBAC engine's catalogue (requests not limited to a name), as verbs on a resource.
 */
const POWERFUL: ReadonlyArray<readonly [string, string, string]> = RISKS.filter((r) => (r.severity === 'high' || r.severity === 'critical') && !r.alsoOneOf).flatMap((r) =>
  r.anyOf.filter((q) => q.name === undefined).map((q) => [q.verb, q.apiGroup ?? '', q.subresource ? `${q.resource}/${q.subresource}` : q.resource] as const),
);

/** The rules a binding grants: its role's (aggregated ones included), or a built-in ClusterRole's, which effectiveRoleRules files under the binding. */
function grantedRules(model: ClusterModel, defaults: readonly KubeObject[]): (b: Resource) => readonly PolicyRule[] {
  const byResource = new Map<Resource, PolicyRule[]>();
  for (const ref of effectiveRoleRules(model, defaults)) {
    const list = byResource.get(ref.resource);
    if (list) list.push(ref.rule);
    else byResource.set(ref.resource, [ref.rule]);
  }
  const roles = new Map<string, Resource>();
  for (const r of model.clusterRoles) roles.set(`ClusterRole/${r.object.metadata.name ?? ''}`, r);
  for (const r of model.roles) roles.set(`Role/${r.object.metadata.namespace || 'default'}/${r.object.metadata.name ?? ''}`, r);
  return (b) => {
    const ref = roleRefOf(b);
    if (!ref) return [];
    const role = roles.get(ref.kind === 'ClusterRole' ? `ClusterRole/${ref.name}` : `Role/${b.object.metadata.namespace || 'default'}/${ref.name}`);
    return [...(role ? (byResource.get(role) ?? policyRulesOf(role).map((x) => x.rule)) : []), ...(byResource.get(b) ?? [])];
  };
}

const KUBEADM_CLUSTER_INFO = 'kubeadm:bootstrap-signer-clusterinfo';
const BOOTSTRAP = new Set(['system:public-info-viewer', 'system:discovery', 'system:basic-user', 'system:service-account-issuer-discovery']);

export default defineRule({
  id: 'rbac-anonymous-binding',
  meta: {
    title: 'Binding to anonymous or all users',
    category: 'rbac',
    severity: 'high',
    practice: 'rbac',
    targets: 'ClusterRoleBinding, RoleBinding',
    docs: {
      description:
        'system:anonymous and system:unauthenticated are every request without credentials; system:authenticated is every user and every service account in the cluster. Binding roles to them grants those permissions to anyone who can reach the API server, or to any stolen token.',
      remediation: 'Bind roles to specific users, groups or service accounts. Disable anonymous authentication on the API server where the health endpoints are not needed unauthenticated.',
    },
    references: [
      { framework: 'CIS', id: '5.1.1', title: 'Ensure that the cluster-admin role is only used where required' },
      { framework: 'CIS', id: '1.2.1', title: 'Ensure that the --anonymous-auth argument is set to false' },
      { framework: 'NSA-CISA', id: 'Authentication and authorization' },
      { framework: 'MITRE', id: 'T1078', title: 'Valid Accounts' },
    ],
    messages: {
      anonymous: '{{binding}} grants {{role}} to system:anonymous',
      unauthenticated: '{{binding}} grants {{role}} to system:unauthenticated',
      authenticated: '{{binding}} grants {{role}} to system:authenticated (every user and service account)',
    },
    severities: { anonymous: ['high', 'critical'], unauthenticated: ['high', 'critical'], authenticated: ['medium', 'high', 'critical'] },
  },
  check(ctx) {
    let rulesOf: ((b: Resource) => readonly PolicyRule[]) | undefined;
    for (const b of [...ctx.model.clusterRoleBindings, ...ctx.model.roleBindings]) {
      const ref = roleRefOf(b);
      // The bootstrap bindings by name only when they still bind their own role (a look-alike name is no excuse).
      if (isBootstrapRbac(b) || (BOOTSTRAP.has(b.object.metadata.name ?? '') && ref?.kind === 'ClusterRole' && ref.name === b.object.metadata.name)) continue;
      // kubeadm's discovery: anonymous `get` on the cluster-info ConfigMap of kube-public, by design.
      if (b.object.kind === 'RoleBinding' && b.object.metadata.namespace === 'kube-public' && b.object.metadata.name === KUBEADM_CLUSTER_INFO && ref?.kind === 'Role' && ref.name === KUBEADM_CLUSTER_INFO) continue;
      const role = ref ? `${ref.kind} "${ref.name}"` : 'a role';
      const admin = ref?.kind === 'ClusterRole' && ref.name === 'cluster-admin';
      const binding = `${b.object.kind} "${b.object.metadata.name ?? ''}"`;
      for (const { subject, pointer } of subjectsOf(b)) {
        if (subject.kind !== 'Group' && subject.kind !== 'User') continue;
        const data = { binding, role };
        if (subject.name === 'system:anonymous') ctx.report({ messageId: 'anonymous', resource: b, pointer, data, severity: admin ? 'critical' : 'high' });
        else if (subject.name === 'system:unauthenticated') ctx.report({ messageId: 'unauthenticated', resource: b, pointer, data, severity: admin ? 'critical' : 'high' });
        else if (subject.name === 'system:authenticated') {
          rulesOf ??= grantedRules(ctx.model, ctx.settings.rbacDefaults);
          const powerful = rulesOf(b).some((rule) => POWERFUL.some(([verb, group, resource]) => ruleGrants(rule, [verb], group, resource)));
          const severity = admin ? 'critical' : powerful ? 'high' : 'medium';
          ctx.report({ messageId: 'authenticated', resource: b, pointer, data, severity });
        }
      }
    }
  },
});
