/**
 * Runs the active kubeward checks on one object: a caller-supplied override if any, else the
 * rule catalog's implementation when it registers the rule id (one `checkObject` call for
 * all of them), else the admission fallback.
 */
import type { KubeObject } from '../core/types.js';
import { checkObject, getRule, type RuleSettings } from '../rules/index.js';
import { FALLBACK_CHECKS, type AdmissionCheck, type CheckContext, type Violation } from './checks.js';
import type { AdmissionRuleId, CompiledPolicy } from './policy.js';

export type { AdmissionCheck, CheckContext, Violation } from './checks.js';

/** Rule ids the catalog implements (looked up once per id; the catalog is static). */
const catalogHas = new Map<string, boolean>();
function inCatalog(id: string): boolean {
  let v = catalogHas.get(id);
  if (v === undefined) {
    v = getRule(id) !== undefined;
    catalogHas.set(id, v);
  }
  return v;
}

/** Rule settings derived from a compiled policy, built once per policy. */
const settingsCache = new WeakMap<CompiledPolicy, Partial<RuleSettings>>();
function settingsOf(policy: CompiledPolicy): Partial<RuleSettings> {
  let s = settingsCache.get(policy);
  if (!s) {
    const p = policy.policy;
    s = { registryAllowlist: p.registries.allow, sandboxHandlers: [...policy.sandboxHandlers], sandboxNamespaces: p.sandbox.namespaces };
    settingsCache.set(policy, s);
  }
  return s;
}

export function runChecks(
  obj: KubeObject,
  ctx: CheckContext,
  ids: readonly AdmissionRuleId[],
  overrides: Partial<Record<AdmissionRuleId, AdmissionCheck>> = {},
): Violation[] {
  const out: Violation[] = [];
  const fromCatalog: string[] = [];
  for (const id of ids) {
    const own = overrides[id];
    if (own) out.push(...own(obj, ctx));
    else if (inCatalog(id)) fromCatalog.push(id);
    else out.push(...FALLBACK_CHECKS[id](obj, ctx));
  }
  if (fromCatalog.length > 0) {
    const findings = checkObject(obj, { ruleIds: fromCatalog, settings: settingsOf(ctx.policy) });
    for (const f of findings) {
      const v: Violation = { ruleId: f.ruleId, message: f.message, pointer: f.pointer };
      if (f.fix) v.fix = f.fix;
      out.push(v);
    }
  }
  return out;
}
