/** The JSON report: the ScanResult itself, documented in docs/json-report.md. */
import type { ScanResult } from './scan-result.js';

export function renderJson(result: ScanResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}
