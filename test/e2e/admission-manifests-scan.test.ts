/** What `kubeward admission manifests` installs passes kubeward's own scan with nothing high or critical. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

test('admission manifests scan clean at high and critical', async () => {
  const manifests = await runCli(['admission', 'manifests']);
  assert.equal(manifests.code, 0, manifests.stderr);
  const dir = mkdtempSync(join(tmpdir(), 'kubeward-install-'));
  try {
    const file = join(dir, 'install.yaml');
    writeFileSync(file, manifests.stdout);
    const r = await runCli(['scan', file, '--no-config', '--format', 'json', '--fail-on', 'high']);
    const report = JSON.parse(r.stdout) as { findings: Array<{ severity: string; ruleId: string; message: string }>; errors: unknown[]; summary: { resources: number } };
    assert.deepEqual(report.errors, []);
    assert.ok(report.summary.resources >= 10, 'namespace, RBAC, deployment, PDB, service, webhooks, TLS secret');
    assert.deepEqual(report.findings.filter((f) => f.severity === 'high' || f.severity === 'critical'), []);
    assert.equal(r.code, 0);
    // The webhook itself passes Pod Security "restricted".
    const pss = await runCli(['pss', '--level', 'restricted', '--version', 'latest', file]);
    assert.equal(pss.code, 0, pss.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
