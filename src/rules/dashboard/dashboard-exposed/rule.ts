/**
 * A Dashboard reachable from outside the cluster: a LoadBalancer/NodePort/externalIPs
 * Service selects its pods (reported on the Service), or an Ingress routes to such a
 * Service (reported on the Ingress).
 */
import { dashboardWorkloads } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

export default defineRule({
  id: 'dashboard-exposed',
  meta: {
    title: 'Kubernetes Dashboard exposed outside the cluster',
    category: 'dashboard',
    severity: 'high',
    practice: 'dashboard',
    targets: 'Service, Ingress',
    docs: {
      description:
        'A Dashboard published through a LoadBalancer or NodePort Service, external IPs or an Ingress can be found by internet scanners within hours; combined with skip-login or an over-privileged service account it hands the cluster to anyone. Dashboard v7 is reached through the Kong gateway of its Helm release (same namespace and `app.kubernetes.io/instance`): exposing that gateway exposes the Dashboard.',
      remediation: 'Make the Dashboard Service ClusterIP and remove Ingress routes to it; reach it through `kubectl port-forward` or an authenticating proxy on a private network.',
    },
    references: [
      { framework: 'NSA-CISA', id: 'Network separation and hardening' },
      { framework: 'MITRE', id: 'T1133', title: 'External Remote Services' },
      { framework: 'MITRE', id: 'T1190', title: 'Exploit Public-Facing Application' },
    ],
    messages: {
      serviceType: 'Service "{{service}}" exposes the Dashboard "{{workload}}" as {{type}}',
      externalIPs: 'Service "{{service}}" exposes the Dashboard "{{workload}}" on external IPs',
      ingress: 'Ingress "{{ingress}}" routes to the Dashboard "{{workload}}" through Service "{{service}}"',
    },
  },
  check(ctx) {
    for (const { workload: w } of dashboardWorkloads(ctx.model)) {
      for (const s of w.services) {
        const data = { service: s.name, workload: w.name, type: s.type };
        if (s.type === 'LoadBalancer' || s.type === 'NodePort') ctx.report({ messageId: 'serviceType', resource: s.resource, pointer: '/spec/type', data });
        if (s.externalIPs.length > 0) ctx.report({ messageId: 'externalIPs', resource: s.resource, pointer: '/spec/externalIPs', data });
        for (const ing of s.ingresses) ctx.report({ messageId: 'ingress', resource: ing, pointer: '/spec', data: { ...data, ingress: ing.object.metadata.name ?? '' } });
      }
    }
  },
});
