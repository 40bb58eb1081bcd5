/**
 * NetworkPolicy engine scale benchmark: a deterministic cluster of 200 namespaces, 2,000
 * NetworkPolicies and 10,000 pods (then 20,000), full connectivity computed on pod classes and
 * summarised (allowed pod-owner pairs, external exposure). Prints times and the 20k/10k ratio.
 *
 *   node --import tsx bench/netpol.ts
 */
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { KubeObject } from '../src/core/types.js';
import { EMPTY, buildNetworkModel, classConn, classToExternal, computeConnectivity, externalToClass, reachableFromEverything } from '../src/engines/netpol/index.js';
import { rng } from './generate.js';


const NAMESPACES = 200;
const POLICIES_PER_NS = 10;
const APPS = 10;

/** A deterministic cluster: `pods` bare pods spread over 200 namespaces, 10 policies each. */
export function generateCluster(pods: number, seed = 42): KubeObject[] {
  const rnd = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const objects: KubeObject[] = [];
  for (let n = 0; n < NAMESPACES; n++) {
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${n}`, labels: { team: `t${n % 10}`, env: n % 3 === 0 ? 'dev' : 'prod' } } });
  }
  objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } });
  for (let i = 0; i < pods; i++) {
    const n = i % NAMESPACES;
    const app = Math.floor(rnd() * APPS);
    const tier = app < 4 ? 'front' : app < 8 ? 'back' : 'db';
    objects.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `pod-${i}`, namespace: `ns-${n}`, labels: { app: `app-${app}`, tier, version: pick(['v1', 'v2']) } },
      spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 + (app % 3) }, { name: 'metrics', containerPort: 9090 }] }] },
    });
  }
  for (let n = 0; n < NAMESPACES; n++) {
    const ns = `ns-${n}`;
    const np = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });
    const app = (): Record<string, unknown> => ({ matchLabels: { app: `app-${Math.floor(rnd() * APPS)}` } });
    const policies: KubeObject[] = [
      np('default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }),
      np('dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ protocol: 'UDP', port: 53 }] }] }),
      np('front-from-anywhere', { podSelector: { matchLabels: { tier: 'front' } }, ingress: [{ ports: [{ port: 'http' }] }] }),
      np('back-from-front', { podSelector: { matchLabels: { tier: 'back' } }, ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'front' } } }], ports: [{ protocol: 'TCP', port: 8080, endPort: 8090 }] }] }),
      np('db-from-back', { podSelector: { matchLabels: { tier: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'back' } }, namespaceSelector: { matchLabels: { team: `t${n % 10}` } } }], ports: [{ port: 'http' }] }] }),
      np('metrics', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: 'dev' } }, podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['app-1', 'app-2'] }] } }], ports: [{ port: 'metrics' }] }] }),
      np('egress-internal', { podSelector: app(), egress: [{ to: [{ namespaceSelector: { matchLabels: { env: 'prod' } } }], ports: [{ protocol: 'TCP', port: 8080, endPort: 8090 }] }] }),
      np('egress-ipblock', { podSelector: { matchLabels: { tier: 'back' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: [`10.${n % 250}.0.0/16`] } }] }] }),
      np('from-partner', { podSelector: app(), ingress: [{ from: [{ ipBlock: { cidr: `172.${16 + (n % 16)}.0.0/16` } }] }] }),
      np('version-pin', { podSelector: { matchLabels: { version: 'v2' } }, ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'version', operator: 'NotIn', values: ['v1'] }] } }] }] }),
    ];
    objects.push(...policies.slice(0, POLICIES_PER_NS));
  }
  return objects;
}

interface Measure {
  pods: number;
  classes: number;
  workloads: number;
  modelMs: number;
  connectivityMs: number;
  summaryMs: number;
  totalMs: number;
  allowedPairs: number;
  exposedToExternal: number;
  /** The scan's lazy check (no connectivity matrix): workloads every source reaches. */
  reachMs: number;
  reachableFromEverything: number;
}

function measure(pods: number): Measure {
  const objects = generateCluster(pods);
  const t0 = performance.now();
  const model = buildNetworkModel(objects);
  const t1 = performance.now();
  const cx = computeConnectivity(model);
  const t2 = performance.now();
  // Full summary over every class pair: allowed (pod owner → pod owner) pairs, weighted by
  // the owners in each class, and owners reachable from some external address.
  const C = model.classes.length;
  const weight = model.classes.map((c) => c.workloads.length);
  let allowedPairs = 0;
  for (let a = 0; a < C; a++) {
    const wa = weight[a] as number;
    for (let b = 0; b < C; b++) {
      if (classConn(cx, a, b) === EMPTY) continue;
      allowedPairs += a === b ? wa * (wa - 1) : wa * (weight[b] as number);
    }
  }
  let exposedToExternal = 0;
  for (let b = 0; b < C; b++) {
    let open = false;
    for (let x = 0; x < cx.extIn.length && !open; x++) open = externalToClass(cx, x, b) !== EMPTY;
    if (open) exposedToExternal += weight[b] as number;
    for (let y = 0; y < cx.extOut.length; y++) void classToExternal(cx, b, y);
  }
  const t3 = performance.now();
  const reachable = reachableFromEverything(model).length;
  const t4 = performance.now();
  return {
    reachMs: t4 - t3,
    reachableFromEverything: reachable,
    pods,
    classes: C,
    workloads: model.workloads.length,
    modelMs: t1 - t0,
    connectivityMs: t2 - t1,
    summaryMs: t3 - t2,
    totalMs: t3 - t0,
    allowedPairs,
    exposedToExternal,
  };
}

export async function run(): Promise<void> {
  const policies = NAMESPACES * POLICIES_PER_NS;
  console.log(`netpol bench: ${NAMESPACES} namespaces, ${policies} NetworkPolicies (deterministic generator, seed 42)`);
  const line = (r: Measure, note: string): void =>
    console.log(
      `  ${note}${r.pods} pods → ${r.workloads} workloads, ${r.classes} pod classes: model ${r.modelMs.toFixed(0)} ms, connectivity ${r.connectivityMs.toFixed(0)} ms, ` +
        `full summary ${r.summaryMs.toFixed(0)} ms, total ${r.totalMs.toFixed(0)} ms (${r.allowedPairs} allowed pod-owner pairs, ${r.exposedToExternal} reachable from outside); ` +
        `reachable-from-everything check ${r.reachMs.toFixed(0)} ms (${r.reachableFromEverything} workloads)`,
    );
  // The first run includes JIT warm-up and fills the process-wide connection-set memo tables.
  line(measure(10000), 'cold: ');
  const a = measure(10000);
  const b = measure(20000);
  line(a, 'warm: ');
  line(b, 'warm: ');
  console.log(`  ratio 20k/10k pods: ${(b.totalMs / a.totalMs).toFixed(2)}x (target: at most ~2x; 10k target: under 10,000 ms)`);
  console.log(`  reachable-from-everything check, ratio 20k/10k pods: ${(b.reachMs / a.reachMs).toFixed(2)}x`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run();
