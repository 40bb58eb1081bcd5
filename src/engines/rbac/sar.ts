/**
 * SubjectAccessReview-shaped questions (the `spec` fields, flattened as kubectl and the
 * batch mode take them) turned into a subject and request attributes.
 */
import { asRecord } from '../../core/records.js';
import type { RequestAttributes, Subject } from './types.js';

export interface SarCase {
  user: string;
  groups?: string[];
  verb: string;
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  namespace?: string;
  nonResourceURL?: string;
  expectedAllowed?: boolean;
}

/** A SubjectAccessReview spec as subject + attributes (no implicit groups are added, as the API server adds none). */
export function sarToQuery(c: SarCase): { subject: Subject; attrs: RequestAttributes } {
  const subject: Subject = { user: c.user ?? '', groups: c.groups ?? [] };
  if (typeof c.nonResourceURL === 'string' && c.nonResourceURL !== '') return { subject, attrs: { verb: c.verb, path: c.nonResourceURL } };
  return {
    subject,
    attrs: {
      verb: c.verb,
      apiGroup: c.apiGroup ?? '',
      resource: c.resource ?? '',
      subresource: c.subresource ?? '',
      name: c.name ?? '',
      namespace: c.namespace ?? '',
    },
  };
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * A question as the batch mode reads it: a SubjectAccessReview (whole, or its `spec`, with
 * `resourceAttributes` or `nonResourceAttributes`, whose group field is `group`), or the
 * flattened form (`apiGroup` or `group`, `nonResourceURL`). Throws on what is no question.
 */
export function sarCaseOf(v: unknown): SarCase {
  const top = asRecord(v);
  if (!top) throw new Error('a query is a JSON object');
  const spec = asRecord(top['spec']) ?? top;
  const ra = asRecord(spec['resourceAttributes']);
  const nra = asRecord(spec['nonResourceAttributes']);
  const attrs = ra ?? nra ?? spec;
  const verb = text(attrs['verb']);
  if (verb === undefined) throw new Error('a query needs at least "verb"');
  const groups = Array.isArray(spec['groups']) ? spec['groups'].filter((g): g is string => typeof g === 'string') : [];
  const c: SarCase = { user: text(spec['user']) ?? '', groups, verb };
  const path = nra ? text(nra['path']) : text(spec['nonResourceURL']);
  if (path !== undefined) c.nonResourceURL = path;
  const apiGroup = text(attrs['apiGroup']) ?? text(attrs['group']);
  if (apiGroup !== undefined) c.apiGroup = apiGroup;
  for (const k of ['resource', 'subresource', 'name', 'namespace'] as const) {
    const x = text(attrs[k]);
    if (x !== undefined) c[k] = x;
  }
  return c;
}
