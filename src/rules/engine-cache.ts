/**
 * Engine analyses shared by the rules that report them, computed once per model: several
 * rules read one RBAC index or one connectivity computation.
 */
import type { KubeObject, Resource } from '../core/types.js';
import { memoised, type ClusterModel } from '../model/cluster.js';
import { buildRbac, rbacFindings, type RbacFinding } from '../engines/rbac/index.js';
import { buildNetworkModel, netpolFindings, type NetpolFinding } from '../engines/netpol/index.js';
import { namespaceOf } from '../model/workloads.js';
import type { RuleSettings } from './settings.js';

type RbacMemo = { defaults: readonly KubeObject[]; findings: RbacFinding[] };
const RBAC = 'engine:rbac';
const NETPOL = 'engine:netpol';
const BY_ID = 'resourcesById';

function objectsOf(model: ClusterModel): KubeObject[] {
  return model.resources.map((r) => r.object);
}

/** The RBAC records the engine-backed rules report. */
export const RBAC_RULE_IDS = ['rbac-token-blast-radius', 'rbac-escalation-chain', 'rbac-dangling-role-ref'] as const;

/** Engine results computed elsewhere (another thread) for a model, so that the rules only read them. */
export function primeEngineResults(model: ClusterModel, settings: RuleSettings, results: { rbac: RbacFinding[]; netpol: NetpolFinding[] }): void {
  model.memo.set(RBAC, { defaults: settings.rbacDefaults, findings: results.rbac } satisfies RbacMemo);
  model.memo.set(NETPOL, results.netpol);
}

/** RBAC engine findings for the model (with the bootstrap roles from settings). */
export function rbacFindingsOf(model: ClusterModel, settings: RuleSettings): RbacFinding[] {
  const hit = model.memo.get(RBAC) as RbacMemo | undefined;
  if (hit && hit.defaults === settings.rbacDefaults) return hit.findings;
  // The subject-level findings are the object-level rules' business; the engines add what needs the authorizer.
  const findings = computeRbacFindings(objectsOf(model), settings.rbacDefaults);
  model.memo.set(RBAC, { defaults: settings.rbacDefaults, findings } satisfies RbacMemo);
  return findings;
}

/** The engine computations themselves, on plain objects (also run off the main thread by the scan). */
export function computeRbacFindings(objects: readonly KubeObject[], defaults: readonly KubeObject[]): RbacFinding[] {
  return rbacFindings(buildRbac(objects, { defaultRoles: defaults }), objects, { only: RBAC_RULE_IDS });
}

export function computeNetpolFindings(objects: readonly KubeObject[]): NetpolFinding[] {
  // No connectivity matrix and no workload × workload list: findings are decided lazily.
  return netpolFindings(buildNetworkModel(objects));
}

/** NetworkPolicy engine findings for the model. */
export function netpolFindingsOf(model: ClusterModel): NetpolFinding[] {
  return memoised(model, NETPOL, () => computeNetpolFindings(objectsOf(model)));
}

/** The model's resource for `kind`, `namespace`, `name` (namespaced kinds default to `default`). */
export function resourceByRef(model: ClusterModel, kind: string, namespace: string | undefined, name: string): Resource | undefined {
  const m = memoised(model, BY_ID, () => {
    const byId = new Map<string, Resource>();
    for (const r of model.resources) {
      const o = r.object;
      byId.set(`${o.kind}/${o.metadata.namespace ? namespaceOf(o) : ''}/${o.metadata.name ?? ''}`, r);
      if (!o.metadata.namespace) byId.set(`${o.kind}/default/${o.metadata.name ?? ''}`, r);
    }
    return byId;
  });
  return m.get(`${kind}/${namespace ?? ''}/${name}`) ?? m.get(`${kind}/default/${name}`);
}

/** Resource of an engine record's workload or object, if the model has it. */
export function resourceOfRecord(model: ClusterModel, ref: { kind: string; name: string; namespace?: string } | undefined): Resource | undefined {
  return ref ? resourceByRef(model, ref.kind, ref.namespace, ref.name) : undefined;
}

/** Parses the network engine's workload id `namespace/name[Kind]`. */
export function parseWorkloadId(id: string): { kind: string; namespace: string; name: string } | undefined {
  const m = /^([^/]*)\/(.+)\[([^\]]+)\]$/.exec(id);
  return m ? { namespace: m[1] as string, name: m[2] as string, kind: m[3] as string } : undefined;
}
