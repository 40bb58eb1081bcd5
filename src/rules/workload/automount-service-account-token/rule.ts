/**
 * A pod that mounts a service-account token hands it to anyone who gets code execution
 * in the pod. The effective value is the pod's `automountServiceAccountToken`, else the
 * ServiceAccount's, else true. Worse when the account is bound to RBAC roles (high), and
 * worse again when the pod is also reachable from outside the cluster (critical).
 */
import { bindingsOfServiceAccount, WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';
import { isInternetExposed, topLevelWorkloads } from '../../../model/cluster.js';

export default defineRule({
  id: 'automount-service-account-token',
  meta: {
    title: 'Service-account token automounted',
    category: 'workload',
    severity: 'medium',
    practice: 'service-account-tokens',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'Unless a pod or its ServiceAccount sets automountServiceAccountToken: false, the kubelet mounts a token for the pod\'s service account at /var/run/secrets/kubernetes.io/serviceaccount. An attacker with code execution in the container reads it and calls the API server with every permission the account has. The finding is high when a RoleBinding or ClusterRoleBinding in the inventory grants the account permissions, and critical when the pod is also exposed outside the cluster (LoadBalancer, NodePort, externalIPs, Ingress, host network or host port).',
      remediation:
        'Set `automountServiceAccountToken: false` in the pod spec (or on the ServiceAccount). Pods that really call the API should use a dedicated service account with a minimal Role, or a projected token volume with a short expiry and audience.',
    },
    references: [
      { framework: 'CIS', id: '5.1.6', title: 'Ensure that Service Account Tokens are only mounted where necessary' },
      { framework: 'NSA-CISA', id: 'Pod security: protecting pod service account tokens' },
      { framework: 'MITRE', id: 'T1528', title: 'Steal Application Access Token' },
      { framework: 'MITRE', id: 'T1552.007', title: 'Unsecured Credentials: Container API' },
    ],
    messages: {
      automounted: 'pods mount the token of service account "{{serviceAccount}}"',
      automountedWithRbac: 'pods mount the token of service account "{{serviceAccount}}", which is bound to RBAC permissions ({{bindings}})',
      automountedWithRbacExposed:
        'internet-exposed pods mount the token of service account "{{serviceAccount}}", which is bound to RBAC permissions ({{bindings}})',
    },
    severities: { automountedWithRbac: ['high'], automountedWithRbacExposed: ['critical'] },
    fixable: true,
  },
  check(ctx) {
    for (const w of topLevelWorkloads(ctx.model)) {
      if (!w.automountToken) continue;
      const spec = w.template.specPointer;
      const pointer = w.template.spec.automountServiceAccountToken === true ? `${spec}/automountServiceAccountToken` : spec;
      const bindings = bindingsOfServiceAccount(ctx.model, w.namespace, w.serviceAccount);
      const names = bindings.map((b) => `${b.object.kind} ${b.object.metadata.name ?? ''}`).sort().join(', ');
      const exposed = bindings.length > 0 && isInternetExposed(w);
      ctx.report({
        messageId: bindings.length === 0 ? 'automounted' : exposed ? 'automountedWithRbacExposed' : 'automountedWithRbac',
        resource: w.resource,
        pointer,
        data: { serviceAccount: w.serviceAccount, bindings: names },
        severity: bindings.length === 0 ? 'medium' : exposed ? 'critical' : 'high',
        fix: [{ op: 'add', path: `${spec}/automountServiceAccountToken`, value: false }],
      });
    }
  },
});
