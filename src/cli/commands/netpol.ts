/**
 * `kubeward netpol …`: connectivity list and matrix, explain, diff, intent check and policy
 * synthesis over manifests. Thin over src/engines/netpol.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { dump, load } from 'js-yaml';
import type { KubeObject } from '../../core/types.js';
import { loadPaths } from '../../load/index.js';
import {
  checkIntents,
  connectionChanges,
  connections,
  explainConnection,
  parseIntents,
  parsePortQuery,
  buildNetworkModel,
  computeConnectivity,
  writeConnections,
  writeDiff,
  renderExplanation,
  writeMatrix,
  suggestPolicies,
  type AnalyzeOptions,
  type Connectivity,
  type IntentsFile,
  type ListFormat,
  type MatrixFormat,
} from '../../engines/netpol/index.js';
import type { CliContext } from '../context.js';
import { collect, oneOf } from '../options.js';
import { errorMessage } from '../../core/errors.js';
import { writePrettyJson } from '../../report/json-stream.js';
import { writeOutput } from '../output.js';

interface CommonFlags {
  ipv6?: boolean;
  hostNetwork?: 'pod' | 'node';
}

function analyzeOptions(f: CommonFlags): AnalyzeOptions {
  const o: AnalyzeOptions = {};
  if (f.ipv6) o.ipv6 = true;
  if (f.hostNetwork) o.hostNetwork = f.hostNetwork;
  return o;
}

/** Class-level connectivity of `objects` under the command's options. */
function connectivityOf(objects: readonly KubeObject[], f: CommonFlags): Connectivity {
  const o = analyzeOptions(f);
  return computeConnectivity(buildNetworkModel(objects, o), o);
}

/** Loads manifests; on load errors prints them, sets exit code 2 and returns undefined. */
async function loadObjects(ctx: CliContext, paths: string[]): Promise<KubeObject[] | undefined> {
  if (paths.length === 0) {
    ctx.stderr('kubeward: no input paths given\n');
    ctx.exitCode = 2;
    return undefined;
  }
  const r = await loadPaths(paths, { readStdin: ctx.readStdin });
  let errors = 0;
  for (const p of r.problems) {
    ctx.stderr(`${p.file}:${p.line}:${p.column}: ${p.level}: ${p.message}\n`);
    if (p.level === 'error') errors++;
  }
  if (errors > 0) {
    ctx.exitCode = 2;
    return undefined;
  }
  return r.resources.map((x) => x.object);
}

async function loadIntents(ctx: CliContext, file: string): Promise<IntentsFile | undefined> {
  let doc: unknown;
  try {
    doc = load(await readFile(file, 'utf8'));
  } catch (e: unknown) {
    ctx.stderr(`kubeward: cannot read intents ${file}: ${errorMessage(e)}\n`);
    ctx.exitCode = 2;
    return undefined;
  }
  const { file: intents, problems } = parseIntents(doc);
  if (problems.length > 0) {
    for (const p of problems) ctx.stderr(`${file}: ${p.path || '/'}: ${p.message}\n`);
    ctx.exitCode = 2;
    return undefined;
  }
  return intents;
}

function common(cmd: Command): Command {
  return cmd
    .option('--ipv6', 'also report IPv6 external ranges')
    .option('--host-network <mode>', 'hostNetwork pods: pod (like any pod) or node (never isolated)', oneOf(['pod', 'node'] as const));
}

