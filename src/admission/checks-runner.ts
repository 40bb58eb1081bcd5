/**
 * Runs the active kubeward checks on one object: the rule catalog's implementation when it
 * registers the rule id, else the admission fallback, else a caller-supplied override.
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

/**
 * Memo of rule results by object content, per compiled policy. The API server sends the same
 * pod template many times — every replica a ReplicaSet creates (generateName pods, empty
 * name, identical spec), the ReplicaSet after its Deployment, dry runs before real applies —
 * and the rules are pure functions of the object and the policy. The key is the object's
 * JSON without the fields the API server stamps on every write (uid, resourceVersion,
 * creationTimestamp, generation, managedFields), so any other difference is a miss.
 * Bounded: the oldest entries are dropped past MEMO_SIZE.
 */
const MEMO_SIZE = 512;
const memos = new WeakMap<CompiledPolicy, Map<string, readonly Violation[]>>();
const VOLATILE = new Set(['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields']);

function memoKey(obj: KubeObject, namespace: string, ids: readonly string[]): string {
  const meta: Record<string, unknown> = {};
  for (const k in obj.metadata) if (!VOLATILE.has(k)) meta[k] = obj.metadata[k];
  const rest: Record<string, unknown> = {};
  for (const k in obj) if (k !== 'metadata') rest[k] = obj[k];
  return `${namespace}\0${ids.join(',')}\0${JSON.stringify(meta)}\0${JSON.stringify(rest)}`;
}

/** Runs the checks, reusing the result for an identical object under the same policy. */
export function runChecksMemo(
  obj: KubeObject,
  ctx: CheckContext,
  ids: readonly AdmissionRuleId[],
  overrides?: Partial<Record<AdmissionRuleId, AdmissionCheck>>,
): readonly Violation[] {
  if (overrides && Object.keys(overrides).length > 0) return runChecks(obj, ctx, ids, overrides);
  let memo = memos.get(ctx.policy);
  if (!memo) {
    memo = new Map();
    memos.set(ctx.policy, memo);
  }
  const key = memoKey(obj, ctx.namespace, ids);
  const hit = memo.get(key);
  if (hit) return hit;
  const result = Object.freeze(runChecks(obj, ctx, ids));
  if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value as string);
  memo.set(key, result);
  return result;
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
