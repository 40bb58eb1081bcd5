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
import { EMPTY, formatConn, intersect } from './conn.js';
import type { Connectivity } from './evaluate.js';
import type { Connection } from './list.js';

export type NetpolRuleId = 'netpol-namespace-open-ingress' | 'netpol-namespace-open-egress' | 'netpol-workload-reachable-from-everything';

export interface NetpolFinding {
  ruleId: NetpolRuleId;
  severity: Severity;
  message: string;
  namespace?: string;
  workload?: string;
}

export function netpolFindings(cx: Connectivity, connections: readonly Connection[]): NetpolFinding[] {
  const { model } = cx;
  const out: NetpolFinding[] = [];
  const nsWithWorkloads = [...new Set(model.workloads.map((w) => w.namespace))].sort();
  for (const ns of nsWithWorkloads) {
    const all = model.policies.filter((p) => p.namespace === ns && isEmptySelector(p.podSelector));
    if (!all.some((p) => p.affectsIngress))
      out.push({ ruleId: 'netpol-namespace-open-ingress', severity: 'medium', namespace: ns, message: `namespace ${ns} has no default-deny ingress policy: pods are reachable unless a policy selects them` });
    if (!all.some((p) => p.affectsEgress))
      out.push({ ruleId: 'netpol-namespace-open-egress', severity: 'low', namespace: ns, message: `namespace ${ns} has no default-deny egress policy: pods can connect anywhere unless a policy selects them` });
  }
  const incoming = new Map<string, Map<string, Connection>>();
  for (const c of connections) {
    const m = incoming.get(c.dst) ?? new Map<string, Connection>();
    m.set(c.src, c);
    incoming.set(c.dst, m);
  }
  const externals = cx.extIn.length;
  for (const w of model.workloads) {
    const inc = incoming.get(w.id);
    if (!inc) continue;
    const others = model.workloads.filter((x) => x !== w);
    let common = null as ReturnType<typeof intersect> | null;
    let complete = true;
    for (const o of others) {
      const c = inc.get(o.id);
      if (!c) {
        complete = false;
        break;
      }
      common = common ? intersect(common, c.conn) : c.conn;
    }
    const ext = [...inc.values()].filter((c) => c.src.endsWith('[External]'));
    if (!complete || ext.length < externals) continue;
    for (const c of ext) common = common ? intersect(common, c.conn) : c.conn;
    if (!common || common === EMPTY) continue;
    out.push({
      ruleId: 'netpol-workload-reachable-from-everything',
      severity: 'medium',
      namespace: w.namespace,
      workload: w.id,
      message: `${w.id} is reachable from every workload and every external address (${formatConn(common)})`,
    });
  }
  return out;
}