export function registerNetpol(program: Command, ctx: CliContext): void {
  const netpol = program.command('netpol').description('NetworkPolicy connectivity: list, matrix, explain, diff, check, suggest');

  common(
    netpol
      .command('list')
      .description('list allowed connections: src => dst : conn')
      .argument('<paths...>', 'manifest files or directories (- for stdin)')
      .option('-f, --format <format>', 'txt, json, csv or md', oneOf(['txt', 'json', 'csv', 'md'] as const), 'txt'),
  ).action(async (paths: string[], flags: CommonFlags & { format: ListFormat }) => {
    const objects = await loadObjects(ctx, paths);
    if (!objects) return;
    const cx = connectivityOf(objects, flags);
    for (const p of cx.model.problems) ctx.stderr(`warning: ${p.object}: ${p.message}\n`);
    // Written as it is computed: a large cluster's list does not fit in one string.
    writeOutput(ctx, undefined, (write) => writeConnections(cx, flags.format, write));
    ctx.exitCode = 0;
  });

  common(
    netpol
      .command('matrix')
      .description('connectivity matrix between workloads (and external ranges)')
      .argument('<paths...>', 'manifest files or directories')
      .option('-f, --format <format>', 'txt, csv or json', oneOf(['txt', 'csv', 'json'] as const), 'txt')
      .option('--no-external', 'workloads only'),
  ).action(async (paths: string[], flags: CommonFlags & { format: MatrixFormat; external: boolean }) => {
    const objects = await loadObjects(ctx, paths);
    if (!objects) return;
    writeOutput(ctx, undefined, (write) => writeMatrix(connectivityOf(objects, flags), flags.external, flags.format, write));
    ctx.exitCode = 0;
  });

  common(
    netpol
      .command('explain')
      .description('why a connection is allowed or denied')
      .argument('<src>', 'ns/name[Kind], ns/name, an IP address or {ingress-controller}')
      .argument('<dst>', 'same forms as src')
      .argument('[port]', 'e.g. 80, TCP/80, udp:53')
      .requiredOption('-i, --input <paths>', 'manifest files or directories (repeatable, comma-separated)', collect)
      .option('-f, --format <format>', 'txt or json', oneOf(['txt', 'json'] as const), 'txt'),
  ).action(async (src: string, dst: string, port: string | undefined, flags: CommonFlags & { input: string[]; format: 'txt' | 'json' }) => {
    const q = port === undefined ? undefined : parsePortQuery(port);
    if (port !== undefined && !q) {
      ctx.stderr(`kubeward: cannot read port ${port} (expected 80, TCP/80, udp:53)\n`);
      ctx.exitCode = 2;
      return;
    }
    const objects = await loadObjects(ctx, flags.input);
    if (!objects) return;
    // One pair: the model is enough, no connection list.
    const e = explainConnection(buildNetworkModel(objects, analyzeOptions(flags)), src, dst, q);
    if ('error' in e) {
      ctx.stderr(`kubeward: ${e.error}\n`);
      ctx.exitCode = 2;
      return;
    }
    ctx.stdout(flags.format === 'json' ? `${JSON.stringify(e, null, 2)}\n` : renderExplanation(e));
    ctx.exitCode = 0;
  });

  common(
    netpol
      .command('diff')
      .description('connections gained, lost or changed between two sets of manifests')
      .requiredOption('--old <paths>', 'the old manifests (repeatable, comma-separated)', collect)
      .requiredOption('--new <paths>', 'the new manifests (repeatable, comma-separated)', collect)
      .option('-f, --format <format>', 'txt or json', oneOf(['txt', 'json'] as const), 'txt')
      .option('--exit-code', 'exit 1 when connectivity changed'),
  ).action(async (flags: CommonFlags & { old: string[]; new: string[]; format: 'txt' | 'json'; exitCode?: boolean }) => {
    const o = await loadObjects(ctx, flags.old);
    if (!o) return;
    const n = await loadObjects(ctx, flags.new);
    if (!n) return;
    const before = connectivityOf(o, flags);
    const after = connectivityOf(n, flags);
    // Both lists are walked in step and the diff written as it is found.
    let counts = { added: 0, removed: 0, changed: 0 };
    writeOutput(ctx, undefined, (write) => {
      counts = writeDiff(() => connectionChanges(connections(before), connections(after)), flags.format, write);
    });
    const changed = counts.added + counts.removed + counts.changed > 0;
    ctx.exitCode = flags.exitCode && changed ? 1 : 0;
  });

  common(
    netpol
      .command('check')
      .description('check segmentation intents; exit 1 on violation')
      .requiredOption('--intents <file>', 'intents file (docs/netpol-intents.md)')
      .argument('<paths...>', 'manifest files or directories')
      .option('-f, --format <format>', 'txt or json', oneOf(['txt', 'json'] as const), 'txt'),
  ).action(async (paths: string[], flags: CommonFlags & { intents: string; format: 'txt' | 'json' }) => {
    const intents = await loadIntents(ctx, flags.intents);
    if (!intents) return;
    const objects = await loadObjects(ctx, paths);
    if (!objects) return;
    const cx = connectivityOf(objects, flags);
    // The connection list is walked as it is computed, never held.
    const r = checkIntents(cx.model, connections(cx), intents);
    writeOutput(ctx, undefined, (write) => {
      if (flags.format === 'json') return writePrettyJson(r, write);
      for (const v of r.violations) write(`VIOLATION ${v.intent}: ${v.message}\n`);
      for (const u of r.unmatched) write(`warning: ${u} matches no workload\n`);
      write(r.ok ? `ok: ${r.checked} intents hold\n` : `${r.violations.length} violation(s) of ${r.checked} intents\n`);
    });
    ctx.exitCode = r.ok ? 0 : 1;
  });

  netpol
    .command('suggest')
    .description('write least-privilege NetworkPolicies (YAML) from intents and Service references')
    .argument('<paths...>', 'manifest files or directories')
    .option('--intents <file>', 'intents file (docs/netpol-intents.md)')
    .option('--no-services', 'do not infer flows from Services referenced by workloads')
    .option('--exclude <namespaces>', 'namespaces to leave alone (repeatable, comma-separated)', collect, [])
    .option('-f, --format <format>', 'yaml or json', oneOf(['yaml', 'json'] as const), 'yaml')
    .action(async (paths: string[], flags: { intents?: string; services: boolean; exclude: string[]; format: 'yaml' | 'json' }) => {
      let intents: IntentsFile | undefined;
      if (flags.intents) {
        intents = await loadIntents(ctx, flags.intents);
        if (!intents) return;
      }
      const objects = await loadObjects(ctx, paths);
      if (!objects) return;
      const s = suggestPolicies(objects, { ...(intents ? { intents } : {}), fromServices: flags.services, exclude: flags.exclude });
      if (flags.format === 'json') ctx.stdout(`${JSON.stringify(s, null, 2)}\n`);
      else {
        const head = ['# kubeward netpol suggest: least-privilege NetworkPolicies', '# flows allowed:'];
        for (const f of s.flows) head.push(`#   ${f.src} => ${f.dst} : ${f.conn}  (${f.reason})`);
        for (const f of s.dropped) head.push(`# dropped: ${f.src} => ${f.dst} : ${f.conn}  (${f.reason})`);
        ctx.stdout(`${head.join('\n')}\n${s.policies.map((p) => `---\n${dump(p, { lineWidth: 200 })}`).join('')}`);
      }
      for (const p of s.verification.problems) ctx.stderr(`verification: ${p}\n`);
      ctx.exitCode = s.verification.ok ? 0 : 1;
    });
}
