/**
 * The webhook end to end: a real HTTPS server on 127.0.0.1 with generated certificates, a
 * real node:https client trusting the generated CA, real AdmissionReview bodies.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { JsonPatchOp } from '../../src/core/finding.js';
import type { KubeObject } from '../../src/core/types.js';
import { evaluatePod } from '../../src/engines/pss/index.js';
import { generateCertificates, writeCertificates, type CertificateBundle } from '../../src/admission/certs.js';
import { applyJsonPatch } from '../../src/admission/json-patch.js';
import { StaticNamespaceSource } from '../../src/admission/namespace-watch.js';
import { PolicyFileWatcher } from '../../src/admission/policy.js';
import { requestFor } from '../../src/admission/review.js';
import { AdmissionServer } from '../../src/admission/server.js';

const POLICY = `apiVersion: kubeward.dev/v1alpha1
kind: AdmissionPolicy
defaults: { level: restricted, version: latest, mode: enforce }
namespaces:
  lenient: { level: restricted, mode: warn }
rules:
  automount-service-account-token: warn
  image-digest-pinning: off
mutation:
  namespaces: [mutated]
`;

const privilegedPod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'root-shell', namespace: 'apps' },
  spec: { containers: [{ name: 'shell', image: 'busybox:1.36', securityContext: { privileged: true } }] },
};

const typicalPod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'mutated', annotations: { 'example.com/a~b/c': 'x' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080 }] }], initContainers: [{ name: 'init', image: 'busybox:1.36', securityContext: { runAsUser: 1000 } }] },
};

const compliantPod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'ok', namespace: 'apps' },
  spec: {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{ name: 'app', image: 'registry.example.com/app:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
  },
};

interface Reply {
  status: number;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

let dir: string;
let bundle: CertificateBundle;
let server: AdmissionServer;
let port: number;
let agent: Agent;
let policyWatcher: PolicyFileWatcher;

function post(path: string, body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }, ca = bundle.caCert, useAgent = true): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', servername: 'localhost', ca, headers, ...(useAgent ? { agent } : { agent: false }) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function get(path: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, servername: 'localhost', ca: bundle.caCert, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, json: undefined }));
    })
      .on('error', reject)
      .end();
  });
}

function review(obj: KubeObject, opts: Parameters<typeof requestFor>[1] = {}): string {
  return JSON.stringify(requestFor(obj, { uid: `uid-${Math.random().toString(16).slice(2)}`, ...opts }));
}

async function until(cond: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail('condition not reached in time');
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubeward-admission-'));
  bundle = await generateCertificates({ dnsNames: ['localhost', '127.0.0.1'] });
  const paths = await writeCertificates(dir, bundle);
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  let onReload: ((e: import('../../src/admission/policy.js').ReloadEvent) => void) | undefined;
  policyWatcher = new PolicyFileWatcher(join(dir, 'policy.yaml'), { debounceMs: 50, onReload: (e) => onReload?.(e) }).start();
  server = new AdmissionServer({
    certFile: paths.cert,
    keyFile: paths.key,
    host: '127.0.0.1',
    port: 0,
    policy: policyWatcher,
    namespaces: new StaticNamespaceSource({ labelled: { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' } }),
    logger: pino({ level: 'silent' }),
    headersTimeoutMs: 400,
    requestTimeoutMs: 800,
    connectionsCheckingIntervalMs: 100,
    certReloadDebounceMs: 50,
  });
  onReload = (e) => server.policyReloaded(e);
  port = await server.listen();
  agent = new Agent({ keepAlive: true, ca: bundle.caCert });
});

after(async () => {
  agent.destroy();
  policyWatcher.close();
  await server.close({ graceMs: 1000 });
  rmSync(dir, { recursive: true, force: true });
});

describe('admission webhook over TLS', () => {
  test('a privileged pod in a restricted namespace is denied, naming the check', async () => {
    const body = review(privilegedPod, { uid: 'deny-1' });
    const r = await post('/validate?timeout=10s', body);
    assert.equal(r.status, 200);
    assert.equal(r.json.apiVersion, 'admission.k8s.io/v1');
    assert.equal(r.json.kind, 'AdmissionReview');
    assert.equal(r.json.response.uid, 'deny-1');
    assert.equal(r.json.response.allowed, false);
    assert.equal(r.json.response.status.code, 403);
    assert.equal(r.json.response.status.reason, 'Forbidden');
    assert.match(r.json.response.status.message, /violates PodSecurity "restricted:latest": privileged \(container "shell" must not set securityContext\.privileged=true\)/);
  });

  test('a compliant pod is allowed', async () => {
    const r = await post('/validate', review(compliantPod, { uid: 'ok-1' }));
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.response.uid, 'ok-1');
    assert.equal(r.json.response.allowed, true);
    assert.equal(r.json.response.status, undefined);
    assert.equal(r.json.response.warnings, undefined);
  });

  test('a bad Deployment is rejected at creation, not only its pods', async () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'apps' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { hostNetwork: true, containers: [{ name: 'c', image: 'x' }] } } },
    };
    const r = await post('/validate', review(deployment));
    assert.equal(r.json.response.allowed, false);
    assert.match(r.json.response.status.message, /host namespaces \(hostNetwork=true\)/);
  });

  test('warn-mode violations come back as warnings; dryRun gets the same answer', async () => {
    const pod = { ...privilegedPod, metadata: { name: 'p', namespace: 'lenient' } };
    for (const dryRun of [false, true]) {
      const r = await post('/validate', review(pod, { dryRun }));
      assert.equal(r.json.response.allowed, true);
      assert.ok(r.json.response.warnings.some((w: string) => w.startsWith('would violate PodSecurity "restricted:latest": privileged')));
      assert.ok(r.json.response.warnings.some((w: string) => w.startsWith('kubeward rule automount-service-account-token')));
    }
  });

  test('namespace labels: enforce baseline denies privileged, warn restricted warns on the rest', async () => {
    const denied = await post('/validate', review({ ...privilegedPod, metadata: { name: 'p', namespace: 'labelled' } }));
    assert.equal(denied.json.response.allowed, false);
    assert.match(denied.json.response.status.message, /PodSecurity "baseline:latest": privileged/);
    const plain = { ...typicalPod, metadata: { name: 'p', namespace: 'labelled' } };
    const warned = await post('/validate', review(plain));
    assert.equal(warned.json.response.allowed, true);
    assert.ok(warned.json.response.warnings.some((w: string) => w.includes('PodSecurity "restricted:latest"')));
  });

  test('mutation returns a JSONPatch that, applied, makes the pod pass restricted', async () => {
    const before = evaluatePod(typicalPod.metadata, typicalPod['spec'] as never, 'restricted', 'latest');
    assert.equal(before.allowed, false);
    const r = await post('/mutate', review(typicalPod, { uid: 'm-1' }));
    assert.equal(r.status, 200);
    const res = r.json.response;
    assert.equal(res.uid, 'm-1');
    assert.equal(res.allowed, true);
    assert.equal(res.patchType, 'JSONPatch');
    const ops = JSON.parse(Buffer.from(res.patch, 'base64').toString('utf8')) as JsonPatchOp[];
    assert.ok(ops.length > 0);
    const patched = applyJsonPatch(requestFor(typicalPod).request.object as KubeObject, ops);
    const afterPss = evaluatePod(patched.metadata, patched['spec'] as never, 'restricted', 'latest');
    assert.deepEqual(afterPss.failures, []);
    assert.equal(patched.metadata.annotations?.['example.com/a~b/c'], 'x');
    assert.equal((patched['spec'] as { automountServiceAccountToken?: boolean }).automountServiceAccountToken, false);
    // and the validating webhook, which runs after mutation, now allows it
    const v = await post('/validate', review(patched));
    assert.equal(v.json.response.allowed, true, v.text);
    // outside mutation namespaces: no patch
    const none = await post('/mutate', review({ ...typicalPod, metadata: { name: 'x', namespace: 'apps' } }));
    assert.equal(none.json.response.patch, undefined);
  });

  test('v1beta1 reviews are answered in v1beta1', async () => {
    const body = JSON.parse(review(compliantPod, { uid: 'beta' })) as Record<string, unknown>;
    body['apiVersion'] = 'admission.k8s.io/v1beta1';
    const r = await post('/validate', JSON.stringify(body));
    assert.equal(r.json.apiVersion, 'admission.k8s.io/v1beta1');
    assert.equal(r.json.response.uid, 'beta');
  });

  test('malformed input: each case gets a clear 4xx and the server keeps serving', async () => {
    const good = review(compliantPod);
    const cases: Array<[string, Promise<Reply>, number, RegExp]> = [
      ['malformed JSON', post('/validate', '{"apiVersion": '), 400, /malformed JSON/],
      ['wrong kind', post('/validate', JSON.stringify({ ...JSON.parse(good), kind: 'Pod' })), 400, /kind must be "AdmissionReview", got "Pod"/],
      ['wrong apiVersion', post('/validate', JSON.stringify({ ...JSON.parse(good), apiVersion: 'admission.k8s.io/v2' })), 400, /apiVersion must be one of/],
      ['missing request', post('/validate', JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' })), 400, /has no request/],
      ['missing uid', post('/mutate', JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { kind: {} } })), 400, /request\.uid/],
      ['not an object', post('/validate', '[]'), 400, /must be a JSON object/],
      ['oversized body', post('/validate', Buffer.alloc(3 * 1024 * 1024 + 1, 0x20)), 413, /exceeds the 3145728-byte limit/],
      ['wrong content type', post('/validate', good, { 'content-type': 'text/plain' }), 415, /content type must be application\/json/],
      ['no content type', post('/validate', good, {}), 415, /content type/],
      ['unknown path', post('/nope', good), 404, /no handler for \/nope/],
    ];
    for (const [name, p, code, re] of cases) {
      const r = await p;
      assert.equal(r.status, code, `${name}: ${r.text}`);
      assert.match(r.json?.message ?? r.text, re, name);
      assert.equal(r.json?.kind, 'Status', name);
      const ok = await post('/validate', good);
      assert.equal(ok.json.response.allowed, true, `still serving after ${name}`);
    }
    const wrongMethod = await get('/validate');
    assert.equal(wrongMethod.status, 405);
  });

  test('oversized body announced by content-length is refused up front', async () => {
    const r = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/validate', method: 'POST', servername: 'localhost', ca: bundle.caCert, agent: false, headers: { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{');
    });
    assert.equal(r, 413);
  });

  /** Opens a raw TLS connection, writes `chunks` with `gapMs` between them, and waits for the server to close it. */
  function slowClient(chunks: string[], gapMs: number): Promise<{ data: string; ms: number }> {
    const started = Date.now();
    return new Promise((resolve) => {
      const timers: NodeJS.Timeout[] = [];
      const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: bundle.caCert }, () => {
        chunks.forEach((c, i) => timers.push(setTimeout(() => socket.writable && socket.write(c), i * gapMs)));
      });
      let data = '';
      socket.on('data', (d: Buffer) => (data += d.toString()));
      socket.on('close', () => {
        for (const t of timers) clearTimeout(t);
        resolve({ data, ms: Date.now() - started });
      });
      socket.on('error', () => undefined);
    });
  }

  test('a client that never finishes its headers gets a 408 at the headers timeout', async () => {
    // headersTimeout 400 ms, checked every 100 ms.
    const { data, ms } = await slowClient(['POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'], 0);
    assert.match(data, /^HTTP\/1\.1 408 /, data);
    assert.ok(ms >= 350 && ms < 3000, `cut after ${ms} ms`);
    const ok = await post('/validate', review(compliantPod));
    assert.equal(ok.json.response.allowed, true);
  });

  test('a client that trickles its body gets a 408 at the request timeout, and others are served meanwhile', async () => {
    // requestTimeout 800 ms: the body arrives a byte every 150 ms and would take seconds.
    const body = review(compliantPod);
    const head = `POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    const slow = slowClient([head, ...body.slice(0, 40).split('')], 150);
    const during = await post('/validate', review(compliantPod));
    assert.equal(during.json.response.allowed, true, 'served while the slow client holds its connection');
    // The body being received counts as in flight.
    await until(async () => /kubeward_admission_in_flight_requests 1\b/.test((await get('/metrics')).text));
    const { data, ms } = await slow;
    assert.match(data, /^HTTP\/1\.1 408 /, data);
    assert.ok(ms >= 700 && ms < 4000, `cut after ${ms} ms`);
    const after = (await get('/metrics')).text;
    await until(async () => /kubeward_admission_in_flight_requests 0\b/.test((await get('/metrics')).text), 3000);
    assert.match(after, /kubeward_admission_requests_total\{path="other",code="408"\} [1-9]/);
  });

  test('under a burst of concurrent reviews every one is answered', async () => {
    const burst = new Agent({ keepAlive: true, maxSockets: 64, ca: bundle.caCert });
    try {
      const replies = await Promise.all(
        Array.from({ length: 400 }, (_, i) =>
          new Promise<number>((resolve, reject) => {
            const body = review(i % 2 ? privilegedPod : compliantPod, { uid: `burst-${i}` });
            const r = request({ host: '127.0.0.1', port, path: '/validate', method: 'POST', servername: 'localhost', agent: burst, headers: { 'content-type': 'application/json' } }, (res) => {
              let t = '';
              res.on('data', (c: Buffer) => (t += c.toString()));
              res.on('end', () => resolve(JSON.parse(t).response.uid === `burst-${i}` ? (res.statusCode ?? 0) : -1));
            });
            r.on('error', reject);
            r.end(body);
          }),
        ),
      );
      assert.ok(replies.every((s) => s === 200));
    } finally {
      burst.destroy();
    }
    // garbage on the raw socket gets a 400 and the server carries on
    const raw = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: bundle.caCert }, () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let data = '';
      socket.on('data', (d: Buffer) => (data += d.toString()));
      socket.on('close', () => resolve(data));
      socket.on('error', () => undefined);
    });
    assert.match(raw, /^HTTP\/1\.1 400 Bad Request/);
    assert.equal((await post('/validate', review(compliantPod))).json.response.allowed, true);
  });

  test('health, readiness and metrics', async () => {
    assert.equal((await get('/healthz')).status, 200);
    assert.equal((await get('/readyz')).status, 200);
    const m = await get('/metrics');
    assert.equal(m.status, 200);
    assert.match(m.text, /kubeward_admission_requests_total\{path="\/validate",code="200"\} \d+/);
    assert.match(m.text, /kubeward_admission_verdicts_total\{webhook="validate",verdict="denied"\} \d+/);
    assert.match(m.text, /kubeward_admission_verdicts_total\{webhook="mutate",verdict="patched"\} \d+/);
    assert.match(m.text, /kubeward_admission_decision_seconds_bucket\{le="0\.001",webhook="validate"\} \d+/);
    assert.match(m.text, /kubeward_admission_requests_total\{path="\/validate",code="413"\} \d+/);
  });

  test('a policy edit is picked up without restart; a bad edit keeps the last good policy', async () => {
    const pod = { ...typicalPod, metadata: { name: 'p', namespace: 'apps' } }; // violates restricted only
    assert.equal((await post('/validate', review(pod))).json.response.allowed, false);
    writeFileSync(join(dir, 'policy.yaml'), POLICY.replace('level: restricted, version: latest, mode: enforce', 'level: baseline, version: latest, mode: enforce'));
    await until(async () => (await post('/validate', review(pod))).json.response.allowed === true);
    writeFileSync(join(dir, 'policy.yaml'), 'defaults: { level: strict }\n');
    await until(async () => /policy_reloads_total\{result="failure"\} [1-9]/.test((await get('/metrics')).text));
    assert.equal((await post('/validate', review(pod))).json.response.allowed, true, 'still the last good (baseline) policy');
    const m = (await get('/metrics')).text;
    assert.match(m, /kubeward_admission_policy_reloads_total\{result="success"\} [1-9]/);
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    await until(async () => (await post('/validate', review(pod))).json.response.allowed === false);
  });

  test('TLS certificate reload from disk', async () => {
    const next = await generateCertificates({ dnsNames: ['localhost', '127.0.0.1'] });
    await writeCertificates(dir, next);
    await until(async () => {
      try {
        const r = await post('/validate', review(compliantPod), { 'content-type': 'application/json' }, next.caCert, false);
        return r.status === 200;
      } catch {
        return false;
      }
    });
    await assert.rejects(post('/validate', review(compliantPod), { 'content-type': 'application/json' }, bundle.caCert, false));
    // a broken pair is refused and the working certificate stays
    writeFileSync(join(dir, 'tls.key'), 'not a key');
    await until(async () => /certificate_reloads_total\{result="failure"\} [1-9]/.test(await metricsWith(next.caCert)));
    const still = await post('/validate', review(compliantPod), { 'content-type': 'application/json' }, next.caCert, false);
    assert.equal(still.status, 200);
    await writeCertificates(dir, bundle);
    await until(async () => {
      try {
        return (await post('/validate', review(compliantPod), { 'content-type': 'application/json' }, bundle.caCert, false)).status === 200;
      } catch {
        return false;
      }
    });
  });
});

function metricsWith(ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/metrics', servername: 'localhost', ca, agent: false }, (res) => {
      let t = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (t += c));
      res.on('end', () => resolve(t));
    })
      .on('error', reject)
      .end();
  });
}

describe('graceful shutdown', () => {
  test('close() stops accepting, finishes the request in flight, reports not ready', async () => {
    const d = mkdtempSync(join(tmpdir(), 'kubeward-admission-close-'));
    const b = await generateCertificates({ dnsNames: ['localhost'] });
    const s = new AdmissionServer({
      cert: b.tlsCert,
      key: b.tlsKey,
      host: '127.0.0.1',
      port: 0,
      policy: new PolicyFileWatcher((writeFileSync(join(d, 'p.yaml'), POLICY), join(d, 'p.yaml'))),
      namespaces: new StaticNamespaceSource(),
      logger: pino({ level: 'silent' }),
    });
    const p = await s.listen();
    const body = review(privilegedPod, { uid: 'inflight' });
    const half = Math.floor(body.length / 2);
    const reply = new Promise<Reply>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: p, path: '/validate', method: 'POST', servername: 'localhost', ca: b.caCert, agent: false, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
        let t = '';
        res.on('data', (c: Buffer) => (t += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: t, json: JSON.parse(t) }));
      });
      req.on('error', reject);
      req.write(body.slice(0, half));
      setTimeout(() => {
        closing = s.close({ delayMs: 200, graceMs: 5000 }); // not ready at once, stops accepting after 200 ms
        readyDuringDrain = new Promise((res2, rej2) => {
          request({ host: '127.0.0.1', port: p, path: '/readyz', servername: 'localhost', ca: b.caCert, agent: false }, (rr) => {
            rr.resume();
            res2(rr.statusCode ?? 0);
          })
            .on('error', rej2)
            .end();
        });
        setTimeout(() => req.end(body.slice(half)), 400); // after the listener closed
      }, 100);
    });
    let closing: Promise<void> | undefined;
    let readyDuringDrain: Promise<number> | undefined;
    const r = await reply;
    assert.equal(await readyDuringDrain, 503);
    assert.equal(r.status, 200);
    assert.equal(r.json.response.uid, 'inflight');
    assert.equal(r.json.response.allowed, false);
    await closing;
    await assert.rejects(
      new Promise((resolve, reject) => {
        request({ host: '127.0.0.1', port: p, path: '/healthz', servername: 'localhost', ca: b.caCert, agent: false }, resolve).on('error', reject).end();
      }),
    );
    rmSync(d, { recursive: true, force: true });
  });
});
