/**
 * SubjectAccessReview-shaped questions (the `spec` fields, flattened as kubectl and the
 * batch mode take them) turned into a subject and request attributes.
 */
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
