/** Ingresses publish services outside the cluster (low, for the inventory); without TLS they serve plain HTTP (medium). */
import { defineRule } from '../../define.js';
import { ingressBackends } from '../../../model/cluster.js';

/** Whether a certificate host (`*.example.com` covers one label) covers `host`. */
function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === h) return true;
  if (!p.startsWith('*.')) return false;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === p.slice(2);
}

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
      hostWithoutTls: 'Ingress "{{name}}" serves host {{host}} without TLS (no tls entry covers it)',
    },
    severities: { noTls: ['medium'], hostWithoutTls: ['medium'] },
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
        continue;
      }
      // A tls entry without hosts covers every host (the controller's default certificate).
      const tlsHosts = tls.map((t) => (t !== null && typeof t === 'object' ? (t as Record<string, unknown>)['hosts'] : undefined));
      if (tlsHosts.some((h) => !Array.isArray(h) || h.length === 0)) continue;
      const covered = (tlsHosts as unknown[][]).flat().map(String);
      const rules = Array.isArray(spec['rules']) ? (spec['rules'] as unknown[]) : [];
      rules.forEach((r, i) => {
        const host = r !== null && typeof r === 'object' ? (r as Record<string, unknown>)['host'] : undefined;
        if (typeof host !== 'string' || host === '' || covered.some((c) => hostMatches(c, host))) return;
        ctx.report({ messageId: 'hostWithoutTls', resource: ing, pointer: `/spec/rules/${i}/host`, data: { name, host }, severity: 'medium' });
      });
    }
  },
});
