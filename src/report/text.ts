/** The terminal report: findings grouped by resource, coloured only when asked (a TTY). */
import { resourceLabel, SEVERITIES, type Severity } from '../core/types.js';
import type { Finding } from '../core/finding.js';
import type { ScanResult } from './scan-result.js';

export interface TextOptions {
  color: boolean;
}

const CODES = { red: 31, yellow: 33, blue: 34, magenta: 35, gray: 90, bold: 1, cyan: 36 } as const;
type Style = keyof typeof CODES;

function painter(enabled: boolean): (style: Style, s: string) => string {
  return (style, s) => (enabled ? `\u001b[${CODES[style]}m${s}\u001b[0m` : s);
}

const SEVERITY_STYLE: Record<Severity, Style> = { critical: 'magenta', high: 'red', medium: 'yellow', low: 'blue', info: 'gray' };

export function renderText(result: ScanResult, options: TextOptions): string {
  const paint = painter(options.color);
  const lines: string[] = [];
  for (const e of result.errors) lines.push(`${paint('red', 'error')} ${e.file}:${e.line}:${e.column}: ${e.message}`);
  for (const w of result.warnings) lines.push(`${paint('yellow', 'warning')} ${w.file}:${w.line}:${w.column}: ${w.message}`);
  for (const n of result.notices) lines.push(`${paint('yellow', 'notice')} ${n}`);
  if (lines.length > 0) lines.push('');
  // Group by resource, in the order the (sorted) findings first mention it.
  const groups = new Map<string, Finding[]>();
  for (const f of result.findings) {
    if (f.suppressed) continue;
    const key = `${f.location.file}\0${resourceLabel(f.resource)}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(f);
  }
  for (const g of groups.values()) {
    const first = g[0] as Finding;
    const from = first.location.template === undefined ? first.location.file : `${first.location.file} (rendered from ${first.location.template})`;
    lines.push(`${paint('bold', resourceLabel(first.resource))}  ${paint('gray', from)}`);
    for (const f of g) {
      const sev = paint(SEVERITY_STYLE[f.severity], f.severity.toUpperCase().padEnd(8));
      lines.push(`  ${sev} ${f.message}  ${paint('gray', `[${f.ruleId}] ${f.location.file}:${f.location.line}:${f.location.column}`)}`);
    }
    lines.push('');
  }
  const s = result.summary;
  const counts = [...SEVERITIES]
    .reverse()
    .map((sev) => `${paint(SEVERITY_STYLE[sev], sev)}: ${s.bySeverity[sev]}`)
    .join(', ');
  lines.push(`${paint('bold', `${s.total} finding${s.total === 1 ? '' : 's'}`)} in ${s.resources} resources from ${s.files} file${s.files === 1 ? '' : 's'} (${counts})`);
  if (s.suppressed > 0) lines.push(`${s.suppressed} suppressed by exceptions`);
  if (s.errors > 0) lines.push(paint('red', `${s.errors} input error${s.errors === 1 ? '' : 's'}`));
  return lines.join('\n') + '\n';
}
