/** Runs the engine analyses on a worker thread; falls back to this thread if one cannot start. */
import { Worker } from 'node:worker_threads';
import type { KubeObject } from '../core/types.js';
import { WORKLOAD_KINDS } from '../model/workloads.js';
import type { NetpolFinding } from '../engines/netpol/index.js';
import type { RbacFinding } from '../engines/rbac/index.js';
import { computeNetpolFindings, computeRbacFindings } from '../rules/engine-cache.js';
import type { EngineRequest } from './engine-worker.js';

export interface EngineResults {
  rbac: RbacFinding[];
  netpol: NetpolFinding[];
}

/** Kinds the engines read; everything else stays on the main thread. */
const ENGINE_KINDS = new Set([
  'Namespace',
  'NetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'Service',
  'Ingress',
  'Route',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ServiceAccount',
  ...WORKLOAD_KINDS,
]);

function inline(req: EngineRequest): EngineResults {
  return {
    rbac: req.engines.includes('rbac') ? computeRbacFindings(req.objects, req.rbacDefaults) : [],
    netpol: req.engines.includes('netpol') ? computeNetpolFindings(req.objects) : [],
  };
}

/**
 * Starts the analyses and returns their promise at once. Small inputs are analysed inline
 * (a thread costs more than it saves below a few thousand objects).
 */
export function analyseEngines(objects: readonly KubeObject[], rbacDefaults: readonly KubeObject[], engines: Array<'rbac' | 'netpol'>): Promise<EngineResults> {
  const req: EngineRequest = { objects: objects.filter((o) => ENGINE_KINDS.has(o.kind)), rbacDefaults: [...rbacDefaults], engines };
  if (engines.length === 0) return Promise.resolve({ rbac: [], netpol: [] });
  if (req.objects.length < 3000) return Promise.resolve(inline(req));
  let worker: Worker;
  try {
    // Under a TypeScript loader the source is .ts; built, it is .js.
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    worker = new Worker(new URL(`./engine-worker${ext}`, import.meta.url));
  } catch {
    return Promise.resolve(inline(req));
  }
  return new Promise<EngineResults>((resolve, reject) => {
    worker.once('message', (m: { ok: true; rbac: RbacFinding[]; netpol: NetpolFinding[] } | { ok: false; error: string }) => {
      void worker.terminate();
      if (m.ok) resolve({ rbac: m.rbac, netpol: m.netpol });
      else reject(new Error(`engine analysis failed: ${m.error}`));
    });
    worker.once('error', (e) => {
      void worker.terminate();
      // The analysis itself is deterministic: run it here rather than lose it.
      try {
        resolve(inline(req));
      } catch {
        reject(e);
      }
    });
    worker.postMessage(req);
  });
}
