/** SARIF 2.1.0 for code-scanning UIs: one run, the catalog as rules, findings as results with file/line. */
import type { Rule } from '../rules/define.js';
import type { Severity } from '../core/types.js';
import type { ScanResult } from './scan-result.js';
import { prettyJson, writePrettyJson } from './json-stream.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub reads `security-severity` (0–10) to rank alerts. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };

function artifactUri(file: string): string {
  return file
    .replace(/\\/g, '/')
    .replace(/^\.\//, '')
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

/** The SARIF log as an object. */
function sarifLog(result: ScanResult, rules: readonly Rule[]): Record<string, unknown> {
  const used = new Set(result.findings.map((f) => f.ruleId));
  const ruleList = rules.filter((r) => used.has(r.id));
  const index = new Map(ruleList.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kubeward',
            version: result.tool.version,
            informationUri: 'https://github.com/kubeward/kubeward',
            rules: ruleList.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)(\w)/g, (_, __: string, c: string) => c.toUpperCase()),
              shortDescription: { text: r.meta.title },
              fullDescription: { text: r.meta.docs.description },
              help: { text: r.meta.docs.remediation, markdown: r.meta.docs.remediation },
              defaultConfiguration: { level: LEVEL[r.meta.severity] },
              properties: {
                tags: ['security', 'kubernetes', r.meta.practice, ...r.meta.references.map((x) => `${x.framework}:${x.id}`)],
                'security-severity': SECURITY_SEVERITY[r.meta.severity],
                precision: 'high',
              },
            })),
          },
        },
        results: result.findings.map((f) => {
          const res: Record<string, unknown> = {
            ruleId: f.ruleId,
            level: LEVEL[f.severity],
            message: { text: `${f.message} (${f.resource.kind} ${f.resource.namespace ? f.resource.namespace + '/' : ''}${f.resource.name})` },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: artifactUri(f.location.file) },
                  region: { startLine: Math.max(1, f.location.line), startColumn: Math.max(1, f.location.column) },
                },
                logicalLocations: [
                  {
                    name: f.resource.name,
                    fullyQualifiedName: `${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name}${f.pointer}`,
                    kind: 'object',
                  },
                ],
              },
            ],
            // One per result: a rule can report several things at one place (no CPU limit, no
            // memory limit), and one object can sit in several files (per-cluster overlays), so
            // the message id and the file are part of it (v1 had neither).
            partialFingerprints: {
              'kubeward/v2': `${f.ruleId}|${f.messageId}|${f.location.file}|${f.resource.kind}|${f.resource.namespace ?? ''}|${f.resource.name}|${f.pointer}`,
            },
            properties: f.location.template === undefined ? { severity: f.severity, practice: f.practice } : { severity: f.severity, practice: f.practice, helmTemplate: f.location.template },
          };
          const ri = index.get(f.ruleId);
          if (ri !== undefined) res['ruleIndex'] = ri;
          if (f.suppressed) {
            res['suppressions'] = [{ kind: f.suppressed.source === 'annotation' ? 'inSource' : 'external', status: 'accepted', justification: f.suppressed.justification }];
          }
          return res;
        }),
        invocations: [
          {
            executionSuccessful: result.errors.length === 0,
            toolExecutionNotifications: result.errors.map((e) => ({
              level: 'error',
              message: { text: e.message },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: artifactUri(e.file) },
                    region: { startLine: Math.max(1, e.line), startColumn: Math.max(1, e.column) },
                  },
                },
              ],
            })),
          },
        ],
      },
    ],
  };
  return sarif;
}

/** Depth of `runs[0].results` in the log: its elements are written one at a time. */
const RESULTS_DEPTH = 4;

export function renderSarif(result: ScanResult, rules: readonly Rule[]): string {
  return prettyJson(sarifLog(result, rules), RESULTS_DEPTH);
}

/** The same text as renderSarif, through `write` in pieces. */
export function writeSarif(result: ScanResult, rules: readonly Rule[], write: (chunk: string) => void): void {
  writePrettyJson(sarifLog(result, rules), write, RESULTS_DEPTH);
}
