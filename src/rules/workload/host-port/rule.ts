/** Container ports bound to a port on the node (`hostPort`), which bypasses Services and NetworkPolicy scoping. */
import { containerLabel, containersOf, WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

export default defineRule({
  id: 'host-port',
  meta: {
    title: 'Container uses a host port',
    category: 'workload',
    severity: 'medium',
    practice: 'container-escape',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'A `hostPort` publishes the container port on every interface of the node the pod lands on, reachable by anything that can reach the node, outside Service and Ingress controls. It also pins scheduling (one such pod per node and port).',
      remediation: 'Remove `hostPort` and expose the port through a Service (ClusterIP behind an Ingress, or a LoadBalancer with source ranges).',
    },
    references: [
      { framework: 'PSS', id: 'baseline/hostPorts', title: 'Host Ports' },
      { framework: 'CIS', id: '5.2.13', title: 'Minimize the admission of containers which use HostPorts' },
      { framework: 'NSA-CISA', id: 'Network separation and hardening' },
      { framework: 'MITRE', id: 'T1133', title: 'External Remote Services' },
    ],
    messages: {
      hostPort: '{{container}} binds host port {{port}}',
    },
    fixable: true,
  },
  check(ctx) {
    for (const ref of containersOf(ctx.model)) {
      const ports = ref.container.ports;
      if (!Array.isArray(ports)) continue;
      ports.forEach((p, i) => {
        if (typeof p?.hostPort !== 'number' || p.hostPort <= 0) return;
        const pointer = `${ref.pointer}/ports/${i}/hostPort`;
        ctx.report({
          messageId: 'hostPort',
          resource: ref.resource,
          pointer,
          data: { container: containerLabel(ref), port: p.hostPort },
          fix: [{ op: 'remove', path: pointer }],
        });
      });
    }
  },
});
