/**
 * ClusterRole aggregation, as the kube-controller-manager's clusterrole-aggregation
 * controller computes it: for a ClusterRole with an `aggregationRule`, its rules become
 * the union, without duplicates, of the rules of every *other* ClusterRole selected by
 * any of its `clusterRoleSelectors` — selectors in order, selected roles by name. Nested
 * aggregation converges because the controller re-syncs whenever a ClusterRole changes;
 * here roles are re-synced in name order until nothing changes. A selector the API
 * server would reject (unknown operator, In/NotIn without values, Exists/DoesNotExist
 * with values) makes the controller fail for that role: its rules stay as given.
 */
import type { KubeObject } from '../../core/types.js';
import { selectorMatches, type LabelSelector } from '../../model/selectors.js';
import { normaliseRules, sameRule } from './match.js';
import type { PolicyRule } from './types.js';

export interface AggregatableRole {
  name: string;
  labels: Record<string, string>;
  rules: PolicyRule[];
  /** Present when the role has an aggregationRule (possibly with no selectors). */
  selectors?: LabelSelector[];
}

/** A ClusterRole object as aggregation reads it. */
export function aggregatableRole(o: KubeObject): AggregatableRole {
  const role: AggregatableRole = { name: o.metadata.name ?? '', labels: o.metadata.labels ?? {}, rules: normaliseRules(o['rules']) };
  const ar = o['aggregationRule'];
  if (ar !== undefined && ar !== null) {
    const sels = typeof ar === 'object' ? (ar as Record<string, unknown>)['clusterRoleSelectors'] : undefined;
    role.selectors = Array.isArray(sels) ? (sels.filter((x) => x !== null && typeof x === 'object') as LabelSelector[]) : [];
  }
  return role;
}

function validSelector(sel: LabelSelector): boolean {
  for (const req of sel.matchExpressions ?? []) {
    const n = (req.values ?? []).length;
    switch (req.operator) {
      case 'In':
      case 'NotIn':
        if (n === 0) return false;
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (n !== 0) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Returns the rules of every ClusterRole after aggregation (by name). Pure; the input is not changed. */
export function aggregateClusterRoles(roles: readonly AggregatableRole[]): { rules: Map<string, PolicyRule[]>; invalid: string[] } {
  const rules = new Map<string, PolicyRule[]>();
  for (const r of roles) rules.set(r.name, r.rules);
  const byName = [...roles].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const aggregating = byName.filter((r) => r.selectors !== undefined);
  const invalid = aggregating.filter((r) => !(r.selectors ?? []).every(validSelector)).map((r) => r.name);
  const active = aggregating.filter((r) => !invalid.includes(r.name));
  if (active.length === 0) return { rules, invalid };
  const limit = active.length + 2;
  for (let round = 0; round < limit; round++) {
    let changed = false;
    for (const agg of active) {
      const next: PolicyRule[] = [];
      for (const sel of agg.selectors ?? []) {
        for (const other of byName) {
          if (other.name === agg.name || !selectorMatches(sel, other.labels)) continue;
          for (const rule of rules.get(other.name) ?? []) if (!next.some((x) => sameRule(x, rule))) next.push(rule);
        }
      }
      const cur = rules.get(agg.name) ?? [];
      if (cur.length !== next.length || cur.some((r, i) => !sameRule(r, next[i] as PolicyRule))) {
        rules.set(agg.name, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return { rules, invalid };
}
