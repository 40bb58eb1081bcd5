/**
 * Rule matching, exactly as the Kubernetes RBAC authorizer does it
 * (plugin/pkg/auth/authorizer/rbac `RuleAllows` and the pkg/apis/rbac/v1 helpers):
 *
 * - verbs: `*` or an exact match;
 * - apiGroups: `*` or an exact match (`""` is the core group);
 * - resources: `*`, an exact match of `resource` or `resource/subresource`, or `*​/sub`
 *   matching any resource's subresource `sub`. `pods/*` is NOT a wildcard: it only
 *   matches a request whose combined resource is literally `pods/*`;
 * - resourceNames: an empty list matches any request; otherwise the request's name
 *   must be one of them (a request without a name — list, watch, create, deletecollection
 *   as the API server sends them — never matches a rule that lists names);
 * - nonResourceURLs: `*`, an exact match, or a prefix match for an entry ending in `*`
 *   (all trailing `*` removed).
 */
import type { NonResourceAttributes, PolicyRule, ResourceAttributes } from './types.js';

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  for (const v of rule.verbs) if (v === '*' || v === verb) return true;
  return false;
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  for (const g of rule.apiGroups) if (g === '*' || g === group) return true;
  return false;
}

export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources) {
    if (r === '*' || r === combined) return true;
    if (subresource.length === 0) continue;
    if (r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  if (rule.resourceNames.length === 0) return true;
  for (const n of rule.resourceNames) if (n === name) return true;
  return false;
}

export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs) {
    if (u === '*' || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))) return true;
  }
  return false;
}

export function combinedResource(resource: string, subresource: string): string {
  return subresource.length > 0 ? `${resource}/${subresource}` : resource;
}

export function resourceRuleAllows(rule: PolicyRule, a: ResourceAttributes): boolean {
  const sub = a.subresource ?? '';
  return (
    verbMatches(rule, a.verb) &&
    apiGroupMatches(rule, a.apiGroup ?? '') &&
    resourceMatches(rule, combinedResource(a.resource, sub), sub) &&
    resourceNameMatches(rule, a.name ?? '')
  );
}

export function nonResourceRuleAllows(rule: PolicyRule, a: NonResourceAttributes): boolean {
  return verbMatches(rule, a.verb) && nonResourceURLMatches(rule, a.path);
}

function strings(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.filter((x): x is string => typeof x === 'string');
}

/** A rule from raw object data, with every list present. */
export function normaliseRule(raw: unknown): PolicyRule {
  const r = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  return {
    verbs: strings(r['verbs']),
    apiGroups: strings(r['apiGroups']),
    resources: strings(r['resources']),
    resourceNames: strings(r['resourceNames']),
    nonResourceURLs: strings(r['nonResourceURLs']),
  };
}

/** Rules from raw `rules:` data (null, absent or not a list → none). */
export function normaliseRules(raw: unknown): PolicyRule[] {
  return Array.isArray(raw) ? raw.map(normaliseRule) : [];
}

function sameList(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Field-by-field equality (order-sensitive, as the aggregation controller's semantic equality). */
export function sameRule(a: PolicyRule, b: PolicyRule): boolean {
  return (
    sameList(a.verbs, b.verbs) &&
    sameList(a.apiGroups, b.apiGroups) &&
    sameList(a.resources, b.resources) &&
    sameList(a.resourceNames, b.resourceNames) &&
    sameList(a.nonResourceURLs, b.nonResourceURLs)
  );
}

/** A compact human form of a rule: `get,list secrets [names: a,b]` / `get /healthz`. */
export function formatRule(rule: PolicyRule): string {
  const verbs = rule.verbs.join(',');
  if (rule.nonResourceURLs.length > 0 && rule.resources.length === 0) return `${verbs} ${rule.nonResourceURLs.join(',')}`;
  const groups = rule.apiGroups.map((g) => (g === '' ? 'core' : g)).join(',');
  const names = rule.resourceNames.length > 0 ? ` [names: ${rule.resourceNames.join(',')}]` : '';
  return `${verbs} ${rule.resources.join(',')} (${groups})${names}`;
}
