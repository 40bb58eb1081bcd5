/**
 * Services of type LoadBalancer or NodePort are reachable from outside the cluster. A
 * LoadBalancer limited by `loadBalancerSourceRanges` is reported as low.
 */
import { defineRule } from '../../define.js';

export default defineRule({
  id: 'service-exposure',
  meta: {
    title: 'Service exposed outside the cluster',
    category: 'network',
    severity: 'medium',
    practice: 'network-policies',
    targets: 'Service',
    docs: {
      description:
        'A LoadBalancer Service gets an external address, usually public; a NodePort Service opens the port on every node\'s address. Both bypass any Ingress-level TLS, authentication and WAF, and every workload they select becomes an internet-facing attack surface. Review that each one is intended; a LoadBalancer restricted by `loadBalancerSourceRanges` is reported as low.',
      remediation: 'Use ClusterIP Services behind an Ingress (with TLS) where possible; otherwise restrict LoadBalancers with `loadBalancerSourceRanges` or an internal load-balancer annotation, and avoid NodePort.',
    },
    references: [
      { framework: 'NSA-CISA', id: 'Network separation and hardening' },
      { framework: 'MITRE', id: 'T1133', title: 'External Remote Services' },
      { framework: 'MITRE', id: 'T1190', title: 'Exploit Public-Facing Application' },
    ],
    messages: {
      loadBalancer: 'Service "{{name}}" is of type LoadBalancer (ports {{ports}})',
      nodePort: 'Service "{{name}}" is of type NodePort (ports {{ports}})',
    },
  },
  check(ctx) {
    for (const s of ctx.model.services) {
      if (s.type !== 'LoadBalancer' && s.type !== 'NodePort') continue;
      const spec = (s.resource.object['spec'] ?? {}) as Record<string, unknown>;
      const ranges = spec['loadBalancerSourceRanges'];
      // Any /0 (0.0.0.0/0, ::/0) opens the load balancer to a whole address family.
      const restricted = s.type === 'LoadBalancer' && Array.isArray(ranges) && ranges.length > 0 && !ranges.some((r) => /\/0$/.test(String(r).trim()));
      ctx.report({
        messageId: s.type === 'LoadBalancer' ? 'loadBalancer' : 'nodePort',
        resource: s.resource,
        pointer: '/spec/type',
        data: { name: s.name, ports: s.ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}` : String(p.port))).join(', ') || 'none' },
        ...(restricted ? { severity: 'low' as const } : {}),
      });
    }
  },
});
