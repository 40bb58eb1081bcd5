/**
 * Services of type LoadBalancer or NodePort are reachable from outside the cluster. A
 * LoadBalancer limited by `loadBalancerSourceRanges` is reported as low.
 */
import { IPV4_ALL, IPV6_ALL, parseCidr, type IpRange } from '../../../engines/netpol/ip.js';
import { defineRule } from '../../define.js';

/** Whether CIDRs together cover every IPv4 or every IPv6 address. */
function coversAFamily(cidrs: readonly string[]): boolean {
  const ranges = cidrs.map(parseCidr).filter((r): r is IpRange => r !== undefined);
  return [IPV4_ALL, IPV6_ALL].some((family) => {
    const inside = ranges.filter((r) => r.lo >= family.lo && r.hi <= family.hi).sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
    let next = family.lo;
    for (const r of inside) {
      if (r.lo > next) return false;
      if (r.hi + 1n > next) next = r.hi + 1n;
    }
    return next > family.hi;
  });
}

/** Annotations that make a cloud load balancer internal (a private address), by provider. */
const INTERNAL_LB: Record<string, readonly string[]> = {
  'service.beta.kubernetes.io/aws-load-balancer-internal': ['true', '0.0.0.0/0'],
  'service.beta.kubernetes.io/aws-load-balancer-scheme': ['internal'],
  'service.beta.kubernetes.io/azure-load-balancer-internal': ['true'],
  'networking.gke.io/load-balancer-type': ['internal'],
  'cloud.google.com/load-balancer-type': ['internal'],
  'service.beta.kubernetes.io/oci-load-balancer-internal': ['true'],
  'service.beta.kubernetes.io/openstack-internal-load-balancer': ['true'],
  'service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type': ['private'],
  'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type': ['intranet'],
};

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
        'A LoadBalancer Service gets an external address, usually public; a NodePort Service opens the port on every node\'s address. Both bypass any Ingress-level TLS, authentication and WAF, and every workload they select becomes an internet-facing attack surface. Review that each one is intended; a LoadBalancer restricted by `loadBalancerSourceRanges` (or the legacy `service.beta.kubernetes.io/load-balancer-source-ranges` annotation; any `/0` range is no restriction) or made internal by its cloud provider\'s annotation (AWS, Azure, GKE, OCI, OpenStack, IBM, Alibaba) is reported as low: its node ports stay open.',
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
    severities: { loadBalancer: ['low', 'medium'] },
  },
  check(ctx) {
    for (const s of ctx.model.services) {
      if (s.type !== 'LoadBalancer' && s.type !== 'NodePort') continue;
      const spec = (s.resource.object['spec'] ?? {}) as Record<string, unknown>;
      // The field, else the legacy annotation cloud providers still honour.
      const annotations = s.resource.object.metadata.annotations ?? {};
      const field = spec['loadBalancerSourceRanges'];
      const legacy = annotations['service.beta.kubernetes.io/load-balancer-source-ranges'];
      const ranges: unknown[] = Array.isArray(field) && field.length > 0 ? field : typeof legacy === 'string' ? legacy.split(',').map((r) => r.trim()).filter(Boolean) : [];
      // Ranges that together cover an address family (0.0.0.0/0, ::/0, or 0.0.0.0/1 with
      // 128.0.0.0/1) open the load balancer to all of it.
      const sourceRestricted = ranges.length > 0 && !coversAFamily(ranges.map(String));
      const internal = Object.entries(INTERNAL_LB).some(([key, values]) => values.includes(String(annotations[key] ?? '').toLowerCase()));
      const restricted = s.type === 'LoadBalancer' && (sourceRestricted || internal);
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
