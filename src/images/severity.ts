/**
 * Severity of an OSV record: the CVSS base score computed from its vector (v3.0/v3.1 and v2 by
 * their specifications' formulas; v4.0 vectors are read when the record also names a severity), else
 * the severity the database states (`database_specific.severity`, e.g. GitHub's MODERATE), else unknown.
 * Pure: plain data in, plain data out.
 */
import type { Severity } from '../core/types.js';
import type { OsvAffected, OsvRecord, OsvSeverity } from './osv/types.js';

/** Image findings may have no usable severity at all. */
export type ImageSeverity = Severity | 'unknown';

/** Order used for thresholds: unknown sits below low (it never trips `--fail-on low` or higher). */
export const IMAGE_SEVERITIES = ['unknown', 'info', 'low', 'medium', 'high', 'critical'] as const satisfies readonly ImageSeverity[];

export function imageSeverityRank(s: ImageSeverity): number {
  return (IMAGE_SEVERITIES as readonly string[]).indexOf(s);
}

export interface SeverityVerdict {
  severity: ImageSeverity;
  /** CVSS base score when computed from a vector. */
  score?: number;
  /** Where the severity came from: the vector, or the database's own rating. */
  source: 'CVSS_V2' | 'CVSS_V3' | 'CVSS_V4' | 'database' | 'none';
  vector?: string;
}

function metrics(vector: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of vector.split('/')) {
    const i = part.indexOf(':');
    if (i > 0) m.set(part.slice(0, i), part.slice(i + 1));
  }
  return m;
}

/** CVSS v3.1 "Roundup": the smallest one-decimal number >= x, robust against floating-point noise. */
function roundUp31(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

/** Base score of a CVSS v3.0/v3.1 vector, or undefined when the vector lacks a base metric. */
export function cvss3BaseScore(vector: string): number | undefined {
  const m = metrics(vector);
  const version = m.get('CVSS');
  if (version !== '3.0' && version !== '3.1') return undefined;
  const AV = ({ N: 0.85, A: 0.62, L: 0.55, P: 0.2 } as Record<string, number>)[m.get('AV') ?? ''];
  const AC = ({ L: 0.77, H: 0.44 } as Record<string, number>)[m.get('AC') ?? ''];
  const UI = ({ N: 0.85, R: 0.62 } as Record<string, number>)[m.get('UI') ?? ''];
  const S = m.get('S');
  const changed = S === 'C';
  const PR = (changed ? { N: 0.85, L: 0.68, H: 0.5 } : ({ N: 0.85, L: 0.62, H: 0.27 } as Record<string, number>))[m.get('PR') ?? ''];
  const cia = { H: 0.56, L: 0.22, N: 0 } as Record<string, number>;
  const C = cia[m.get('C') ?? ''];
  const I = cia[m.get('I') ?? ''];
  const A = cia[m.get('A') ?? ''];
  if (AV === undefined || AC === undefined || UI === undefined || PR === undefined || C === undefined || I === undefined || A === undefined) return undefined;
  if (S !== 'U' && S !== 'C') return undefined;
  const iss = 1 - (1 - C) * (1 - I) * (1 - A);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  const exploitability = 8.22 * AV * AC * PR * UI;
  if (impact <= 0) return 0;
  const raw = changed ? Math.min(1.08 * (impact + exploitability), 10) : Math.min(impact + exploitability, 10);
  return version === '3.1' ? roundUp31(raw) : Math.ceil(raw * 10 - 1e-9) / 10;
}

/** Base score of a CVSS v2 vector (`AV:N/AC:L/Au:N/C:P/I:P/A:P`). */
export function cvss2BaseScore(vector: string): number | undefined {
  const m = metrics(vector);
  const AV = ({ L: 0.395, A: 0.646, N: 1.0 } as Record<string, number>)[m.get('AV') ?? ''];
  const AC = ({ H: 0.35, M: 0.61, L: 0.71 } as Record<string, number>)[m.get('AC') ?? ''];
  const Au = ({ M: 0.45, S: 0.56, N: 0.704 } as Record<string, number>)[m.get('Au') ?? ''];
  const cia = { N: 0, P: 0.275, C: 0.66 } as Record<string, number>;
  const C = cia[m.get('C') ?? ''];
  const I = cia[m.get('I') ?? ''];
  const A = cia[m.get('A') ?? ''];
  if (AV === undefined || AC === undefined || Au === undefined || C === undefined || I === undefined || A === undefined) return undefined;
  const impact = 10.41 * (1 - (1 - C) * (1 - I) * (1 - A));
  const exploitability = 20 * AV * AC * Au;
  const f = impact === 0 ? 0 : 1.176;
  return Math.round((0.6 * impact + 0.4 * exploitability - 1.5) * f * 10) / 10;
}

/** CVSS v3/v4 qualitative rating of a base score (v2 has no critical band). */
export function severityForScore(score: number, kind: 'CVSS_V2' | 'CVSS_V3' | 'CVSS_V4' = 'CVSS_V3'): Severity {
  if (score === 0) return 'info';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (kind === 'CVSS_V2' || score < 9) return 'high';
  return 'critical';
}

const DATABASE_SEVERITIES: Readonly<Record<string, Severity>> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  IMPORTANT: 'high',
  MODERATE: 'medium',
  MEDIUM: 'medium',
  LOW: 'low',
  NEGLIGIBLE: 'info',
  UNIMPORTANT: 'info',
  NONE: 'info',
};

function fromEntries(entries: OsvSeverity[] | null | undefined): SeverityVerdict | undefined {
  let best: SeverityVerdict | undefined;
  for (const e of entries ?? []) {
    let v: SeverityVerdict | undefined;
    if (e.type === 'CVSS_V3') {
      const score = cvss3BaseScore(e.score);
      if (score !== undefined) v = { severity: severityForScore(score), score, source: 'CVSS_V3', vector: e.score };
    } else if (e.type === 'CVSS_V2') {
      const score = cvss2BaseScore(e.score);
      if (score !== undefined) v = { severity: severityForScore(score, 'CVSS_V2'), score, source: 'CVSS_V2', vector: e.score };
    } else if (e.type === 'Ubuntu') {
      const s = DATABASE_SEVERITIES[e.score.toUpperCase()];
      if (s !== undefined) v = { severity: s, source: 'database' };
    }
    // The newest CVSS version wins; within a version, the highest score.
    if (v !== undefined && (best === undefined || rankSource(v) > rankSource(best) || (rankSource(v) === rankSource(best) && (v.score ?? 0) > (best.score ?? 0)))) {
      best = v;
    }
  }
  return best;
}

function rankSource(v: SeverityVerdict): number {
  return ['none', 'database', 'CVSS_V2', 'CVSS_V3', 'CVSS_V4'].indexOf(v.source);
}

function databaseSeverity(d: Record<string, unknown> | undefined): Severity | undefined {
  const s = d?.['severity'];
  return typeof s === 'string' ? DATABASE_SEVERITIES[s.toUpperCase()] : undefined;
}

/** The severity of `record` for one of its affected entries (per-package severity overrides the record's). */
export function severityOf(record: OsvRecord, affected?: OsvAffected): SeverityVerdict {
  const fromVector = fromEntries(affected?.severity) ?? fromEntries(record.severity);
  if (fromVector !== undefined) return fromVector;
  const db = databaseSeverity(affected?.ecosystem_specific) ?? databaseSeverity(affected?.database_specific) ?? databaseSeverity(record.database_specific);
  if (db !== undefined) return { severity: db, source: 'database' };
  return { severity: 'unknown', source: 'none' };
}
