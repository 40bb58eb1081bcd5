/**
 * Label selectors exactly as Kubernetes evaluates them (apimachinery labels.Selector):
 * matchLabels and matchExpressions are ANDed; an empty selector `{}` selects everything;
 * `NotIn` and `DoesNotExist` match objects that lack the key.
 */

export type Labels = Readonly<Record<string, string>>;

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirement[] | null;
}

function requirementMatches(req: LabelSelectorRequirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const value = has ? labels[req.key] : undefined;
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return has && values.includes(value as string);
    case 'NotIn':
      return !has || !values.includes(value as string);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      // An invalid operator is rejected by the API server; as data it selects nothing.
      return false;
  }
}

/** True when `selector` selects an object with `labels`. An empty selector matches everything. */
export function selectorMatches(selector: LabelSelector, labels: Labels | undefined): boolean {
  const l = labels ?? {};
  const ml = selector.matchLabels;
  if (ml) {
    for (const k of Object.keys(ml)) {
      if (l[k] !== String(ml[k])) return false;
    }
  }
  const me = selector.matchExpressions;
  if (me) {
    for (const req of me) if (!requirementMatches(req, l)) return false;
  }
  return true;
}

/** True when a selector has no requirement at all (`{}`): it selects everything. */
export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/**
 * A Service-style equality selector (`spec.selector: {app: web}`). Unlike a LabelSelector,
 * an empty or absent map selects nothing (the Service has manually managed endpoints).
 */
export function mapSelectorMatches(selector: Record<string, string> | undefined | null, labels: Labels | undefined): boolean {
  if (!selector) return false;
  const keys = Object.keys(selector);
  if (keys.length === 0) return false;
  const l = labels ?? {};
  for (const k of keys) if (l[k] !== String(selector[k])) return false;
  return true;
}
