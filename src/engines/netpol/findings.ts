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
import { ALL, EMPTY, connById, formatConn, intersect, union, type ConnSet } from './conn.js';
import { classConn, externalToClass, type Connectivity } from './evaluate.js';
import type { PodClass, Workload } from './model.js';
import type { Connection } from './list.js';

export type NetpolRuleId = 'netpol-namespace-open-ingress' | 'netpol-namespace-open-egress' | 'netpol-workload-reachable-from-everything';

export interface NetpolFinding {
  ruleId: NetpolRuleId;
  severity: Severity;
  message: string;
  namespace?: string;
  workload?: string;
}

export function netpolFindings(cx: Connectivity, _connections?: readonly Connection[]): NetpolFinding[] {
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
  for (const r of reachableFromEverything(cx)) {
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

/**
 * Workloads that every other workload and every external address can connect to, with the
 * connections all of them share. Computed on pod classes, never on the workload × workload
 * list: a destination that no policy isolates for ingress is decided from the handful of
 * distinct egress profiles; an isolated one is checked source by source and dropped at the
 * first source that cannot reach it.
 */
export function reachableFromEverything(cx: Connectivity): Array<{ workload: Workload; conn: ConnSet }> {
  const { model } = cx;
  const C = model.classes.length;
  const out: Array<{ workload: Workload; conn: ConnSet }> = [];
  if (model.workloads.length < 2) return out;
  // How many classes use each egress profile.
  const profileCount = new Map<number, number>();
  for (let c = 0; c < C; c++) {
    const p = cx.egressProfileOf[c] as number;
    profileCount.set(p, (profileCount.get(p) ?? 0) + 1);
  }
  const ownerCount = (c: number): number => (model.classes[c] as PodClass).workloads.length;
  for (const w of model.workloads) {
    let common: ConnSet | null = null;
    const own = new Set(w.classes);
    // External sources first: cheap, and where most isolated destinations already fail.
    for (let x = 0; x < cx.extIn.length && common !== EMPTY; x++) {
      let c: ConnSet = EMPTY;
      for (const d of w.classes) c = union(c, externalToClass(cx, x, d));
      common = common ? intersect(common, c) : c;
    }
    if (common === EMPTY) continue;
    const singleOpen = w.classes.length === 1 && cx.ingressCols[cx.ingressProfileOf[w.classes[0] as number] as number] === null;
    if (singleOpen) {
      // Not isolated for ingress: only the sources' egress decides, and it is the same for
      // every class of one egress profile.
      const d = w.classes[0] as number;
      const counts = new Map(profileCount);
      for (const c of own) if (ownerCount(c) === 1) counts.set(cx.egressProfileOf[c] as number, (counts.get(cx.egressProfileOf[c] as number) ?? 1) - 1);
      for (const [p, n] of counts) {
        if (n <= 0) continue;
        const row = cx.egressRows[p];
        const c = row ? connById(row[d] as number) : ALL;
        common = common ? intersect(common, c) : c;
        if (common === EMPTY) break;
      }
    } else {
      for (let s = 0; s < C && common !== EMPTY; s++) {
        if (own.has(s) && ownerCount(s) === 1) continue;
        let c: ConnSet = EMPTY;
        for (const d of w.classes) c = union(c, classConn(cx, s, d));
        common = common ? intersect(common, c) : c;
      }
    }
    if (!common || common === EMPTY) continue;
    out.push({ workload: w, conn: common });
  }
  return out;
}
