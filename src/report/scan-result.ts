/** The result of a scan, as every renderer receives it. */
import type { Finding } from '../core/finding.js';
import { SEVERITIES, severityRank, type LoadProblem, type Severity } from '../core/types.js';

export interface ScanError {
  file: string;
  line: number;
  column: number;
  message: string;
  code: string;
}

export interface ScanSummary {
  /** Counts of unsuppressed findings by severity. */
  bySeverity: Record<Severity, number>;
  total: number;
  suppressed: number;
  errors: number;
  warnings: number;
  resources: number;
  files: number;
}

export interface ScanResult {
  /** Version of the JSON schema (docs/json-report.md). */
  schemaVersion: '1';
  tool: { name: 'kubeward'; version: string };
  findings: Finding[];
  errors: ScanError[];
  warnings: ScanError[];
  summary: ScanSummary;
  /** Notes about configured exceptions (expired ones, for instance). */
  notices: string[];
}

export function summarise(findings: Finding[], problems: LoadProblem[], resources: number, files: number): ScanSummary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let suppressed = 0;
  for (const f of findings) {
    if (f.suppressed) suppressed++;
    else bySeverity[f.severity]++;
  }
  return {
    bySeverity,
    total: findings.length - suppressed,
    suppressed,
    errors: problems.filter((p) => p.level === 'error').length,
    warnings: problems.filter((p) => p.level === 'warning').length,
    resources,
    files,
  };
}

export function toScanError(p: LoadProblem): ScanError {
  return { file: p.file, line: p.line, column: p.column, message: p.message, code: p.code };
}

/** True when some unsuppressed finding is at or above `threshold`. */
export function hasFindingsAtOrAbove(findings: readonly Finding[], threshold: Severity): boolean {
  const t = severityRank(threshold);
  return findings.some((f) => !f.suppressed && severityRank(f.severity) >= t);
}
