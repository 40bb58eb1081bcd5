/**
 * Runs the active kubeward checks on one object: a caller-supplied override if any, else the
 * rule catalog's implementation (one `checkObject` call for all of them). Every admission rule
 * id is a catalog rule; a test holds the two lists together.
 */
import type { KubeObject } from '../core/types.js';
import { checkObject, type RuleSettings } from '../rules/index.js';
import type { AdmissionCheck, CheckContext, Violation } from './checks.js';
import type { AdmissionRuleId, CompiledPolicy } from './policy.js';

export type { AdmissionCheck, CheckContext, Violation } from './checks.js';

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
    else fromCatalog.push(id);
  }
  if (fromCatalog.length > 0) {
    // The request's namespace is the object's (the API server makes them agree): rules that
    // read the namespace (sandboxed namespaces) see it even when the object omits it.
    const inNamespace = obj.metadata?.namespace === ctx.namespace ? obj : { ...obj, metadata: { ...obj.metadata, namespace: ctx.namespace } };
    const findings = checkObject(inNamespace, { ruleIds: fromCatalog, settings: settingsOf(ctx.policy) });
    for (const f of findings) {
      const v: Violation = { ruleId: f.ruleId, message: f.message, pointer: f.pointer };
      if (f.fix) v.fix = f.fix;
      out.push(v);
    }
  }
  return out;
}
