/**
 * Runs a scan's engine analyses: on large inputs the RBAC analysis on a worker thread (falling
 * back to this thread if one cannot start), the network analysis here meanwhile.
 */
import { Worker } from 'node:worker_threads';
import type { KubeObject } from '../core/types.js';
import { asRecord } from '../core/records.js';
import { MIRROR_ANNOTATION, podTemplateOf, WORKLOAD_KINDS } from '../model/workloads.js';
import type { NetpolFinding } from '../engines/netpol/index.js';
import type { RbacFinding } from '../engines/rbac/index.js';
import { isTokenSecret, secretsReadBy, TOKEN_SECRET_ACCOUNT } from '../engines/rbac/blast-radius.js';
import { computeNetpolFindings, computeRbacFindings } from '../rules/engine-cache.js';
import type { RbacRequest } from './engine-worker.js';

export interface EngineResults {
  rbac: RbacFinding[];
  netpol: NetpolFinding[];
  /** Where the RBAC analysis ran: a worker thread, or this one (small input, no thread available). */
  rbacRanOn: 'worker' | 'main';
}

/** Kinds each engine reads (the RBAC analysis also legacy token Secrets: isTokenSecret). */
const RBAC_KINDS = new Set(['Namespace', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ServiceAccount', ...WORKLOAD_KINDS]);
const NETPOL_KINDS = new Set(['Namespace', 'NetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'Service', 'Ingress', 'Route', ...WORKLOAD_KINDS]);

/** Below this many objects a thread costs more than it saves. */
const WORKER_THRESHOLD = 3000;

/** Pod-spec fields the RBAC analysis reads: the service account and how its token is mounted. */
const RBAC_POD_FIELDS = ['serviceAccountName', 'serviceAccount', 'automountServiceAccountToken'] as const;

/** A pod spec cut down to its service account, token automounting and projected volumes. */
function rbacPodSpec(spec: Record<string, unknown>, envSecrets: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of RBAC_POD_FIELDS) if (k in spec) out[k] = spec[k];
  const volumes = spec['volumes'];
  if (Array.isArray(volumes)) {
    // Projected volumes (token sources) and Secret volumes (legacy tokens), the latter by name only.
    const kept = volumes.flatMap((v) => {
      const r = asRecord(v);
      if (r?.['projected'] !== undefined) return [r];
      const secretName = asRecord(r?.['secret'])?.['secretName'];
      return typeof secretName === 'string' ? [{ name: r?.['name'], secret: { secretName } }] : [];
    });
    if (kept.length > 0) out['volumes'] = kept;
  }
  // Secrets read into the environment (a legacy token can come that way too), by name only;
  // not looked for when the input has no token Secret.
  const fromEnv = !envSecrets ? [] : secretsReadBy({ containers: spec['containers'], initContainers: spec['initContainers'], ephemeralContainers: spec['ephemeralContainers'] });
  if (fromEnv.length > 0) out['containers'] = [{ name: 'secrets', envFrom: fromEnv.map((name) => ({ secretRef: { name } })) }];
  return out;
}

/** `node` with the object at `path` replaced by `f` of it, copying only the objects on the way. */
function replaceAt(node: Record<string, unknown>, path: readonly string[], f: (at: Record<string, unknown>) => Record<string, unknown>): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return f(node);
  const child = asRecord(node[head]);
  return child ? { ...node, [head]: replaceAt(child, rest, f) } : node;
}

/**
 * What the RBAC analysis needs of an object: no `status`, no annotations (`kubectl apply`
 * keeps a whole copy of the object in one), no managed fields, workloads' pod specs cut
 * down to their service account and token mounting (containers, images, env, probes and
 * security contexts are not read; the Secrets they read into the environment are kept, by
 * name, when `tokenSecrets` says the input has a legacy token Secret), and token Secrets to
 * their name and account. Copying the rest to the other thread cost more than the analysis
 * saved. A test holds the analysis' results on these views equal to its results on
 * the full objects.
 */
export function rbacView(o: KubeObject, tokenSecrets = true): KubeObject {
  const meta = o.metadata;
  if (isTokenSecret(o)) {
    const account = meta.annotations?.[TOKEN_SECRET_ACCOUNT];
    const metadata: KubeObject['metadata'] = { name: meta.name, namespace: meta.namespace };
    if (account !== undefined) metadata.annotations = { [TOKEN_SECRET_ACCOUNT]: account };
    return { apiVersion: o.apiVersion, kind: o.kind, metadata, type: o['type'] };
  }
  const out: KubeObject =
    'status' in o || (meta && ('annotations' in meta || 'managedFields' in meta)) ? { ...o, metadata: { ...meta } } : o;
  if (out !== o) {
    delete out['status'];
    delete out.metadata.annotations;
    delete (out.metadata as Record<string, unknown>)['managedFields'];
    // A static pod's mirror (by its annotation) carries no token: the analysis must still see it.
    const mirror = meta.annotations?.[MIRROR_ANNOTATION];
    if (o.kind === 'Pod' && mirror !== undefined) out.metadata.annotations = { [MIRROR_ANNOTATION]: mirror };
  }
  // The pod spec sits where podTemplateOf says (`/spec`, `/spec/template/spec`, …).
  const template = podTemplateOf(o);
  return template ? (replaceAt(out, template.specPointer.slice(1).split('/'), (spec) => rbacPodSpec(spec, tokenSecrets)) as KubeObject) : out;
}

/**
 * Starts the analyses and returns their promise at once. On large inputs the RBAC analysis,
 * the larger one, runs on a worker thread while the network analysis runs here (on two
 * cores, the split that keeps both threads busy: the rules run here too, and V8's collector
 * wants the second core as well). Small inputs are analysed inline.
 */
export function analyseEngines(objects: readonly KubeObject[], rbacDefaults: readonly KubeObject[], engines: Array<'rbac' | 'netpol'>): Promise<EngineResults> {
  const rbacObjects = engines.includes('rbac') ? objects.filter((o) => RBAC_KINDS.has(o.kind) || isTokenSecret(o)) : undefined;
  const rbac: Promise<RbacOutcome> = rbacObjects === undefined ? Promise.resolve({ findings: [], on: 'main' }) : rbacFindingsOffThread(rbacObjects, [...rbacDefaults]);
  const netpol = engines.includes('netpol') ? computeNetpolFindings(objects.filter((o) => NETPOL_KINDS.has(o.kind))) : [];
  return rbac.then((r) => ({ rbac: r.findings, netpol, rbacRanOn: r.on }));
}

type RbacOutcome = { findings: RbacFinding[]; on: 'worker' | 'main' };

/**
 * Small inputs, and source run through a TypeScript loader (whose hooks Node 20 does not
 * carry into worker threads), are analysed here; so is everything if the worker fails.
 */
function rbacFindingsOffThread(objects: KubeObject[], rbacDefaults: KubeObject[]): Promise<RbacOutcome> {
  const here = (list: KubeObject[]): RbacOutcome => ({ findings: computeRbacFindings(list, rbacDefaults), on: 'main' });
  if (objects.length < WORKER_THRESHOLD || import.meta.url.endsWith('.ts')) return Promise.resolve(here(objects));
  const tokens = objects.some(isTokenSecret);
  const req: RbacRequest = { objects: objects.map((o) => rbacView(o, tokens)), rbacDefaults };
  let worker: Worker;
  try {
    worker = new Worker(new URL('./engine-worker.js', import.meta.url));
  } catch {
    return Promise.resolve(here(req.objects));
  }
  return new Promise<RbacOutcome>((resolve, reject) => {
    worker.once('message', (m: { ok: true; rbac: RbacFinding[] } | { ok: false; error: string }) => {
      void worker.terminate();
      if (m.ok) resolve({ findings: m.rbac, on: 'worker' });
      else reject(new Error(`RBAC analysis failed: ${m.error}`));
    });
    worker.once('error', (e) => {
      void worker.terminate();
      // The analysis itself is deterministic: run it here rather than lose it.
      try {
        resolve(here(req.objects));
      } catch {
        reject(e);
      }
    });
    // As JSON text: for plain objects, stringify + parse beats the structured clone by far.
    worker.postMessage(JSON.stringify(req));
  });
}
