/** The webhook's image policy: decided from cached verdicts only, never by pulling on the request path. */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../core/types.js';
import { MemoryVerdictCache } from '../images/verdict-cache.js';
import { emptyCounts } from '../images/scan-image.js';
import { validate } from './decide.js';
import { StaticNamespaceSource } from './namespace-watch.js';
import { compilePolicy, defaultPolicy, parsePolicy, type AdmissionPolicy } from './policy.js';
import { requestFor } from './review.js';

const VULN = `registry.example.com/shop/api@sha256:${'a'.repeat(64)}`;
const CLEAN = `registry.example.com/shop/web@sha256:${'b'.repeat(64)}`;
const UNKNOWN = `registry.example.com/shop/new@sha256:${'c'.repeat(64)}`;

function cache(): MemoryVerdictCache {
  const c = new MemoryVerdictCache();
  const vulnCounts = { ...emptyCounts(), high: 2, medium: 1 };
  c.put({ digest: `sha256:${'a'.repeat(64)}`, reference: VULN, scannedAt: '2026-11-27T00:00:00.000Z', counts: vulnCounts, fixable: { ...emptyCounts(), high: 1 } });
  c.put({ digest: `sha256:${'b'.repeat(64)}`, reference: CLEAN, scannedAt: '2026-11-27T00:00:00.000Z', counts: { ...emptyCounts(), low: 3 }, fixable: emptyCounts() });
  return c;
}

function pod(image: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'shop' },
    spec: {
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'c', image, securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
    },
  };
}

function policy(images: Partial<AdmissionPolicy['images']>) {
  const p = defaultPolicy();
  p.registries.allow = ['registry.example.com'];
  p.images = { ...p.images, ...images };
  return compilePolicy(p);
}

const ns = new StaticNamespaceSource();

test('enforce: an image with a fixable vulnerability at or above failOn is denied, naming it', () => {
  const c = cache();
  const v = validate(requestFor(pod(VULN)).request, policy({ mode: 'enforce', failOn: 'high' }), { namespaces: ns, images: c });
  assert.equal(v.allowed, false);
  assert.match(v.status?.message ?? '', /image policy: image .*shop\/api@sha256:a+ has known fixable vulnerabilities at or above high: 1 high/);
});

test('clean images, and images whose only vulnerabilities have no fix, are allowed', () => {
  const c = cache();
  assert.equal(validate(requestFor(pod(CLEAN)).request, policy({ mode: 'enforce', failOn: 'low' }), { namespaces: ns, images: c }).allowed, true);
  assert.equal(validate(requestFor(pod(CLEAN)).request, policy({ mode: 'enforce', failOn: 'low', requireFix: false }), { namespaces: ns, images: c }).allowed, false);
});

test('warn and audit modes never deny', () => {
  const c = cache();
  const w = validate(requestFor(pod(VULN)).request, policy({ mode: 'warn' }), { namespaces: ns, images: c });
  assert.equal(w.allowed, true);
  assert.ok(w.warnings?.some((x) => x.includes('image policy')));
  const a = validate(requestFor(pod(VULN)).request, policy({ mode: 'audit' }), { namespaces: ns, images: c });
  assert.equal(a.allowed, true);
  assert.match(a.auditAnnotations?.['image-audit-violations'] ?? '', /1 high/);
});

test('an unknown image gets the configured default and a background scan, except on dry runs', () => {
  const c = cache();
  const v = validate(requestFor(pod(UNKNOWN)).request, policy({ mode: 'enforce', unknown: 'warn' }), { namespaces: ns, images: c });
  assert.equal(v.allowed, true);
  assert.ok(v.warnings?.some((x) => x.includes('has not been scanned yet')));
  assert.deepEqual(c.requests.map((r) => r.imageRef), [UNKNOWN]);
  const dry = cache();
  validate(requestFor(pod(UNKNOWN), { dryRun: true }).request, policy({ mode: 'enforce', unknown: 'warn' }), { namespaces: ns, images: dry });
  assert.deepEqual(dry.requests, []);
  const deny = validate(requestFor(pod(UNKNOWN)).request, policy({ mode: 'enforce', unknown: 'deny' }), { namespaces: ns, images: cache() });
  assert.equal(deny.allowed, false);
});

test('off by default, and the policy file section is validated', () => {
  assert.equal(defaultPolicy().images.mode, 'off');
  const p = parsePolicy('images:\n  mode: enforce\n  failOn: critical\n  unknown: deny\n', 'p.yaml');
  assert.deepEqual(p.images, { mode: 'enforce', failOn: 'critical', requireFix: true, unknown: 'deny' });
  assert.throws(() => parsePolicy('images:\n  mode: enforce\n  failon: high\n', 'p.yaml'), /unknown key "failon"/);
});
