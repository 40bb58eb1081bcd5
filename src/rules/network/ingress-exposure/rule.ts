/** Ingresses publish services outside the cluster (low, for the inventory); without TLS they serve plain HTTP (medium). */
import { defineRule } from '../../define.js';
import { ingressBackends } from '../../../model/cluster.js';

export default defineRule({
  id: 'ingress-exposure',
  meta: {
    title: 'Service exposed through an Ingress',
    category: 'network',
    severity: 'low',
    practice: 'network-policies',
    targets: 'Ingress',
    docs: {
      description:
        'Every Ingress makes its backend Services reachable from outside the cluster; each one is an entry point to review (authentication, rate limits, what the backend exposes). An Ingress without a `tls` section serves plain HTTP, so credentials and session cookies cross the network in clear text (medium).',
      remediation: 'Keep an inventory of Ingresses; add `spec.tls` with a certificate for every host and redirect HTTP to HTTPS; protect admin paths with authentication.',
    },
    references: [
      { framework: 'NSA-CISA', id: 'Network separation and hardening' },
      { framework: 'MITRE', id: 'T1190', title: 'Exploit Public-Facing Application' },
    ],
    messages: {
      exposed: 'Ingress "{{name}}" exposes {{backends}} outside the cluster',
      noTls: 'Ingress "{{name}}" has no TLS section (plain HTTP)',
    },
  },
  check(ctx) {
    for (const ing of ctx.model.ingresses) {
      const name = ing.object.metadata.name ?? '';
      const backends = ingressBackends(ing.object);
      ctx.report({
        messageId: 'exposed',
        resource: ing,
        pointer: '/spec',
        data: { name, backends: backends.length > 0 ? `service ${backends.map((b) => `"${b}"`).join(', ')}` : 'no service' },
      });
      const spec = (ing.object['spec'] ?? {}) as Record<string, unknown>;
      const tls = spec['tls'];
      if (!Array.isArray(tls) || tls.length === 0) {
        ctx.report({ messageId: 'noTls', resource: ing, pointer: '/spec', data: { name }, severity: 'medium' });
      }
    }
  },
});
