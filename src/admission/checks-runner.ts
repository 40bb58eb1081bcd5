/**
 * Runs the active kubeward checks on one object: the rule catalog's implementation when it
 * registers the rule id, else the admission fallback, else a caller-supplied override.
 */
import type { KubeObject } from '../core/types.js';
import { checkObject, getRule } from '../rules/index.js';
import { FALLBACK_CHECKS, type AdmissionCheck, type CheckContext, type Violation } from './checks.js';
import type { AdmissionRuleId } from './policy.js';

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
    const p = ctx.policy.policy;
    const findings = checkObject(obj, {
      ruleIds: fromCatalog,
      settings: { registryAllowlist: p.registries.allow, sandboxHandlers: [...ctx.policy.sandboxHandlers], sandboxNamespaces: p.sandbox.namespaces },
    });
    for (const f of findings) {
      const v: Violation = { ruleId: f.ruleId, message: f.message, pointer: f.pointer };
      if (f.fix) v.fix = f.fix;
      out.push(v);
    }
  }
  return out;
}
