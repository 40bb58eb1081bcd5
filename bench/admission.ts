/**
 * Admission webhook benchmark: autocannon against 127.0.0.1, the kubeward webhook (/validate,
 * a realistic Deployment-generated pod review, restricted policy) side by side with a bare
 * node:https server that reads the body and answers a fixed AdmissionReview. Each server runs
 * in its own child process, one at a time, so the client never shares its event loop.
 * Reports, in one run: maximum throughput (ratio webhook/bare), client p50/p99 at a fixed
 * 1,000 reviews/s for both, and the webhook's own decision time from its latency histogram.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { get } from 'node:https';
import autocannon from 'autocannon';
import pino from 'pino';
import { generateCertificates, writeCertificates } from '../src/admission/certs.js';
import { StaticNamespaceSource } from '../src/admission/namespace-watch.js';
import { compilePolicy, defaultPolicy } from '../src/admission/policy.js';
import { buildReviewResponse, parseAdmissionReview, requestFor } from '../src/admission/review.js';
import { validate } from '../src/admission/decide.js';
import { AdmissionServer } from '../src/admission/server.js';
import type { KubeObject } from '../src/core/types.js';
import { median } from './util.js';

const self = fileURLToPath(import.meta.url);

/** A pod as a ReplicaSet controller creates it, with the metadata the API server adds. */
export function realisticPod(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: 'shop-frontend-7c9d8b6f4-',
      namespace: 'shop',
      labels: { app: 'shop-frontend', 'pod-template-hash': '7c9d8b6f4', 'app.kubernetes.io/part-of': 'shop', tier: 'web' },
      annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090', 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'shop-frontend-7c9d8b6f4', uid: '4b1e2f0c-1d2e-4f5a-9b8c-7d6e5f4a3b2c', controller: true }],
      managedFields: [{ manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } } }],
    },
    spec: {
      serviceAccountName: 'default',
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
      initContainers: [
        { name: 'migrate', image: 'registry.example.com/shop/migrate@sha256:' + 'a'.repeat(64), command: ['/migrate', '--up'], securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } }, resources: { limits: { cpu: '200m', memory: '128Mi' } } },
      ],
      containers: [
        {
          name: 'frontend',
          image: 'registry.example.com/shop/frontend@sha256:' + 'b'.repeat(64),
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'metrics', containerPort: 9090, protocol: 'TCP' }],
          env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
          readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5 },
          livenessProbe: { httpGet: { path: '/live', port: 'http' }, periodSeconds: 10 },
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'config', mountPath: '/etc/shop', readOnly: true }],
        },
        {
          name: 'proxy',
          image: 'registry.example.com/shop/proxy@sha256:' + 'c'.repeat(64),
          args: ['--upstream=http://127.0.0.1:8080', '--listen=:8443'],
          ports: [{ name: 'https', containerPort: 8443, protocol: 'TCP' }],
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } },
          resources: { limits: { cpu: '200m', memory: '64Mi' } },
        },
      ],
      volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'config', configMap: { name: 'shop-frontend' } }],
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
    },
  };
}

export function reviewBody(): string {
  const r = requestFor(realisticPod(), { uid: '705ab4f5-6393-11e8-b7cc-42010a800002', username: 'system:serviceaccount:kube-system:replicaset-controller', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'] });
  return JSON.stringify(r);
}

async function child(kind: string, dir: string): Promise<void> {
  const cert = readFileSync(join(dir, 'tls.crt'));
  const key = readFileSync(join(dir, 'tls.key'));
  if (kind === 'bare' || kind === 'parse' || kind === 'decide') {
    // bare: reads the body, answers a fixed review. parse: also JSON.parses the body.
    // decide: also validates it as the webhook does and serialises the real answer.
    const fixed = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: true } });
    const policy = compilePolicy(defaultPolicy());
    const deps = { namespaces: new StaticNamespaceSource({ shop: { 'pod-security.kubernetes.io/enforce': 'restricted' } }) };
    const server = createServer({ cert, key, keepAliveTimeout: 30000 }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => {
        if (kind !== 'bare') chunks.push(c);
      });
      req.on('end', () => {
        let text = fixed;
        if (kind !== 'bare') {
          const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
          if (kind === 'decide') {
            const p = parseAdmissionReview(review);
            if (p.ok) text = JSON.stringify(buildReviewResponse(p.review.apiVersion, p.review.request.uid, validate(p.review.request, policy, deps)));
          }
        }
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      });
    });
    server.listen(0, '127.0.0.1', () => console.log(`PORT ${(server.address() as { port: number }).port}`));
    process.on('message', () => process.send?.(process.cpuUsage()));
    process.on('SIGTERM', () => server.close(() => process.exit(0)));
    return;
  }
  const policy = compilePolicy(defaultPolicy());
  const server = new AdmissionServer({
    cert,
    key,
    host: '127.0.0.1',
    port: 0,
    policy: { current: () => policy },
    namespaces: new StaticNamespaceSource({ shop: { 'pod-security.kubernetes.io/enforce': 'restricted' } }),
    logger: pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: false })),
  });
  const port = await server.listen();
  console.log(`PORT ${port}`);
  process.on('message', () => process.send?.(process.cpuUsage()));
  process.on('SIGTERM', () => void server.close({ graceMs: 1000 }).then(() => process.exit(0)));
}

