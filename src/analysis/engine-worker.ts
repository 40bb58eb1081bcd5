/**
 * Worker-thread entry: runs the whole-cluster engine analyses (RBAC token power and
 * escalation, network reachability) on plain objects and posts the records back, so that a
 * scan uses both cores.
 */
import { parentPort } from 'node:worker_threads';
import type { KubeObject } from '../core/types.js';
import { computeNetpolFindings, computeRbacFindings } from '../rules/engine-cache.js';

export interface EngineRequest {
  objects: KubeObject[];
  rbacDefaults: KubeObject[];
  engines: Array<'rbac' | 'netpol'>;
}

parentPort?.once('message', (text: string) => {
  try {
    const req = JSON.parse(text) as EngineRequest;
    const rbac = req.engines.includes('rbac') ? computeRbacFindings(req.objects, req.rbacDefaults) : [];
    const netpol = req.engines.includes('netpol') ? computeNetpolFindings(req.objects) : [];
    parentPort?.postMessage({ ok: true, rbac, netpol });
  } catch (e: unknown) {
    parentPort?.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
