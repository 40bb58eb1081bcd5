/** The bundled examples: the insecure shop breaks every practice, the hardened one none at high/critical. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PRACTICES } from '../../src/core/finding.js';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';

interface Report {
  findings: Array<{ ruleId: string; practice: string; severity: string; resource: { kind: string; name: string } }>;
  errors: unknown[];
}

async function scanJson(dir: string): Promise<{ code: number; report: Report }> {
  const r = await runCli(['scan', join(repoRoot, 'examples', dir), '--format', 'json']);
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
}

test('examples/shop reports every practice the catalog covers', async () => {
  const { code, report } = await scanJson('shop');
  assert.equal(code, 1);
  assert.deepEqual(report.errors, []);
  const practices = new Set(report.findings.map((f) => f.practice));
  for (const p of Object.keys(PRACTICES)) assert.ok(practices.has(p), `practice ${p} is reported`);
  const rules = new Set(report.findings.map((f) => f.ruleId));
  const expected = [
    // service-account tokens
    'automount-service-account-token',
    'default-service-account',
    'rbac-token-blast-radius',
    // container escape
    'privileged-container',
    'host-namespaces',
    'host-path-volume',
    'dangerous-capabilities',
    'capabilities-not-dropped',
    'allow-privilege-escalation',
    'run-as-root',
    'writable-root-filesystem',
    'missing-seccomp-profile',
    'missing-apparmor-profile',
    'host-port',
    // sandboxing
    'sandbox-runtime-class',
    'runtime-class-undefined',
    // network
    'namespace-default-deny',
    'network-reachable-from-everything',
    'service-exposure',
    'ingress-exposure',
    'service-external-ips',
    // RBAC
    'rbac-cluster-admin-binding',
    'rbac-wildcard',
    'rbac-secrets-read',
    'rbac-pods-exec',
    'rbac-impersonate',
    'rbac-bind-escalate',
    'rbac-anonymous-binding',
    'rbac-escalation-chain',
    // Dashboard
    'dashboard-deployed',
    'dashboard-insecure-flags',
    'dashboard-cluster-admin',
    'dashboard-exposed',
    // images
    'image-latest-tag',
    'image-digest-pinning',
    'image-registry-allowlist',
    'image-pull-policy',
    // hygiene and admission
    'secrets-in-env',
    'missing-resource-limits',
    'workload-in-default-namespace',
    'workload-in-system-namespace',
    'pod-security-standards',
    'pss-namespace-unenforced',
  ];
  const missing = expected.filter((id) => !rules.has(id));
  assert.deepEqual(missing, []);
  // The dashboard's skip-login is critical, and the api token's path to cluster-admin is found.
  assert.ok(report.findings.some((f) => f.ruleId === 'dashboard-insecure-flags' && f.severity === 'critical'));
  assert.ok(report.findings.some((f) => f.ruleId === 'rbac-escalation-chain' && f.resource.name === 'api'));
});

test('examples/shop-hardened has no finding at high or critical and exits 0', async () => {
  const { code, report } = await scanJson('shop-hardened');
  assert.deepEqual(report.errors, []);
  assert.deepEqual(
    report.findings.filter((f) => f.severity === 'high' || f.severity === 'critical'),
    [],
  );
  assert.equal(code, 0);
});
