/**
 * Engine analyses shared by the rules that report them, computed once per model: several
 * rules read one RBAC index or one connectivity computation.
 */
import type { KubeObject, Resource } from '../core/types.js';
import type { ClusterModel } from '../model/cluster.js';
import { buildRbac, rbacFindings, type RbacFinding } from '../engines/rbac/index.js';
import { buildNetworkModel, netpolFindings, type NetpolFinding } from '../engines/netpol/index.js';
import { namespaceOf } from '../model/workloads.js';
import type { RuleSettings } from './settings.js';

const rbacCache = new WeakMap<ClusterModel, { defaults: readonly KubeObject[]; findings: RbacFinding[] }>();
const netpolCache = new WeakMap<ClusterModel, NetpolFinding[]>();
const byIdCache = new WeakMap<ClusterModel, Map<string, Resource>>();

function objectsOf(model: ClusterModel): KubeObject[] {
  return model.resources.map((r) => r.object);
}

/** RBAC engine findings for the model (with the bootstrap roles from settings). */
export function rbacFindingsOf(model: ClusterModel, settings: RuleSettings): RbacFinding[] {
  const hit = rbacCache.get(model);
  if (hit && hit.defaults === settings.rbacDefaults) return hit.findings;
  const objects = objectsOf(model);
  const index = buildRbac(objects, { defaultRoles: settings.rbacDefaults });
  // The subject-level findings are the object-level rules' business; the engines add what needs the authorizer.
  const findings = rbacFindings(index, objects, { only: ['rbac-token-blast-radius', 'rbac-escalation-chain', 'rbac-dangling-role-ref'] });
  rbacCache.set(model, { defaults: settings.rbacDefaults, findings });
  return findings;
}

/** NetworkPolicy engine findings for the model. */
export function netpolFindingsOf(model: ClusterModel): NetpolFinding[] {
  let hit = netpolCache.get(model);
  if (!hit) {
    // No connectivity matrix and no workload × workload list: findings are decided lazily.
    hit = netpolFindings(buildNetworkModel(objectsOf(model)));
    netpolCache.set(model, hit);
  }
  return hit;
}

/** The model's resource for `kind`, `namespace`, `name` (namespaced kinds default to `default`). */
export function resourceByRef(model: ClusterModel, kind: string, namespace: string | undefined, name: string): Resource | undefined {
  let m = byIdCache.get(model);
  if (!m) {
    m = new Map();
    for (const r of model.resources) {
      const o = r.object;
      m.set(`${o.kind}/${o.metadata.namespace ? namespaceOf(o) : ''}/${o.metadata.name ?? ''}`, r);
      if (!o.metadata.namespace) m.set(`${o.kind}/default/${o.metadata.name ?? ''}`, r);
    }
    byIdCache.set(model, m);
  }
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
