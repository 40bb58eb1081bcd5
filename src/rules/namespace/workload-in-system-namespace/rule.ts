/**
 * Workloads in system namespaces (`settings.systemNamespaces`, default kube-system,
 * kube-public, kube-node-lease). Cluster components live there; anything else shares their
 * privileged service accounts, secrets and exemptions from admission policy.
 */
import { WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';
import { topLevelWorkloads } from '../../../model/cluster.js';

export default defineRule({
  id: 'workload-in-system-namespace',
  meta: {
    title: 'Workload in a system namespace',
    category: 'namespace',
    severity: 'low',
    practice: 'resource-hygiene',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'System namespaces such as kube-system hold the cluster\'s own components, highly privileged service accounts and their token secrets, and are commonly exempted from Pod Security admission and network policy. An application deployed there inherits that exposure, and a compromise there reaches the control plane\'s credentials. Review that every workload found there really is a cluster component.',
      remediation: 'Move application workloads to their own namespace; keep system namespaces for cluster components installed by the platform team.',
    },
    references: [
      { framework: 'CIS', id: '5.7.1', title: 'Create administrative boundaries between resources using namespaces' },
      { framework: 'NSA-CISA', id: 'Network separation and hardening: namespaces' },
    ],
    messages: {
      inSystem: '{{kind}} "{{name}}" runs in system namespace "{{namespace}}"',
    },
  },
  check(ctx) {
    for (const w of topLevelWorkloads(ctx.model)) {
      if (!ctx.settings.systemNamespaces.includes(w.namespace)) continue;
      ctx.report({ messageId: 'inSystem', resource: w.resource, pointer: '/metadata/namespace', data: { kind: w.kind, name: w.name, namespace: w.namespace } });
    }
  },
});
