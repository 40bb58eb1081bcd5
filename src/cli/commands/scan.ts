/** `kubeward scan <paths...>`: load manifests, run the catalog, report. */
import type { Command } from 'commander';
import { DEFAULT_CONFIG, type KubewardConfig } from '../../config/config.js';
import type { Severity } from '../../core/types.js';
import { findConfigFile, loadConfigFile } from '../../load/config-file.js';
import { writeJson } from '../../report/json.js';
import { hasFindingsAtOrAbove } from '../../report/scan-result.js';
import { writeSarif } from '../../report/sarif.js';
import { renderText } from '../../report/text.js';
import { RULES } from '../../rules/registry.js';
import { scan } from '../../scan.js';
import type { KubernetesReaderOptions } from '../../cluster/kubernetes-reader.js';
import { loadCluster } from '../../cluster/load-cluster.js';
import type { CliContext } from '../context.js';
import { writeOutput } from '../output.js';
import { openExistingDb } from './db.js';
import type { WorkloadImageOptions } from '../../images/workload-images.js';
import type { VulnDatabase } from '../../images/db/database.js';
import type { ImageScanSummary } from '../../rules/settings.js';
import { collect, oneOf, parseByteSize, parseSeverityOrNone } from '../options.js';

interface ScanFlags {
  format: 'text' | 'json' | 'sarif';
  output?: string;
  failOn?: Severity | 'none';
  rule?: string[];
  skipRule?: string[];
  namespace?: string[];
  excludeNamespace?: string[];
  config?: string | false;
  maxFileSize?: number;
  color?: boolean;
  cluster?: boolean;
  context?: string;
  kubeconfig?: string;
  defaultRoles?: boolean;
  images?: boolean;
  db?: string;
  platform?: string;
  insecureRegistry?: boolean;
}

export function resolveConfig(ctx: CliContext, paths: readonly string[], flag: string | false | undefined): KubewardConfig {
  if (flag === false) return DEFAULT_CONFIG;
  const ids = new Set(RULES.map((r) => r.id));
  if (typeof flag === 'string') return loadConfigFile(flag, ids);
  const start = paths.find((p) => p !== '-') ?? ctx.cwd;
  const found = findConfigFile(start);
  return found ? loadConfigFile(found, ids) : DEFAULT_CONFIG;
}

function clusterOptions(flags: ScanFlags): KubernetesReaderOptions {
  const o: KubernetesReaderOptions = {};
  if (flags.kubeconfig) o.kubeconfig = flags.kubeconfig;
  if (flags.context) o.context = flags.context;
  return o;
}

/** Scans the workloads' images for `--images` (the image pipeline loads only then). */
async function imageScanner(db: VulnDatabase, flags: ScanFlags, ctx: CliContext): Promise<(refs: string[]) => Promise<Record<string, ImageScanSummary>>> {
  const { scanWorkloadImages } = await import('../../images/workload-images.js');
  return (refs) => {
    const o: WorkloadImageOptions = { db };
    if (flags.platform !== undefined) o.platform = flags.platform;
    if (flags.insecureRegistry) o.insecure = true;
    if (ctx.isTTY) o.onImage = (ref, i, n) => ctx.stderr(`\r\u001b[2Kscanning image ${i + 1}/${n}: ${ref}`);
    return scanWorkloadImages(refs, o).finally(() => {
      if (ctx.isTTY) ctx.stderr('\r\u001b[2K');
    });
  };
}

