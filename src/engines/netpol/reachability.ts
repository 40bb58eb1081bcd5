/**
 * Workloads reachable from everything: every other workload and every external address can
 * open some connection to them. Decided lazily on the network model — no connectivity matrix,
 * no workload × workload list — so that it stays cheap on large clusters:
 * - a destination some policy restricts for ingress is checked against external addresses
 *   first and then source by source, stopping at the first that cannot reach it;
 * - a destination nothing restricts is reachable by every source whose egress is unrestricted,
 *   so only workloads restricted for egress need a look.
 */
import { ALL, EMPTY, intersect, union, type ConnSet } from './conn.js';
import { directionRestricted, evaluateDirection, externalRanges, type ConnectivityOptions, type Endpoint } from './evaluate.js';
import type { NetworkModel, NetworkPolicyInfo, Workload } from './model.js';

export interface Reachable {
  workload: Workload;
  /** The connections every source can open. */
  conn: ConnSet;
}

export function reachableFromEverything(model: NetworkModel, options: ConnectivityOptions = {}): Reachable[] {
  const out: Reachable[] = [];
  if (model.workloads.length < 2) return out;
  const nsLabels = new Map(model.namespaces.map((n) => [n.name, n.labels]));
  const policiesByNs = new Map<string, NetworkPolicyInfo[]>();
  for (const p of model.policies) {
    const l = policiesByNs.get(p.namespace);
    if (l) l.push(p);
    else policiesByNs.set(p.namespace, [p]);
  }
  const endpoints: Endpoint[] = model.classes.map((cls) => ({
    type: 'pod',
    cls,
    nsLabels: nsLabels.get(cls.namespace) ?? { 'kubernetes.io/metadata.name': cls.namespace },
  }));
  const restricted = (direction: 'ingress' | 'egress', c: number): boolean => {
    const ep = endpoints[c] as Endpoint & { type: 'pod' };
    return directionRestricted(model, direction, ep.cls, ep.nsLabels, policiesByNs.get(ep.cls.namespace) ?? []);
  };
  const egressRestricted = model.classes.map((c) => restricted('egress', c.index));
  const ingressRestricted = model.classes.map((c) => restricted('ingress', c.index));
  // Workloads whose every class is restricted for egress: the only sources that can fail an unrestricted destination.
  const egressOnlyRestricted = model.workloads.filter((w) => w.classes.length > 0 && w.classes.every((c) => egressRestricted[c]));
  const { extIn } = externalRanges(model, options);
  const nsPoliciesOf = (e: Endpoint): NetworkPolicyInfo[] => (e.type === 'pod' ? (policiesByNs.get(e.cls.namespace) ?? []) : []);

  for (const w of model.workloads) {
    if (w.classes.length === 0) continue;
    const dsts = w.classes.map((c) => endpoints[c] as Endpoint);
    let common: ConnSet = ALL;
    // External sources.
    for (const range of extIn) {
      const src: Endpoint = { type: 'ip', range };
      let c: ConnSet = EMPTY;
      for (const d of dsts) c = union(c, evaluateDirection(model, 'ingress', d, src, nsPoliciesOf(d)).allowed);
      common = intersect(common, c);
      if (common === EMPTY) break;
    }
    if (common === EMPTY) continue;
    const open = w.classes.every((c) => !ingressRestricted[c]);
    const sources = open ? egressOnlyRestricted : model.workloads;
    for (const o of sources) {
      if (o === w) continue;
      let c: ConnSet = EMPTY;
      for (const s of o.classes) {
        for (const d of dsts) {
          const src = endpoints[s] as Endpoint;
          const egress = evaluateDirection(model, 'egress', src, d, nsPoliciesOf(src)).allowed;
          c = union(c, open ? egress : intersect(egress, evaluateDirection(model, 'ingress', d, src, nsPoliciesOf(d)).allowed));
          if (c === ALL) break;
        }
        if (c === ALL) break;
      }
      common = intersect(common, c);
      if (common === EMPTY) break;
    }
    if (common !== EMPTY) out.push({ workload: w, conn: common });
  }
  return out;
}
