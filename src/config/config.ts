/** Configuration: validation, defaults and how it shapes a scan. Pure. */
import type { Finding } from '../core/finding.js';
import type { Severity } from '../core/types.js';
import type { Rule } from '../rules/define.js';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../rules/settings.js';
import { CLUSTER_SCOPED_KINDS } from '../model/cluster.js';

export interface RuleOverride {
  enabled?: boolean;
  severity?: Severity;
}

export interface ExceptionEntry {
  rule: string;
  resource?: { kind?: string; namespace?: string; name?: string };
  justification: string;
  /** `YYYY-MM-DD`; the exception stops suppressing after this day. */
  expires?: string;
}

export interface KubewardConfig {
  failOn?: Severity | 'none';
  rules: Record<string, RuleOverride>;
  settings: RuleSettings;
  exceptions: ExceptionEntry[];
  /** Where the configuration came from, if a file. */
  file?: string;
}

export const DEFAULT_CONFIG: KubewardConfig = { rules: {}, settings: DEFAULT_RULE_SETTINGS, exceptions: [] };

/** Turns validated raw YAML data into a config. */
export function normaliseConfig(raw: Record<string, unknown>, file?: string): KubewardConfig {
  const rules: Record<string, RuleOverride> = {};
  for (const [id, v] of Object.entries((raw['rules'] ?? {}) as Record<string, unknown>)) {
    if (v === 'on' || v === true) rules[id] = { enabled: true };
    else if (v === 'off' || v === false) rules[id] = { enabled: false };
    else rules[id] = v as RuleOverride;
  }
  const sandbox = (raw['sandbox'] ?? {}) as { handlers?: string[]; namespaces?: string[] };
  const settings: RuleSettings = {
    registryAllowlist: (raw['registryAllowlist'] as string[] | undefined) ?? DEFAULT_RULE_SETTINGS.registryAllowlist,
    sandboxHandlers: sandbox.handlers ?? DEFAULT_RULE_SETTINGS.sandboxHandlers,
    sandboxNamespaces: sandbox.namespaces ?? DEFAULT_RULE_SETTINGS.sandboxNamespaces,
    systemNamespaces: (raw['systemNamespaces'] as string[] | undefined) ?? DEFAULT_RULE_SETTINGS.systemNamespaces,
    rbacDefaults: DEFAULT_RULE_SETTINGS.rbacDefaults,
    imageScans: DEFAULT_RULE_SETTINGS.imageScans,
  };
  const cfg: KubewardConfig = { rules, settings, exceptions: (raw['exceptions'] as ExceptionEntry[] | undefined) ?? [] };
  if (raw['failOn'] !== undefined) cfg.failOn = raw['failOn'] as Severity | 'none';
  if (file !== undefined) cfg.file = file;
  return cfg;
}

/** Rules to run: the catalog, less disabled ones, narrowed by --rule / widened by --skip-rule. */
export function selectRules(catalog: readonly Rule[], cfg: KubewardConfig, only: readonly string[] = [], skip: readonly string[] = []): Rule[] {
  return catalog.filter((r) => {
    if (only.length > 0 && !only.includes(r.id)) return false;
    if (skip.includes(r.id)) return false;
    return cfg.rules[r.id]?.enabled !== false;
  });
}

/** A `*` glob as a predicate, compiled once. */
function glob(pattern: string | undefined): (value: string | undefined) => boolean {
  if (pattern === undefined || pattern === '*') return () => true;
  const re = new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return (value) => re.test(value ?? '');
}

/**
 * Applies severity overrides and exceptions. `today` is `YYYY-MM-DD` (injected clock).
 * An expired exception no longer suppresses, and says so in the returned notices.
 */
export function applyConfig(findings: Finding[], cfg: KubewardConfig, today: string): { findings: Finding[]; notices: string[] } {
  const notices: string[] = [];
  const expiredReported = new Set<number>();
  // Each exception's resource globs are compiled once, not once per finding.
  const exceptions = cfg.exceptions.map((ex, i) => {
    const r = ex.resource ?? {};
    return { ex, i, kind: glob(r.kind), namespace: glob(r.namespace), name: glob(r.name) };
  });
  const out = findings.map((f) => {
    const override = cfg.rules[f.ruleId]?.severity;
    let g: Finding = override ? { ...f, severity: override } : f;
    exceptions.forEach((m) => {
      const { ex, i } = m;
      if (ex.rule !== f.ruleId && ex.rule !== '*') return;
      // A namespaced object without metadata.namespace is in `default`, as everywhere else.
      const namespace = g.resource.namespace ?? (CLUSTER_SCOPED_KINDS.has(g.resource.kind) ? '' : 'default');
      if (!m.kind(g.resource.kind) || !m.namespace(namespace) || !m.name(g.resource.name)) return;
      if (ex.expires !== undefined && ex.expires < today) {
        if (!expiredReported.has(i)) {
          expiredReported.add(i);
          notices.push(`exception #${i + 1} for rule ${ex.rule} expired on ${ex.expires}: its findings are reported again`);
        }
        return;
      }
      if (!g.suppressed) {
        const s: { justification: string; expires?: string } = { justification: ex.justification };
        if (ex.expires !== undefined) s.expires = ex.expires;
        g = { ...g, suppressed: s };
      }
    });
    return g;
  });
  return { findings: out, notices };
}
