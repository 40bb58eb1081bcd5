/**
 * Bindings whose subjects are system:anonymous or system:unauthenticated (anyone who
 * reaches the API server; high, critical for cluster-admin) or system:authenticated (every
 * identity, including every service account; medium, high when the role reads Secrets, execs
 * into pods, creates workloads or holds a wildcard). The bootstrap discovery bindings
 * (system:public-info-viewer, system:discovery, system:basic-user,
 * system:service-account-issuer-discovery) and other RBAC defaults are left out.
 */
import { isBootstrapRbac, policyRulesOf, roleRefOf, ruleGrants, subjectsOf } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';
import type { ClusterModel } from '../../../model/cluster.js';
import type { KubeObject, Resource } from '../../../core/types.js';
import { resourceFromObject } from '../../run.js';

/** What makes a role too much for every identity at once (each as verbs on a resource). */
const POWERFUL: ReadonlyArray<readonly [readonly string[], string, string]> = [
  [['get', 'list', 'watch'], '', 'secrets'],
  [['create'], '', 'pods/exec'],
  [['create'], '', 'pods'],
  [['create', 'patch', 'update'], 'apps', 'deployments'],
  [['create', 'patch', 'update'], 'apps', 'daemonsets'],
  [['escalate', 'bind'], 'rbac.authorization.k8s.io', 'clusterroles'],
  [['impersonate'], '', 'users'],
  [['create'], '', 'serviceaccounts/token'],
];

/** The bound role: from the input (a Role in the binding's namespace), else the cluster's defaults. */
function boundRole(model: ClusterModel, defaults: readonly KubeObject[], ref: { kind: string; name: string }, namespace: string | undefined): Resource | undefined {
  const inInput = ref.kind === 'ClusterRole' ? model.clusterRoles : model.roles.filter((r) => (r.object.metadata.namespace ?? 'default') === (namespace ?? 'default'));
  const found = inInput.find((r) => r.object.metadata.name === ref.name);
  if (found) return found;
  const d = ref.kind === 'ClusterRole' ? defaults.find((o) => o.kind === 'ClusterRole' && o.metadata.name === ref.name) : undefined;
  return d ? resourceFromObject(d) : undefined;
}

function powerful(role: Resource | undefined): boolean {
  if (!role) return false;
  return policyRulesOf(role).some(({ rule }) => POWERFUL.some(([verbs, group, resource]) => ruleGrants(rule, verbs, group, resource)));
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
          const severity = admin ? 'critical' : ref && powerful(boundRole(ctx.model, ctx.settings.rbacDefaults, ref, b.object.metadata.namespace)) ? 'high' : 'medium';
          ctx.report({ messageId: 'authenticated', resource: b, pointer, data, severity });
        }
      }
    }
  },
});
