/**
 * Pod Security Standards engine throughput: 100,000 deterministic, varied pod templates
 * (near-compliant pods with random perturbations; 1–4 containers, init and ephemeral
 * containers, volumes, sysctls, annotations, Windows and user-namespace pods) evaluated
 * against restricted:latest. Target: over 200,000 evaluations per second.
 */
import { fileURLToPath } from 'node:url';
import type { ObjectMeta } from '../src/core/types.js';
import { evaluatePod, LATEST_PSS_VERSION } from '../src/engines/pss/index.js';
import type { PodSpec } from '../src/model/workloads.js';
import { rng } from './generate.js';


export function generatePods(count: number, seed = 42): Array<{ metadata: ObjectMeta; spec: PodSpec }> {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const chance = (p: number) => r() < p;
  const pods: Array<{ metadata: ObjectMeta; spec: PodSpec }> = [];
  for (let i = 0; i < count; i++) {
    const container = (name: string) => {
      const sc: Record<string, unknown> = {
        allowPrivilegeEscalation: chance(0.9) ? false : pick([true, undefined]),
        capabilities: chance(0.85) ? { drop: ['ALL'], ...(chance(0.1) ? { add: [pick(['NET_BIND_SERVICE', 'NET_RAW', 'SYS_ADMIN', 'CHOWN'])] } : {}) } : undefined,
        runAsNonRoot: chance(0.8) ? true : undefined,
      };
      if (chance(0.3)) sc['seccompProfile'] = { type: pick(['RuntimeDefault', 'Localhost', 'Unconfined']) };
      if (chance(0.05)) sc['privileged'] = true;
      if (chance(0.05)) sc['runAsUser'] = pick([0, 1000]);
      if (chance(0.03)) sc['procMount'] = 'Unmasked';
      if (chance(0.03)) sc['seLinuxOptions'] = { type: pick(['container_t', 'spc_t']) };
      if (chance(0.03)) sc['appArmorProfile'] = { type: pick(['RuntimeDefault', 'Unconfined']) };
      return {
        name,
        image: `registry.example.com/app-${i % 97}:1.${i % 13}`,
        ports: [{ containerPort: 8080, ...(chance(0.03) ? { hostPort: 8080 } : {}) }],
        ...(chance(0.5) ? { livenessProbe: { httpGet: { path: '/healthz', port: 8080, ...(chance(0.02) ? { host: '10.0.0.1' } : {}) } } } : {}),
        securityContext: sc,
      };
    };
    const n = 1 + Math.floor(r() * 4);
    const spec: PodSpec = {
      containers: Array.from({ length: n }, (_, k) => container(`c${k}`)),
      securityContext: {
        ...(chance(0.7) ? { runAsNonRoot: true } : {}),
        ...(chance(0.8) ? { seccompProfile: { type: 'RuntimeDefault' } } : {}),
        ...(chance(0.05) ? { sysctls: [{ name: pick(['kernel.shm_rmid_forced', 'net.ipv4.tcp_rmem', 'kernel.msgmax']), value: '1' }] } : {}),
      },
      volumes: chance(0.6)
        ? [
            { name: 'config', configMap: { name: 'cfg' } },
            ...(chance(0.1) ? [{ name: 'host', hostPath: { path: '/var/log' } }] : []),
            ...(chance(0.05) ? [{ name: 'nfs', nfs: { server: 'nfs', path: '/' } }] : []),
          ]
        : [],
    };
    if (chance(0.3)) spec.initContainers = [container('init')];
    if (chance(0.02)) spec.ephemeralContainers = [container('debug')];
    if (chance(0.02)) spec.hostNetwork = true;
    if (chance(0.05)) spec.os = { name: pick(['linux', 'windows']) };
    if (chance(0.05)) spec['hostUsers'] = false;
    const metadata: ObjectMeta = { name: `pod-${i}`, namespace: `ns-${i % 50}`, labels: { app: `app-${i % 97}` } };
    if (chance(0.05)) metadata.annotations = { [`container.apparmor.security.beta.kubernetes.io/c0`]: pick(['runtime/default', 'unconfined', 'localhost/x']) };
    pods.push({ metadata, spec });
  }
  return pods;
}

/** Wall-clock and CPU time (user + system) of evaluating every pod once. */
function evaluateAll(pods: ReadonlyArray<{ metadata: ObjectMeta; spec: PodSpec }>, level: 'baseline' | 'restricted'): { ms: number; cpuMs: number; allowed: number } {
  let allowed = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < pods.length; i++) {
    const p = pods[i]!;
    if (evaluatePod(p.metadata, p.spec, level, 'latest').allowed) allowed++;
  }
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, allowed };
}

export async function run(): Promise<void> {
  const N = 100_000;
  const RUNS = 15;
  const t0 = performance.now();
  const pods = generatePods(N);
  const genMs = performance.now() - t0;
  console.log(`pss benchmark (node ${process.version}; restricted:latest = ${LATEST_PSS_VERSION})`);
  console.log(`  generated ${N.toLocaleString('en-US')} pod templates in ${genMs.toFixed(0)} ms`);
  evaluateAll(pods, 'restricted'); // warm-up
  const runs: number[] = [];
  const cpuRuns: number[] = [];
  let allowed = 0;
  for (let k = 0; k < RUNS; k++) {
    const r = evaluateAll(pods, 'restricted');
    runs.push(r.ms);
    cpuRuns.push(r.cpuMs);
    allowed = r.allowed;
  }
  runs.sort((a, b) => a - b);
  cpuRuns.sort((a, b) => a - b);
  const median = runs[RUNS >> 1]!;
  const best = runs[0]!;
  const cpuMedian = cpuRuns[RUNS >> 1]!;
  const rate = (ms: number) => N / (ms / 1000);
  const fmt = (ms: number) => Math.round(rate(ms)).toLocaleString('en-US');
  console.log(`  restricted:latest, ${RUNS} runs of 100k (${allowed.toLocaleString('en-US')} allowed, ${(N - allowed).toLocaleString('en-US')} denied)`);
  console.log(`    wall clock : best ${fmt(best)}/s (${((best * 1000) / N).toFixed(2)} µs per pod), median ${fmt(median)}/s`);
  console.log(`    CPU time   : median ${fmt(cpuMedian)} evaluations per CPU-second`);
  const b = evaluateAll(pods, 'baseline');
  console.log(`  baseline:latest, 1 run: ${fmt(b.ms)}/s wall, ${fmt(b.cpuMs)}/CPU-s (${b.allowed.toLocaleString('en-US')} allowed)`);
  console.log(`  target: > 200,000 evaluations/s at restricted (best wall-clock run) — ${rate(best) > 200_000 ? 'met' : 'NOT met'}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await run();
}
