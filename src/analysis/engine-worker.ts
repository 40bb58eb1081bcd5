/**
 * Worker-thread entry: runs the RBAC analysis (token power and escalation) on plain objects
 * and posts its records back, so that a scan uses both cores (see offload.ts).
 */
import { parentPort } from 'node:worker_threads';
import type { KubeObject } from '../core/types.js';
import { computeRbacFindings } from '../rules/engine-cache.js';
import { errorMessage } from '../core/errors.js';

export interface RbacRequest {
  objects: KubeObject[];
  rbacDefaults: KubeObject[];
}

parentPort?.once('message', (text: string) => {
  try {
    const req = JSON.parse(text) as RbacRequest;
    parentPort?.postMessage({ ok: true, rbac: computeRbacFindings(req.objects, req.rbacDefaults) });
  } catch (e: unknown) {
    parentPort?.postMessage({ ok: false, error: errorMessage(e) });
  }
});
