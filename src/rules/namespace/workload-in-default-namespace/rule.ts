/** Workloads in the `default` namespace (explicitly, or because none is given). */
import { WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';
import { topLevelWorkloads } from '../../../model/cluster.js';

export default defineRule({
  id: 'workload-in-default-namespace',
  meta: {
    title: 'Workload in the default namespace',
    category: 'namespace',
    severity: 'low',
    practice: 'resource-hygiene',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'The `default` namespace is where everything lands that was not placed deliberately. Workloads there share one set of RBAC bindings, quotas, network policies and Pod Security labels with every stray object, so isolating them is hard. A manifest without `metadata.namespace` is applied there unless the user remembers `-n`.',
      remediation: 'Create a namespace per application or team, with its own RBAC, NetworkPolicies, ResourceQuota and Pod Security labels, and set `metadata.namespace` explicitly.',
    },
    references: [
      { framework: 'CIS', id: '5.7.4', title: 'The default namespace should not be used' },
      { framework: 'CIS', id: '5.7.1', title: 'Create administrative boundaries between resources using namespaces' },
      { framework: 'NSA-CISA', id: 'Network separation and hardening: namespaces' },
    ],
    messages: {
      inDefault: '{{kind}} "{{name}}" runs in the default namespace',
    },
  },
  check(ctx) {
    for (const w of topLevelWorkloads(ctx.model)) {
      if (w.namespace !== 'default') continue;
      const explicit = typeof w.resource.object.metadata.namespace === 'string' && w.resource.object.metadata.namespace !== '';
      ctx.report({ messageId: 'inDefault', resource: w.resource, pointer: explicit ? '/metadata/namespace' : '/metadata', data: { kind: w.kind, name: w.name } });
    }
  },
});
