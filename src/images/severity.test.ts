import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cvss2BaseScore, cvss3BaseScore, severityForScore, severityOf } from './severity.js';

test('CVSS v3.x base scores (values from the FIRST calculator / NVD)', () => {
  const cases: Array<[string, number]> = [
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H', 7.2],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L', 5.3],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L', 5.6],
    ['CVSS:3.1/AV:N/AC:H/PR:L/UI:R/S:U/C:N/I:N/A:L', 2.6],
    ['CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 8.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10.0],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:N', 0],
  ];
  for (const [v, s] of cases) assert.equal(cvss3BaseScore(v), s, v);
  assert.equal(cvss3BaseScore('CVSS:3.1/AV:N'), undefined);
});

test('CVSS v2 base scores and qualitative ratings', () => {
  assert.equal(cvss2BaseScore('AV:N/AC:L/Au:N/C:P/I:P/A:P'), 7.5);
  assert.equal(cvss2BaseScore('AV:N/AC:M/Au:N/C:N/I:P/A:N'), 4.3);
  assert.equal(severityForScore(9.8), 'critical');
  assert.equal(severityForScore(10, 'CVSS_V2'), 'high');
  assert.equal(severityForScore(0), 'info');
});

test('severity sources: vector first, then database rating, else unknown', () => {
  const base = { id: 'GHSA-x', modified: '2024-01-01T00:00:00Z' };
  assert.deepEqual(severityOf({ ...base, severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }], database_specific: { severity: 'LOW' } }), {
    severity: 'critical',
    score: 9.8,
    source: 'CVSS_V3',
    vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  });
  assert.deepEqual(severityOf({ ...base, severity: [{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }], database_specific: { severity: 'MODERATE' } }), { severity: 'medium', source: 'database' });
  assert.deepEqual(severityOf(base), { severity: 'unknown', source: 'none' });
  assert.deepEqual(severityOf(base, { ecosystem_specific: { severity: 'HIGH' } }), { severity: 'high', source: 'database' });
});