export function registerScan(program: Command, ctx: CliContext): void {
  program
    .command('scan')
    .description('scan Kubernetes manifests (files, directories, - for stdin) for broken security practices')
    .argument('[paths...]', 'files or directories of YAML/JSON manifests, or - for standard input')
    .option('-f, --format <format>', 'text, json or sarif', oneOf(['text', 'json', 'sarif'] as const), 'text')
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity (none: never)', parseSeverityOrNone)
    .option('--rule <ids>', 'run only these rules (repeatable, comma-separated)', collect)
    .option('--skip-rule <ids>', 'skip these rules (repeatable, comma-separated)', collect)
    .option('-n, --namespace <names>', 'report only on these namespaces (repeatable)', collect)
    .option('--exclude-namespace <names>', 'report nothing about these namespaces (repeatable; cluster-scoped objects are still reported)', collect)
    .option('--config <file>', 'configuration file (default: nearest .kubeward.yaml upward from the first path)')
    .option('--no-config', 'ignore .kubeward.yaml files')
    .option('--max-file-size <bytes>', 'largest input file accepted (default 256MiB)', parseByteSize)
    .option('--cluster', 'read the objects from the current kubeconfig context instead of files (read-only)')
    .option('--context <name>', 'kubeconfig context for --cluster')
    .option('--kubeconfig <file>', 'kubeconfig file for --cluster (default: KUBECONFIG or ~/.kube/config)')
    .option('--no-default-roles', "don't add the Kubernetes bootstrap RBAC roles and bindings (cluster-admin, admin, edit, view, system:*) to what the manifests define")
    .option('--images', 'also scan the images the workloads run for known vulnerabilities (pulls them; needs kubeward db import)')
    .option('--db <file>', 'vulnerability database for --images (default: $XDG_CACHE_HOME/kubeward/osv.db or ~/.cache/kubeward/osv.db)')
    .option('--platform <os/arch[/variant]>', 'platform to select from multi-platform images (default linux/amd64)')
    .option('--insecure-registry', 'pull over plain HTTP (for local registries)')
    .option('--color', 'force colours')
    .option('--no-color', 'never colour')
    .action(async (paths: string[], flags: ScanFlags) => {
      const config = resolveConfig(ctx, paths, flags.config);
      const unknown = [...(flags.rule ?? []), ...(flags.skipRule ?? [])].filter((id) => !RULES.some((r) => r.id === id));
      if (unknown.length > 0) {
        ctx.stderr(`kubeward: unknown rule id${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (see kubeward rules)\n`);
        ctx.exitCode = 2;
        return;
      }
      if ((paths.length === 0) === !flags.cluster) {
        ctx.stderr('kubeward: give manifest paths, or --cluster to read a live cluster\n');
        ctx.exitCode = 2;
        return;
      }
      // The cluster client and the image pipeline load only for the options that use them.
      const preloaded = flags.cluster ? await loadCluster(await (await import('../../cluster/kubernetes-reader.js')).kubernetesReader(clusterOptions(flags))) : undefined;
      const db = flags.images ? await openExistingDb(ctx, flags.db) : undefined;
      const scanImages = db ? await imageScanner(db, flags, ctx) : undefined;
      const { result } = await scan({
        ...(scanImages ? { scanImages } : {}),
        ...(preloaded ? { preloaded } : {}),
        paths,
        config,
        only: flags.rule ?? [],
        skip: flags.skipRule ?? [],
        namespaces: flags.namespace ?? [],
        excludeNamespaces: flags.excludeNamespace ?? [],
        readStdin: ctx.readStdin,
        limits: flags.maxFileSize !== undefined ? { maxFileBytes: flags.maxFileSize } : {},
        defaultRoles: flags.defaultRoles !== false,
      }).finally(() => db?.close());
      writeOutput(ctx, flags.output, (write) => {
        if (flags.format === 'json') writeJson(result, write);
        else if (flags.format === 'sarif') writeSarif(result, RULES, write);
        else write(renderText(result, { color: flags.color ?? (ctx.isTTY && !flags.output && ctx.env['NO_COLOR'] === undefined) }));
      });
      if (flags.output || flags.format !== 'text') {
        for (const e of result.errors) ctx.stderr(`error ${e.file}:${e.line}:${e.column}: ${e.message}\n`);
      }
      const failOn = flags.failOn ?? config.failOn ?? 'high';
      if (result.errors.length > 0) ctx.exitCode = 2;
      else if (failOn !== 'none' && hasFindingsAtOrAbove(result.findings, failOn)) ctx.exitCode = 1;
      else ctx.exitCode = 0;
    });
}
