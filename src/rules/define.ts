/**
 * How a rule is declared: data (`meta`) plus one `check` function that reads the cluster
 * model and reports through the context. Messages are keyed by id, so reports never
 * carry free prose and a typo in an id does not compile.
 */
import type { Finding, JsonPatchOp, Practice } from '../core/finding.js';
import type { Resource, Severity } from '../core/types.js';
import type { ClusterModel } from '../model/cluster.js';
import type { RuleSettings } from './settings.js';
import { BoundedCache } from '../core/bounded-cache.js';

export type RuleCategory = 'workload' | 'network' | 'rbac' | 'dashboard' | 'image' | 'namespace' | 'pss' | 'control-plane';

export interface Reference {
  /** PSS control, CIS Kubernetes Benchmark id, NSA/CISA section, MITRE ATT&CK for Containers technique, or a URL. */
  framework: 'PSS' | 'CIS' | 'NSA-CISA' | 'MITRE' | 'URL';
  id: string;
  title?: string;
}

export interface RuleMeta<M extends string> {
  title: string;
  category: RuleCategory;
  severity: Severity;
  practice: Practice;
  /** What the rule looks at, for the catalog listing (e.g. `Pod, Deployment, …`, `ClusterRoleBinding`). */
  targets: string;
  docs: { description: string; remediation: string };
  references: Reference[];
  /** Message templates by id; `{{name}}` is replaced from the report's `data`. */
  messages: Record<M, string>;
  /**
   * The severities a message is reported at, where they are not the rule's own (worse when
   * exposed or cluster-wide, milder when limited): listed with the message in the catalog,
   * and the rule tester holds every finding to them.
   */
  severities?: Partial<Record<M, readonly Severity[]>>;
  fixable?: boolean;
  /** The whole-cluster engine whose analysis the rule reports (the scan may compute it on another thread). */
  engine?: 'rbac' | 'netpol';
}

export interface ReportDescriptor<M extends string> {
  messageId: M;
  resource: Resource;
  /** JSON pointer inside `resource.object` (default: the object itself). */
  pointer?: string;
  data?: Record<string, string | number>;
  fix?: JsonPatchOp[];
  /** Overrides the rule's severity for this one report (e.g. worse when exposed). */
  severity?: Severity;
}

export interface RuleContext<M extends string> {
  model: ClusterModel;
  settings: RuleSettings;
  report(descriptor: ReportDescriptor<M>): void;
}

export interface Rule<M extends string = string> {
  id: string;
  meta: RuleMeta<M>;
  check(ctx: RuleContext<M>): void;
}

/** The severities a message of `rule` is reported at: those it declares, else the rule's own. */
export function messageSeverities(rule: Rule, messageId: string): readonly Severity[] {
  return (rule.meta.severities as Record<string, readonly Severity[] | undefined> | undefined)?.[messageId] ?? [rule.meta.severity];
}

/** ` (medium or critical)` after a message whose severities are not just the rule's own; empty otherwise. */
export function messageSeverityNote(rule: Rule, messageId: string): string {
  const s = messageSeverities(rule, messageId);
  return s.length === 1 && s[0] === rule.meta.severity ? '' : ` (${s.join(' or ')})`;
}

export function defineRule<M extends string>(rule: Rule<M>): Rule<M> {
  return rule;
}

/** Templates split once into literal text (even indexes) and placeholder names (odd indexes). */
const compiledTemplates = new BoundedCache<string, string[]>(4096);

function compileTemplate(template: string): string[] {
  return compiledTemplates.getOr(template, () => template.split(/\{\{\s*(\w+)\s*\}\}/));
}

/** Fills `{{name}}` placeholders (an unknown name stays as written). */
export function formatMessage(template: string, data: Record<string, string | number> | undefined): string {
  const parts = compileTemplate(template);
  let out = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) {
    const k = parts[i] as string;
    out += (data && k in data ? String(data[k]) : `{{${k}}}`) + (parts[i + 1] as string);
  }
  return out;
}

export type { Finding };
