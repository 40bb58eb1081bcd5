/**
 * Network findings as plain records, for the scan report:
 * - `netpol-namespace-open-ingress` / `netpol-namespace-open-egress`: a namespace with workloads
 *   and no NetworkPolicy that selects every pod (`podSelector: {}`) for that direction, so new
 *   workloads start open (no default deny);
 * - `netpol-workload-reachable-from-everything`: a workload that every other workload and every
 *   external address can connect to.
 */
import type { Severity } from '../../core/types.js';
import { isEmptySelector } from '../../model/selectors.js';
import { formatConn } from './conn.js';
import type { NetworkModel } from './model.js';
import { reachableFromEverything } from './reachability.js';

export type NetpolRuleId = 'netpol-namespace-open-ingress' | 'netpol-namespace-open-egress' | 'netpol-workload-reachable-from-everything';

export interface NetpolFinding {
  ruleId: NetpolRuleId;
  severity: Severity;
  message: string;
  namespace?: string;
  workload?: string;
}

export function netpolFindings(model: NetworkModel): NetpolFinding[] {
  const out: NetpolFinding[] = [];
  const nsWithWorkloads = [...new Set(model.workloads.map((w) => w.namespace))].sort();
  for (const ns of nsWithWorkloads) {
    const all = model.policies.filter((p) => p.namespace === ns && isEmptySelector(p.podSelector));
    if (!all.some((p) => p.affectsIngress))
      out.push({ ruleId: 'netpol-namespace-open-ingress', severity: 'medium', namespace: ns, message: `namespace ${ns} has no default-deny ingress policy: pods are reachable unless a policy selects them` });
    if (!all.some((p) => p.affectsEgress))
      out.push({ ruleId: 'netpol-namespace-open-egress', severity: 'low', namespace: ns, message: `namespace ${ns} has no default-deny egress policy: pods can connect anywhere unless a policy selects them` });
  }
  for (const r of reachableFromEverything(model)) {
    out.push({
      ruleId: 'netpol-workload-reachable-from-everything',
      severity: 'medium',
      namespace: r.workload.namespace,
      workload: r.workload.id,
      message: `${r.workload.id} is reachable from every workload and every external address (${formatConn(r.conn)})`,
    });
  }
  return out;
}
