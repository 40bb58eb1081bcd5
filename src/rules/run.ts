/** Runs rules over a model and turns their reports into findings. Pure. */
import { compareFindings, type Finding } from '../core/finding.js';
import { resourceId, type KubeObject, type Resource } from '../core/types.js';
import type { ClusterModel } from '../model/cluster.js';
import { formatMessage, type ReportDescriptor, type Rule } from './define.js';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from './settings.js';

export interface RunOptions {
  settings?: Partial<RuleSettings>;
  /** Sort the findings (default). A caller that merges several runs and sorts once says false. */
  sort?: boolean;
}

/** Runs `rules` over `model`; returns findings sorted deterministically, without duplicates. */
export function runRules(model: ClusterModel, rules: readonly Rule[], options: RunOptions = {}): Finding[] {
  const settings: RuleSettings = { ...DEFAULT_RULE_SETTINGS, ...options.settings };
  // Reports are gathered per resource and located afterwards: locating parses (or walks) the
  // resource's document once for all of its findings. A resource has few reports, so
  // duplicates are found by comparing within its own list.
  const pending = new Map<Resource, Pending[]>();
  for (const rule of rules) {
    rule.check({
      model,
      settings,
      report(d) {
        const template = rule.meta.messages[d.messageId] ?? d.messageId;
        const message = d.data ? formatMessage(template, d.data) : template;
        const pointer = d.pointer ?? '';
        let list = pending.get(d.resource);
        if (!list) pending.set(d.resource, (list = []));
        for (const p of list) if (p.rule === rule && p.pointer === pointer && p.message === message) return;
        list.push({ rule, d, pointer, message });
      },
    });
  }
  const out: Finding[] = [];
  for (const [resource, reports] of pending) {
    const id = resourceId(resource.object);
    const file = resource.source.file;
    for (const { rule, d, pointer, message } of reports) {
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
        location: { file, line: pos.line, column: pos.column },
      };
      if (d.fix && d.fix.length > 0) f.fix = d.fix;
      out.push(f);
    }
  }
  return options.sort === false ? out : out.sort(compareFindings);
}

interface Pending {
  rule: Rule;
  d: ReportDescriptor<string>;
  pointer: string;
  message: string;
}

/** A resource for an object that has no file behind it (admission requests, API objects). */
export function resourceFromObject(object: KubeObject, file = '<request>'): Resource {
  return { object, source: { file, line: 1, column: 1, docIndex: 0 }, locate: () => ({ line: 1, column: 1 }) };
}
