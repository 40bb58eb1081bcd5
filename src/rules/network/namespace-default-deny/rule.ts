/**
 * Every namespace that runs workloads needs a default-deny NetworkPolicy per direction: one
 * that selects all pods (`podSelector: {}`), has the direction in its policyTypes and no
 * rules for it. policyTypes defaults as the API server does: Ingress always, Egress when an
 * `egress` section is present. Reported on the Namespace object when the inventory has it,
 * else on the namespace's first workload.
 */
import type { Resource } from '../../../core/types.js';
import { defineRule } from '../../define.js';
import { topLevelWorkloads } from '../../../model/cluster.js';

function isEmptySelector(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'object' || Array.isArray(v)) return false;
  const s = v as { matchLabels?: unknown; matchExpressions?: unknown };
  const noLabels = s.matchLabels === undefined || s.matchLabels === null || (typeof s.matchLabels === 'object' && Object.keys(s.matchLabels).length === 0);
  const noExprs = s.matchExpressions === undefined || s.matchExpressions === null || (Array.isArray(s.matchExpressions) && s.matchExpressions.length === 0);
  return noLabels && noExprs;
}

/** The directions a NetworkPolicy denies by default for every pod of its namespace. */
export function defaultDenyDirections(np: Resource): Set<'Ingress' | 'Egress'> {
  const out = new Set<'Ingress' | 'Egress'>();
  const spec = np.object['spec'] as Record<string, unknown> | undefined;
  if (!spec || !isEmptySelector(spec['podSelector'])) return out;
  const declared = Array.isArray(spec['policyTypes']) ? (spec['policyTypes'] as unknown[]) : undefined;
  const types = declared ?? ['Ingress', ...(spec['egress'] !== undefined ? ['Egress'] : [])];
  const empty = (v: unknown): boolean => v === undefined || v === null || (Array.isArray(v) && v.length === 0);
  if (types.includes('Ingress') && empty(spec['ingress'])) out.add('Ingress');
  if (types.includes('Egress') && empty(spec['egress'])) out.add('Egress');
  return out;
}

export default defineRule({
  id: 'namespace-default-deny',
  meta: {
    title: 'Namespace without default-deny NetworkPolicy',
    category: 'network',
    severity: 'medium',
    practice: 'network-policies',
    targets: 'Namespace (with workloads), NetworkPolicy',
    docs: {
      description:
        'Kubernetes allows all pod-to-pod and pod-to-internet traffic until a NetworkPolicy selects a pod. Without a default-deny policy per direction, every new workload in the namespace is open, a compromised pod can reach every other service and the API server, and data can leave the cluster freely. A default deny is a NetworkPolicy with `podSelector: {}`, the direction in `policyTypes` and no rules for it.',
      remediation:
        'Add `podSelector: {}` / `policyTypes: [Ingress, Egress]` with no rules to each namespace, then one allow policy per needed flow (including DNS egress to kube-dns).',
    },
    references: [
      { framework: 'CIS', id: '5.3.2', title: 'Ensure that all Namespaces have NetworkPolicies defined' },
      { framework: 'NSA-CISA', id: 'Network separation and hardening: network policies' },
      { framework: 'MITRE', id: 'T1046', title: 'Network Service Discovery' },
    ],
    messages: {
      noDefaultDenyIngress: 'namespace "{{namespace}}" has workloads but no default-deny ingress NetworkPolicy',
      noDefaultDenyEgress: 'namespace "{{namespace}}" has workloads but no default-deny egress NetworkPolicy',
    },
  },
  check(ctx) {
    const firstWorkload = new Map<string, Resource>();
    for (const w of topLevelWorkloads(ctx.model)) if (!firstWorkload.has(w.namespace)) firstWorkload.set(w.namespace, w.resource);
    const denied = new Map<string, Set<string>>();
    for (const np of ctx.model.networkPolicies) {
      const ns = np.object.metadata.namespace || 'default';
      let set = denied.get(ns);
      if (!set) denied.set(ns, (set = new Set()));
      for (const d of defaultDenyDirections(np)) set.add(d);
    }
    for (const [ns, workload] of [...firstWorkload.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const nsResource = ctx.model.namespaces.get(ns)?.resource;
      const resource = nsResource ?? workload;
      const pointer = nsResource ? '/metadata/name' : '/metadata';
      const have = denied.get(ns) ?? new Set();
      if (!have.has('Ingress')) ctx.report({ messageId: 'noDefaultDenyIngress', resource, pointer, data: { namespace: ns } });
      if (!have.has('Egress')) ctx.report({ messageId: 'noDefaultDenyEgress', resource, pointer, data: { namespace: ns } });
    }
  },
});
