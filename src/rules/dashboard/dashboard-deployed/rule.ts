/**
 * The Kubernetes Dashboard, recognised by image (`kubernetesui/dashboard*`,
 * `kubernetes-dashboard*`), workload name or `k8s-app` / `app.kubernetes.io/name` / `app`
 * label. A web UI with cluster credentials is a prime target; it should not run at all in
 * production, or run locked down.
 */
import { dashboardWorkloads, WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

export default defineRule({
  id: 'dashboard-deployed',
  meta: {
    title: 'Kubernetes Dashboard deployed',
    category: 'dashboard',
    severity: 'medium',
    practice: 'dashboard',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'The Kubernetes Dashboard is a web UI that acts on the cluster with the rights of its users\' tokens, or with its own service account when login is skipped. Exposed or over-privileged dashboards have been the entry point of real cluster compromises (e.g. cryptomining at Tesla, 2018). Reported for every Dashboard workload so that its configuration gets reviewed.',
      remediation: 'Prefer not to run the Dashboard; use kubectl or a read-only tool. If it must run: keep it ClusterIP-only, reach it through `kubectl proxy`/port-forward, require token login, and give its service account no extra permissions.',
    },
    references: [
      { framework: 'NSA-CISA', id: 'Authentication and authorization' },
      { framework: 'MITRE', id: 'T1133', title: 'External Remote Services' },
      { framework: 'URL', id: 'https://github.com/kubernetes/dashboard/blob/master/docs/user/access-control/README.md' },
    ],
    messages: {
      deployed: '{{kind}} "{{name}}" runs the Kubernetes Dashboard',
    },
  },
  check(ctx) {
    for (const { workload: w, evidence, gateway } of dashboardWorkloads(ctx.model)) {
      if (gateway) continue; // part of a Dashboard already reported
      ctx.report({ messageId: 'deployed', resource: w.resource, pointer: evidence, data: { kind: w.kind, name: w.name } });
    }
  },
});
