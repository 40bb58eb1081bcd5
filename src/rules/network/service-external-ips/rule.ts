/**
 * `spec.externalIPs` makes kube-proxy capture traffic to those addresses on every node. Any
 * user who can create Services can claim any IP this way and intercept cluster traffic
 * to it (CVE-2020-8554), so the field should be unused and blocked by admission.
 */
import { defineRule } from '../../define.js';

export default defineRule({
  id: 'service-external-ips',
  meta: {
    title: 'Service with externalIPs',
    category: 'network',
    severity: 'medium',
    practice: 'network-policies',
    targets: 'Service',
    docs: {
      description:
        'Services with `externalIPs` receive traffic addressed to those IPs on every node. Because nothing checks who owns an address, a Service can claim any IP, including external ones, and silently intercept traffic from pods to it (CVE-2020-8554, man-in-the-middle). It also exposes the selected pods on node addresses.',
      remediation: 'Remove `externalIPs`; use a LoadBalancer Service instead, and block the field with the DenyServiceExternalIPs admission plugin or a policy.',
    },
    references: [
      { framework: 'URL', id: 'https://github.com/kubernetes/kubernetes/issues/97076', title: 'CVE-2020-8554' },
      { framework: 'NSA-CISA', id: 'Network separation and hardening' },
      { framework: 'MITRE', id: 'T1557', title: 'Adversary-in-the-Middle' },
    ],
    messages: {
      externalIp: 'Service "{{name}}" claims external IP {{ip}}',
    },
    fixable: true,
  },
  check(ctx) {
    for (const s of ctx.model.services) {
      s.externalIPs.forEach((ip, i) => {
        ctx.report({ messageId: 'externalIp', resource: s.resource, pointer: `/spec/externalIPs/${i}`, data: { name: s.name, ip }, ...(i === 0 ? { fix: [{ op: 'remove' as const, path: '/spec/externalIPs' }] } : {}) });
      });
    }
  },
});
