import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchPackages, recordLookupFrom } from '../match.js';
import { evaluateInventory } from '../scan-image.js';
import type { OsvRecord } from '../osv/types.js';
import { renderImageText } from './text.js';
import { imageScanToJson } from './json.js';
import { imageScanToSarif } from './sarif.js';
import { imageScanToCycloneDx } from './cyclonedx.js';

const records: OsvRecord[] = [
  {
    id: 'GHSA-xvch-5gv4-984h',
    modified: '2024-01-01T00:00:00Z',
    aliases: ['CVE-2021-44906'],
    summary: 'Prototype Pollution in minimist',
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    affected: [{ package: { ecosystem: 'npm', name: 'minimist' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '0.2.4' }] }] }],
  },
];

const result = evaluateInventory(
  {
    reference: 'example/app:1',
    digest: `sha256:${'ab'.repeat(32)}`,
    distro: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
    layers: [{ digest: 'sha256:layer', size: 10 }],
    packages: [
      { ecosystem: 'npm', name: 'minimist', version: '0.0.8', location: { layer: 'sha256:0123456789abcdef', path: 'app/node_modules/mkdirp/node_modules/minimist/package.json' }, purl: 'pkg:npm/minimist@0.0.8' },
      { ecosystem: 'Debian', name: 'bash', version: '5.2.15-2+b7', sourceName: 'bash', location: { layer: 'sha256:0123456789abcdef', path: 'var/lib/dpkg/status' } },
    ],
  },
  recordLookupFrom(records),
);

test('text report names package, installed and fixed version, advisory and layer/path', () => {
  const text = renderImageText(result);
  assert.match(text, /CRITICAL\s+minimist\s+0\.0\.8\s+0\.2\.4\s+GHSA-xvch-5gv4-984h\s+0123456789ab:\/app\/node_modules\/mkdirp\/node_modules\/minimist\/package\.json/);
  assert.match(text, /Total: 1 critical; 1 with a fix available\./);
});

test('JSON report is stable and complete', () => {
  const j = imageScanToJson(result) as { findings: Array<Record<string, unknown>>; summary: { packages: number } };
  assert.equal(j.summary.packages, 2);
  assert.deepEqual(Object.keys(j.findings[0]!), ['id', 'aliases', 'summary', 'severity', 'severitySource', 'score', 'vector', 'package', 'matchedName', 'installedVersion', 'fixedVersion', 'location', 'explanation']);
  assert.equal(JSON.stringify(imageScanToJson(result)), JSON.stringify(j));
});

test('SARIF: one rule per advisory, error level for critical, security-severity set', () => {
  const s = imageScanToSarif(result) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string; properties: Record<string, unknown> }> } }; results: Array<{ level: string; ruleId: string }> }> };
  const run = s.runs[0]!;
  assert.deepEqual(run.tool.driver.rules.map((r) => [r.id, r.properties['security-severity']]), [['GHSA-xvch-5gv4-984h', '9.8']]);
  assert.deepEqual(run.results.map((r) => [r.ruleId, r.level]), [['GHSA-xvch-5gv4-984h', 'error']]);
});

test('CycloneDX 1.5: components with purls, vulnerabilities pointing at them, deterministic', () => {
  const at = new Date('2026-12-01T00:00:00Z');
  const bom = imageScanToCycloneDx(result, at) as {
    specVersion: string;
    serialNumber: string;
    components: Array<{ 'bom-ref': string; type: string; purl?: string }>;
    vulnerabilities: Array<{ id: string; affects: Array<{ ref: string }>; ratings: Array<{ method: string; score: number }>; recommendation: string }>;
  };
  assert.equal(bom.specVersion, '1.5');
  assert.match(bom.serialNumber, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual(bom.components.map((c) => c.type), ['operating-system', 'library', 'library']);
  const refs = new Set(bom.components.map((c) => c['bom-ref']));
  const v = bom.vulnerabilities[0]!;
  assert.ok(refs.has(v.affects[0]!.ref));
  assert.deepEqual([v.ratings[0]!.method, v.ratings[0]!.score], ['CVSSv31', 9.8]);
  assert.equal(v.recommendation, 'Upgrade: minimist 0.2.4');
  assert.deepEqual(imageScanToCycloneDx(result, at), bom);
});

test('matching and reports are deterministic regardless of package order', () => {
  const reversed = evaluateInventory({ reference: result.image.reference, digest: result.image.digest, layers: result.image.layers, packages: [...result.packages].reverse() }, recordLookupFrom(records));
  assert.deepEqual(reversed.findings, matchPackages(result.packages, undefined, recordLookupFrom(records)).findings);
});
