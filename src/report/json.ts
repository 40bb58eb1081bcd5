/** The JSON report: the ScanResult itself, documented in docs/json-report.md. */
import { prettyJson, writePrettyJson } from './json-stream.js';
import type { ScanResult } from './scan-result.js';

/** Depth of the report's findings array: its elements are written one at a time. */
const FINDINGS_DEPTH = 2;

export function renderJson(result: ScanResult): string {
  return prettyJson(result, FINDINGS_DEPTH);
}

/** The same text as renderJson, through `write` in pieces (large reports are never one string). */
export function writeJson(result: ScanResult, write: (chunk: string) => void): void {
  writePrettyJson(result, write, FINDINGS_DEPTH);
}