function startChild(kind: string, dir: string): Promise<{ proc: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', self, '--child', kind, dir], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ proc, port: Number(m[1]) });
    });
    proc.on('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** Distinct reviews (different image digests and names), for the in-process decision figures. */
export function variedBodies(n: number): string[] {
  const base = reviewBody();
  return Array.from({ length: n }, (_, i) => base.replaceAll('b'.repeat(64), i.toString(16).padStart(64, 'b')).replace('"generateName":"shop-frontend-7c9d8b6f4-"', `"generateName":"shop-frontend-${i}-"`));
}

async function cannon(port: number, body: string | string[], seconds: number, rate?: number): Promise<Load> {
  let i = 0;
  const bodies = Array.isArray(body) ? body : [body];
  const r = await autocannon({
    url: `https://127.0.0.1:${port}/validate?timeout=10s`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(bodies.length === 1
      ? { body: bodies[0] }
      : { requests: [{ method: 'POST' as const, setupRequest: (req: autocannon.Request) => ({ ...req, body: bodies[i++ % bodies.length] }) }] }),
    connections: 10,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

/** CPU time (user + system, µs) the server process has used so far. */
function cpuOf(proc: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    proc.once('message', (m) => {
      const u = m as { user: number; system: number };
      resolve(u.user + u.system);
    });
    proc.send('cpu');
  });
}

function metricsText(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/metrics', rejectUnauthorized: false }, (res) => {
      let t = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (t += c));
      res.on('end', () => resolve(t));
    }).on('error', reject);
  });
}

/** The round with the median throughput for max phases, median p99 for fixed-rate ones. */
function medianRound(rs: Load[]): Load {
  const key = (r: Load) => (rs.some((x) => x.rps > 1100) ? r.rps : r.p99);
  const sorted = [...rs].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor(sorted.length / 2)] as Load;
}

type Quantile = { bound: number; count: number };

/**
 * Decision-time p-quantile over the reviews decided between two scrapes of /metrics (from the
 * start when `before` is empty): the upper bound of the histogram bucket that holds it.
 */
function decisionQuantile(before: string, after: string, q: number): Quantile {
  const name = 'kubeward_admission_decision_seconds';
  const re = new RegExp(`^${name}_bucket\\{le="([^"]+)",webhook="validate"\\} (\\d+)`, 'gm');
  const read = (t: string) => new Map([...t.matchAll(re)].map((m) => [m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2])] as [number, number]));
  const a = read(before);
  const b = read(after);
  const buckets = [...b.entries()].map(([le, c]) => [le, c - (a.get(le) ?? 0)] as [number, number]).sort((x, y) => x[0] - y[0]);
  const total = buckets[buckets.length - 1]?.[1] ?? 0;
  for (const [le, c] of buckets) if (c >= total * q) return { bound: le, count: total };
  return { bound: Infinity, count: total };
}

/** The decision alone, in-process (parse → validate → serialise), per-call wall time. */
function decisionInProcess(bodies: string[], n: number): { p50: number; p99: number; cpu: number } {
  const policy = compilePolicy(defaultPolicy());
  const deps = { namespaces: new StaticNamespaceSource({ shop: { 'pod-security.kubernetes.io/enforce': 'restricted' } }) };
  const buffers = bodies.map((b) => Buffer.from(b));
  const one = (i: number): void => {
    const parsed = parseAdmissionReview(JSON.parse((buffers[i % buffers.length] as Buffer).toString('utf8')));
    if (!parsed.ok) throw new Error(parsed.message);
    const v = validate(parsed.review.request, policy, deps);
    JSON.stringify(buildReviewResponse(parsed.review.apiVersion, parsed.review.request.uid, v));
  };
  for (let i = 0; i < 2000; i++) one(i);
  const times = new Float64Array(n);
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    one(i);
    times[i] = Number(process.hrtime.bigint() - t) / 1000;
  }
  const c = process.cpuUsage(c0);
  times.sort();
  return { p50: times[Math.floor(n * 0.5)] ?? 0, p99: times[Math.floor(n * 0.99)] ?? 0, cpu: (c.user + c.system) / n };
}

