/** The rule catalog: lookup, selection and single-object checks (for admission). */
import type { Finding } from '../core/finding.js';
import type { KubeObject } from '../core/types.js';
import { buildModel } from '../model/cluster.js';
import type { Rule } from './define.js';
import { RULES } from './registry.js';
import { resourceFromObject, runRules } from './run.js';
import type { RuleSettings } from './settings.js';

export { RULES } from './registry.js';
export { runRules, resourceFromObject } from './run.js';
export { defineRule, formatMessage, type Rule, type RuleMeta, type RuleCategory, type Reference } from './define.js';
export { DEFAULT_RULE_SETTINGS, type RuleSettings } from './settings.js';

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

export function getRule(id: string): Rule | undefined {
  return BY_ID.get(id);
}

/**
 * Checks one object on its own (as an admission request sees it) with the chosen rules.
 * Rules that need other objects (a Service exposing the pod, a RoleBinding) see only it.
 */
export function checkObject(obj: KubeObject, options: { ruleIds?: readonly string[]; settings?: Partial<RuleSettings>; context?: KubeObject[] } = {}): Finding[] {
  const rules = options.ruleIds ? options.ruleIds.map((id) => BY_ID.get(id)).filter((r): r is Rule => r !== undefined) : RULES;
  const resources = [resourceFromObject(obj), ...(options.context ?? []).map((o) => resourceFromObject(o, '<context>'))];
  const model = buildModel(resources);
  const runOptions = options.settings ? { settings: options.settings } : {};
  return runRules(model, rules, runOptions).filter((f) => f.location.file === '<request>');
}
