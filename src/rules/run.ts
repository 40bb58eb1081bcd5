/** Runs rules over a model and turns their reports into findings. Pure. */
import { compareFindings, type Finding } from '../core/finding.js';
import { resourceId, type KubeObject, type Resource } from '../core/types.js';
import type { ClusterModel } from '../model/cluster.js';
import { formatMessage, type Rule } from './define.js';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from './settings.js';

export interface RunOptions {
  settings?: Partial<RuleSettings>;
  /** Sort the findings (default). A caller that merges several runs and sorts once says false. */
  sort?: boolean;
}

/** Runs `rules` over `model`; returns findings sorted deterministically, without duplicates. */
export function runRules(model: ClusterModel, rules: readonly Rule[], options: RunOptions = {}): Finding[] {
  const settings: RuleSettings = { ...DEFAULT_RULE_SETTINGS, ...options.settings };
  // Findings are gathered per resource and located afterwards, resource by resource. A
  // resource has few findings, so duplicates are found by comparing within its own list.
  const pending = new Map<Resource, Finding[]>();
  const unlocated: Finding['location'] = { file: '', line: 0, column: 0 };
  const noResource: Finding['resource'] = { apiVersion: '', kind: '', name: '' };
  for (const rule of rules) {
    const { meta } = rule;
    rule.check({
      model,
      settings,
      report(d) {
        const template = meta.messages[d.messageId] ?? d.messageId;
        const message = d.data ? formatMessage(template, d.data) : template;
        const pointer = d.pointer ?? '';
        let list = pending.get(d.resource);
        if (!list) pending.set(d.resource, (list = []));
        for (const f of list) if (f.ruleId === rule.id && f.pointer === pointer && f.message === message) return;
        // Every key in report order now; resource and location are filled in below.
        const f: Finding = {
          ruleId: rule.id,
          severity: d.severity ?? meta.severity,
          practice: meta.practice,
          title: meta.title,
          messageId: d.messageId,
          message,
          resource: noResource,
          pointer,
          location: unlocated,
        };
        if (d.fix && d.fix.length > 0) f.fix = d.fix;
        list.push(f);
      },
    });
  }
  const out: Finding[] = [];
  for (const [resource, findings] of pending) {
    const id = resourceId(resource.object);
    const file = resource.source.file;
    for (const f of findings) {
      const pos = resource.locate(f.pointer);
      f.resource = id;
      f.location = { file, line: pos.line, column: pos.column };
      out.push(f);
    }
  }
  return options.sort === false ? out : out.sort(compareFindings);
}

/** A resource for an object that has no file behind it (admission requests, API objects). */
export function resourceFromObject(object: KubeObject, file = '<request>'): Resource {
  return { object, source: { file, line: 1, column: 1, docIndex: 0 }, locate: () => ({ line: 1, column: 1 }) };
}