export async function run(): Promise<void> {
  const seconds = Number(process.env['BENCH_SECONDS'] ?? 5);
  const rounds = Number(process.env['BENCH_ROUNDS'] ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'kubeward-bench-admission-'));
  try {
    await writeCertificates(dir, await generateCertificates({ dnsNames: ['localhost', '127.0.0.1'] }));
    const body = reviewBody();
    writeFileSync(join(dir, 'review.json'), body);
    console.log(`review body: ${body.length} bytes (pod with 1 init + 2 containers, restricted namespace, allowed); ${seconds}s per phase, 10 connections, ${rounds} interleaved rounds, medians`);
    /** One phase at full speed against `srv`: its load figures and the server's CPU per request (µs). */
    const saturate = async (srv: { proc: ChildProcess; port: number }): Promise<{ load: Load; cpu: number }> => {
      const c0 = await cpuOf(srv.proc);
      const load = await cannon(srv.port, body, seconds);
      return { load, cpu: ((await cpuOf(srv.proc)) - c0) / (load.rps * seconds) };
    };
    const bareServer = await startChild('bare', dir);
    const parseServer = await startChild('parse', dir);
    const hookServer = await startChild('webhook', dir);
    let bare: { max: Load; fixed: Load };
    let hook: { max: Load; fixed: Load };
    let atRate: { p50: Quantile; p99: Quantile };
    let overall: { p50: Quantile; p99: Quantile };
    let cpuPerReview: { bare: number; hook: number };
    // A server that does nothing but JSON.parse the review: the ceiling of any webhook that reads it.
    let parseOnly: { max: Load; cpu: number };
    try {
      // Interleaved rounds, so both servers see the same background load; medians per server.
      await cannon(bareServer.port, body, 2);
      await cannon(parseServer.port, body, 2);
      await cannon(hookServer.port, body, 2);
      const bareMax: Load[] = [];
      const parseMax: Load[] = [];
      const parseMaxCpu: number[] = [];
      const hookMax: Load[] = [];
      const bareFixed: Load[] = [];
      const hookFixed: Load[] = [];
      const bareCpu: number[] = [];
      const hookCpu: number[] = [];
      const bareMaxCpu: number[] = [];
      const hookMaxCpu: number[] = [];
      const perRequest = async (srv: { proc: ChildProcess; port: number }, into: Load[], cpu: number[]): Promise<void> => {
        const r = await saturate(srv);
        into.push(r.load);
        cpu.push(r.cpu);
      };
      for (let i = 0; i < rounds; i++) {
        await perRequest(bareServer, bareMax, bareMaxCpu);
        await perRequest(parseServer, parseMax, parseMaxCpu);
        await perRequest(hookServer, hookMax, hookMaxCpu);
      }
      parseOnly = { max: medianRound(parseMax), cpu: median(parseMaxCpu) };
      const fixedBefore = await metricsText(hookServer.port);
      for (let i = 0; i < rounds; i++) {
        const b0 = await cpuOf(bareServer.proc);
        bareFixed.push(await cannon(bareServer.port, body, seconds, 1000));
        bareCpu.push((await cpuOf(bareServer.proc)) - b0);
        const h0 = await cpuOf(hookServer.proc);
        hookFixed.push(await cannon(hookServer.port, body, seconds, 1000));
        hookCpu.push((await cpuOf(hookServer.proc)) - h0);
      }
      const fixedAfter = await metricsText(hookServer.port);
      bare = { max: medianRound(bareMax), fixed: medianRound(bareFixed) };
      hook = { max: medianRound(hookMax), fixed: medianRound(hookFixed) };
      // decision time over all fixed-rate rounds
      atRate = { p50: decisionQuantile(fixedBefore, fixedAfter, 0.5), p99: decisionQuantile(fixedBefore, fixedAfter, 0.99) };
      overall = { p50: decisionQuantile('', fixedAfter, 0.5), p99: decisionQuantile('', fixedAfter, 0.99) };
      const perReq = (cpu: number[], loads: Load[]) => cpu.reduce((a, b) => a + b, 0) / loads.reduce((a, l) => a + l.rps * seconds, 0);
      cpuPerReview = { bare: perReq(bareCpu, bareFixed), hook: perReq(hookCpu, hookFixed) };
      console.log(`server CPU per request at saturation (median of rounds): bare ${median(bareMaxCpu).toFixed(0)} µs, webhook ${median(hookMaxCpu).toFixed(0)} µs`);
      console.log(`rounds: bare max ${bareMax.map((r) => r.rps.toFixed(0)).join('/')} bare + JSON.parse max ${parseMax.map((r) => r.rps.toFixed(0)).join('/')} webhook max ${hookMax.map((r) => r.rps.toFixed(0)).join('/')}; p99@1000/s bare ${bareFixed.map((r) => r.p99).join('/')} ms, webhook ${hookFixed.map((r) => r.p99).join('/')} ms`);
    } finally {
      for (const c of [bareServer, parseServer, hookServer]) {
        c.proc.removeAllListeners('exit');
        c.proc.kill('SIGTERM');
      }
    }
    const ms = (n: number) => `${n.toFixed(2)} ms`;
    console.log('server   max req/s   p50@max   p99@max   |  @1000/s: req/s   p50       p99      errors');
    for (const [name, r] of [['bare', bare], ['webhook', hook]] as const) {
      console.log(
        `${name.padEnd(8)} ${r.max.rps.toFixed(0).padStart(9)}   ${ms(r.max.p50).padStart(8)}  ${ms(r.max.p99).padStart(8)}   |  ${r.fixed.rps.toFixed(0).padStart(8)}   ${ms(r.fixed.p50).padStart(8)}  ${ms(r.fixed.p99).padStart(8)}   ${r.max.errors + r.fixed.errors + r.max.non2xx + r.fixed.non2xx}`,
      );
    }
    const ratio = hook.max.rps / bare.max.rps;
    const p99ratio = hook.fixed.p99 / Math.max(bare.fixed.p99, 0.001);
    console.log(`throughput webhook/bare: ${(ratio * 100).toFixed(0)}% (target >= 50%) ${ratio >= 0.5 ? 'OK' : 'MISS'}`);
    console.log(
      `ceiling: a server that only JSON.parses the review (no decision, fixed answer) ${parseOnly.max.rps.toFixed(0)} req/s = ${((parseOnly.max.rps / bare.max.rps) * 100).toFixed(0)}% of bare (${parseOnly.cpu.toFixed(0)} µs CPU per request); webhook = ${((hook.max.rps / parseOnly.max.rps) * 100).toFixed(0)}% of that`,
    );
    console.log(`client p99 at 1,000/s webhook/bare: ${p99ratio.toFixed(2)}x (target <= 1.5x) ${p99ratio <= 1.5 ? 'OK' : 'MISS'}`);
    console.log(
      `server CPU per review at 1,000/s (contention-independent): bare ${cpuPerReview.bare.toFixed(0)} µs, webhook ${cpuPerReview.hook.toFixed(0)} µs → single-core capacity ratio ${((cpuPerReview.bare / cpuPerReview.hook) * 100).toFixed(0)}%`,
    );
    // Where the rest goes: bare + parse + validate + serialise, without the webhook's server (one round).
    const decideServer = await startChild('decide', dir);
    try {
      await cannon(decideServer.port, body, 2);
      const { load, cpu } = await saturate(decideServer);
      console.log(`bare + parse + validate + serialise, one round: ${load.rps.toFixed(0)} req/s (${cpu.toFixed(0)} µs CPU per request; compare with bare ${bare.max.rps.toFixed(0)} req/s)`);
    } finally {
      decideServer.proc.removeAllListeners('exit');
      decideServer.proc.kill('SIGTERM');
    }
    const same = decisionInProcess([body], 20000);
    const distinct = decisionInProcess(variedBodies(2048), 20000);
    console.log(
      `decision in-process (parse, validate, serialise; 20,000 calls): one pod repeated p50 ${same.p50.toFixed(0)} µs, p99 ${same.p99.toFixed(0)} µs, ${same.cpu.toFixed(0)} µs CPU; 2,048 distinct pods p50 ${distinct.p50.toFixed(0)} µs, p99 ${distinct.p99.toFixed(0)} µs, ${distinct.cpu.toFixed(0)} µs CPU`,
    );
    const f = (x: Quantile) => `${(x.bound * 1000).toFixed(3)} ms`;
    console.log(`decision time at 1,000/s (histogram, ${atRate.p99.count} reviews): p50 <= ${f(atRate.p50)}, p99 <= ${f(atRate.p99)} (target < 1 ms) ${atRate.p99.bound <= 0.001 ? 'OK' : 'MISS'}`);
    console.log(`decision time over the whole run incl. saturation (${overall.p99.count} reviews): p50 <= ${f(overall.p50)}, p99 <= ${f(overall.p99)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const childIdx = process.argv.indexOf('--child');
if (childIdx >= 0) {
  await child(process.argv[childIdx + 1] ?? 'bare', process.argv[childIdx + 2] ?? '.');
} else if (process.argv[1] === self) {
  await run();
}
