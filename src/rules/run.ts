/** Runs rules over a model and turns their reports into findings. Pure. */
import { compareFindings, type Finding } from '../core/finding.js';
import { resourceId, type KubeObject, type Resource } from '../core/types.js';
import type { ClusterModel } from '../model/cluster.js';
import { formatMessage, type ReportDescriptor, type Rule } from './define.js';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from './settings.js';

export interface RunOptions {
  settings?: Partial<RuleSettings>;
}

/** Runs `rules` over `model`; returns findings sorted deterministically, without duplicates. */
export function runRules(model: ClusterModel, rules: readonly Rule[], options: RunOptions = {}): Finding[] {
  const settings: RuleSettings = { ...DEFAULT_RULE_SETTINGS, ...options.settings };
  // Reports are gathered first and located per resource afterwards: locating parses the
  // resource's document once for all of its findings.
  const pending = new Map<Resource, Array<{ rule: Rule; d: ReportDescriptor<string>; message: string }>>();
  const seen = new Set<string>();
  for (const rule of rules) {
    rule.check({
      model,
      settings,
      report(d) {
        const template = rule.meta.messages[d.messageId] ?? d.messageId;
        const message = formatMessage(template, d.data);
        const key = `${rule.id}\0${d.resource.source.file}\0${d.resource.source.docIndex}\0${d.resource.source.itemIndex ?? ''}\0${d.pointer ?? ''}\0${message}`;
        if (seen.has(key)) return;
        seen.add(key);
        let list = pending.get(d.resource);
        if (!list) pending.set(d.resource, (list = []));
        list.push({ rule, d, message });
      },
    });
  }
  const out: Finding[] = [];
  for (const [resource, reports] of pending) {
    const id = resourceId(resource.object);
    for (const { rule, d, message } of reports) {
      const pointer = d.pointer ?? '';
      const pos = resource.locate(pointer);
      const f: Finding = {
        ruleId: rule.id,
        severity: d.severity ?? rule.meta.severity,
        practice: rule.meta.practice,
        title: rule.meta.title,
        messageId: d.messageId,
        message,
        resource: id,
        pointer,
        location: { file: resource.source.file, line: pos.line, column: pos.column },
      };
      if (d.fix && d.fix.length > 0) f.fix = d.fix;
      out.push(f);
    }
  }
  return out.sort(compareFindings);
}

/** A resource for an object that has no file behind it (admission requests, API objects). */
export function resourceFromObject(object: KubeObject, file = '<request>'): Resource {
  return { object, source: { file, line: 1, column: 1, docIndex: 0 }, locate: () => ({ line: 1, column: 1 }) };
}
