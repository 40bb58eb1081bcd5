/**
 * Exceptions written on the objects themselves, beside what they excuse:
 *
 *   metadata:
 *     annotations:
 *       kubeward.dev/ignore: host-path-volume,run-as-root     # rule ids, or *
 *       kubeward.dev/ignore-justification: node-exporter reads /proc and /sys of the host
 *
 * As with the configuration's exceptions, an accepted risk needs a written justification: an
 * ignore annotation without one suppresses nothing and says so, and so does a rule id that
 * is not in the catalog (a typo would otherwise hide nothing, silently). The admission
 * webhook never reads these: whoever writes the object would be excusing themselves. Pure.
 */
import type { Finding } from '../core/finding.js';
import { resourceId, resourceLabel, type KubeObject, type ResourceId } from '../core/types.js';

export const IGNORE_ANNOTATION = 'kubeward.dev/ignore';
export const IGNORE_JUSTIFICATION_ANNOTATION = 'kubeward.dev/ignore-justification';

export interface AnnotationException {
  /** Rule ids, or every rule. */
  rules: ReadonlySet<string> | '*';
  justification: string;
}

function keyOf(id: ResourceId): string {
  return `${id.apiVersion}\n${id.kind}\n${id.namespace ?? ''}\n${id.name}`;
}

/** The ignore annotations of `objects`, by resource, and a notice for each one that cannot apply. */
export function annotationExceptions(objects: Iterable<KubeObject>, knownRules: ReadonlySet<string>): { byResource: Map<string, AnnotationException>; notices: string[] } {
  const byResource = new Map<string, AnnotationException>();
  const notices: string[] = [];
  for (const o of objects) {
    const annotations = o.metadata?.annotations;
    const raw = annotations?.[IGNORE_ANNOTATION];
    if (raw === undefined) continue;
    const id = resourceId(o);
    const text = String(raw).trim();
    const justification = String(annotations?.[IGNORE_JUSTIFICATION_ANNOTATION] ?? '').trim();
    if (justification === '') {
      notices.push(`${resourceLabel(id)}: ${IGNORE_ANNOTATION} without ${IGNORE_JUSTIFICATION_ANNOTATION} suppresses nothing; write down why the risk is accepted`);
      continue;
    }
    if (text === '*') {
      byResource.set(keyOf(id), { rules: '*', justification });
      continue;
    }
    const rules = new Set<string>();
    for (const part of text.split(',')) {
      const rule = part.trim();
      if (rule === '') continue;
      if (knownRules.has(rule)) rules.add(rule);
      else notices.push(`${resourceLabel(id)}: ${IGNORE_ANNOTATION} names ${JSON.stringify(rule)}, which is no rule id (see \`kubeward rules\`); ignored`);
    }
    if (rules.size > 0) byResource.set(keyOf(id), { rules, justification });
  }
  return { byResource, notices };
}

/** `findings` with those an annotation excuses marked suppressed (a configured exception, if any, stays). */
export function applyAnnotationExceptions(findings: Finding[], byResource: ReadonlyMap<string, AnnotationException>): Finding[] {
  if (byResource.size === 0) return findings;
  return findings.map((f) => {
    if (f.suppressed) return f;
    const ex = byResource.get(keyOf(f.resource));
    if (!ex || (ex.rules !== '*' && !ex.rules.has(f.ruleId))) return f;
    return { ...f, suppressed: { justification: ex.justification, source: 'annotation' } };
  });
}
