/** Runs rules over a model and turns their reports into findings. Pure. */
import { compareFindings, type Finding } from '../core/finding.js';
import { resourceId, type KubeObject, type Resource } from '../core/types.js';
import { reportingOwner, type ClusterModel, type Workload } from '../model/cluster.js';
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
    const template = resource.source.template;
    for (const f of findings) {
      const pos = resource.locate(f.pointer);
      f.resource = id;
      f.location = template === undefined ? { file, line: pos.line, column: pos.column } : { file, line: pos.line, column: pos.column, template };
      out.push(f);
    }
  }
  return options.sort === false ? out : out.sort(compareFindings);
}

/** A finding's message with its workload's own names (`Kind ns/name`, `ns/name[Kind]`, `Kind "name"`) replaced. */
function messageShape(message: string, w: Workload): string {
  const name = w.resource.object.metadata.name ?? '';
  return message
    .replaceAll(`${w.kind} ${w.namespace}/${name}`, '\0')
    .replaceAll(`${w.namespace}/${name}[${w.kind}]`, '\0')
    .replaceAll(`${w.kind} ${JSON.stringify(name)}`, '\0');
}

/**
 * Drops the findings of owned workloads that have drifted from their controller (a Pod with
 * an injected sidecar) when the controller reports the same thing: such a Pod reports only
 * what its own changes add. Other findings pass through in order.
 */
export function withoutInheritedFindings(model: ClusterModel, findings: Finding[]): Finding[] {
  const drifted = new Map<string, Workload>();
  for (const w of model.workloads) if (w.divergesFromOwner) drifted.set(findingKey(resourceId(w.resource.object)), w);
  if (drifted.size === 0) return findings;
  const byOwnerKey = new Map<string, Workload>();
  for (const w of drifted.values()) {
    const o = reportingOwner(w);
    if (o) byOwnerKey.set(findingKey(resourceId(o.resource.object)), o);
  }
  const reported = new Map<Workload, Set<string>>();
  for (const f of findings) {
    const o = byOwnerKey.get(findingKey(f.resource));
    if (!o) continue;
    let set = reported.get(o);
    if (!set) reported.set(o, (set = new Set()));
    set.add(`${f.ruleId}\0${messageShape(f.message, o)}`);
  }
  return findings.filter((f) => {
    const w = drifted.get(findingKey(f.resource));
    const o = w && reportingOwner(w);
    return !(w && o && reported.get(o)?.has(`${f.ruleId}\0${messageShape(f.message, w)}`));
  });
}

function findingKey(id: Finding['resource']): string {
  return `${id.kind}\0${id.namespace ?? ''}\0${id.name}`;
}

/** A resource for an object that has no file behind it (admission requests, API objects). */
export function resourceFromObject(object: KubeObject, file = '<request>'): Resource {
  return { object, source: { file, line: 1, column: 1, docIndex: 0 }, locate: () => ({ line: 1, column: 1 }) };
}
