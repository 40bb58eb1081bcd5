/**
 * `kubeward pss --level <level> --version <version> <paths...> [--format text|json]`:
 * evaluates every pod and workload pod template against a Pod Security Standards level.
 * Exit 0 when all are allowed, 1 when any is denied, 2 on usage or input errors.
 */
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import type { Resource } from '../../core/types.js';
import { evaluateWorkload, LATEST_PSS_VERSION, parseLevel, parseVersion, planFor } from '../../engines/pss/index.js';
import type { PssFailure, PssLevel } from '../../engines/pss/index.js';
import { loadPaths } from '../../load/index.js';
import { namespaceOf } from '../../model/workloads.js';
import type { CliContext } from '../context.js';
import { oneOf, parseByteSize } from '../options.js';

/** One entry of `--format json` (the machine-readable contract). */
export interface PssReportEntry {
  file: string;
  kind: string;
  namespace: string;
  name: string;
  allowed: boolean;
  failures: PssFailure[];
}

interface PssFlags {
  level: PssLevel;
  version: string;
  format: 'text' | 'json';
  maxFileSize?: number;
}

function levelOption(v: string): PssLevel {
  const l = parseLevel(v);
  if (l === undefined) throw new InvalidArgumentError('expected one of privileged, baseline, restricted');
  return l;
}

function versionOption(v: string): string {
  const s = parseVersion(v);
  if (s === undefined) throw new InvalidArgumentError('expected "latest" or v1.<minor>, e.g. v1.30');
  return s;
}

/** Evaluates every pod-owning resource and PodTemplate; other kinds are skipped. Load order is kept. */
export function evaluateResources(resources: readonly Resource[], level: PssLevel, version: string): Array<PssReportEntry & { line: number }> {
  const out: Array<PssReportEntry & { line: number }> = [];
  for (const r of resources) {
    const result = evaluateWorkload(r.object, level, version);
    if (result === undefined) continue;
    out.push({
      file: r.source.file,
      line: r.source.line,
      kind: r.object.kind,
      namespace: namespaceOf(r.object),
      name: r.object.metadata.name ?? r.object.metadata.generateName ?? '',
      allowed: result.allowed,
      failures: result.failures,
    });
  }
  return out;
}

function renderText(entries: ReadonlyArray<PssReportEntry & { line: number }>, level: PssLevel, resolved: string): string {
  const lines: string[] = [];
  for (const e of entries) {
    lines.push(`${e.allowed ? 'PASS' : 'FAIL'}  ${e.kind} ${e.namespace}/${e.name}  (${e.file}:${e.line})`);
    for (const f of e.failures) lines.push(`      ${f.id}: ${f.reason}${f.detail ? ` (${f.detail})` : ''}`);
  }
  const denied = entries.filter((e) => !e.allowed).length;
  if (entries.length === 0) lines.push(`no pods or workloads found`);
  else lines.push('', `${entries.length - denied} of ${entries.length} pods/workloads allowed at ${level}:${resolved}${denied > 0 ? `; ${denied} denied` : ''}`);
  return lines.join('\n') + '\n';
}

export function registerPss(program: Command, ctx: CliContext): void {
  program
    .command('pss')
    .description('evaluate pods and workloads against a Pod Security Standards level, as Pod Security Admission would')
    .argument('<paths...>', 'files or directories of YAML/JSON manifests, or - for standard input')
    .option('-l, --level <level>', 'privileged, baseline or restricted', levelOption, 'restricted' as PssLevel)
    .option('--version <version>', `policy version: latest (= ${LATEST_PSS_VERSION}) or v1.<minor>`, versionOption, 'latest')
    .option('-f, --format <format>', 'text or json', oneOf(['text', 'json'] as const), 'text')
    .option('--max-file-size <bytes>', 'largest input file accepted (default 256MiB)', parseByteSize)
    .action(async (paths: string[], flags: PssFlags) => {
      const loaded = await loadPaths(paths, {
        readStdin: ctx.readStdin,
        ...(flags.maxFileSize !== undefined ? { limits: { maxFileBytes: flags.maxFileSize } } : {}),
      });
      const entries = evaluateResources(loaded.resources, flags.level, flags.version);
      const resolved = planFor(flags.level, flags.version).version;
      if (flags.format === 'json') {
        const contract: PssReportEntry[] = entries.map(({ file, kind, namespace, name, allowed, failures }) => ({ file, kind, namespace, name, allowed, failures }));
        ctx.stdout(JSON.stringify(contract, null, 2) + '\n');
      } else {
        ctx.stdout(renderText(entries, flags.level, resolved));
      }
      for (const p of loaded.problems) ctx.stderr(`${p.level} ${p.file}:${p.line}:${p.column}: ${p.message}\n`);
      if (loaded.problems.some((p) => p.level === 'error')) ctx.exitCode = 2;
      else ctx.exitCode = entries.some((e) => !e.allowed) ? 1 : 0;
    });
}
