/** `kubeward image scan <ref|path>`: known vulnerabilities in an image's packages, with the fixed versions. */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { Severity } from '../../core/types.js';
import type { ProgressEvent } from '../../images/inventory.js';
import type { CliContext } from '../context.js';
import { writeOutput } from '../output.js';
import { oneOf, parseSeverityOrNone } from '../options.js';
import { openExistingDb } from './db.js';

type Format = 'text' | 'json' | 'sarif' | 'cyclonedx';

interface ImageScanFlags {
  db?: string;
  format: Format;
  output?: string;
  failOn?: Severity | 'none';
  platform?: string;
  insecure?: boolean;
}

/** A one-line progress display on a terminal; silent otherwise. */
function progress(ctx: CliContext): { onProgress?: (e: ProgressEvent) => void; done(): void } {
  if (!ctx.isTTY) return { done: () => undefined };
  let last = 0;
  let shown = false;
  return {
    onProgress: (e) => {
      const now = Date.now();
      if (e.phase === 'bytes' && now - last < 100) return;
      last = now;
      const what = e.phase === 'bytes' ? `reading layers: ${(e.done / 1048576).toFixed(1)}${e.total ? `/${(e.total / 1048576).toFixed(1)}` : ''} MiB` : `${e.phase} ${e.done}${e.total !== undefined ? `/${e.total}` : ''}`;
      ctx.stderr(`\r\u001b[2K${what}`);
      shown = true;
    },
    done: () => {
      if (shown) ctx.stderr('\r\u001b[2K');
    },
  };
}

async function imageReports() {
  const [{ renderImageCycloneDx }, { renderImageJson }, { renderImageSarif }, { renderImageText }] = await Promise.all([
    import('../../images/report/cyclonedx.js'),
    import('../../images/report/json.js'),
    import('../../images/report/sarif.js'),
    import('../../images/report/text.js'),
  ]);
  return { cyclonedx: renderImageCycloneDx, json: renderImageJson, sarif: renderImageSarif, text: renderImageText };
}

export function registerImage(program: Command, ctx: CliContext): void {
  const image = program.command('image').description('container image vulnerability scanning');
  image
    .command('scan')
    .description('list packages in an image with known vulnerabilities, their severity and the fixed version')
    .argument('<image>', 'registry reference (registry/repo:tag or @sha256:…), oci:<dir>[:<ref>], oci-archive:<file>, docker-archive:<file> or dir:<path>')
    .option('--db <file>', 'vulnerability database (default: $XDG_CACHE_HOME/kubeward/osv.db or ~/.cache/kubeward/osv.db)')
    .option('-f, --format <format>', 'text, json, sarif or cyclonedx', oneOf(['text', 'json', 'sarif', 'cyclonedx'] as const), 'text')
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('--fail-on <severity>', 'exit 1 when a vulnerability is at or above this severity (none: never)', parseSeverityOrNone)
    .option('--platform <os/arch[/variant]>', 'platform to select from a multi-platform image (default linux/amd64)')
    .option('--insecure', 'use plain HTTP for the registry')
    .action(async (ref: string, flags: ImageScanFlags) => {
      // The image pipeline (layers, catalogers, matching, reports) loads when this command runs.
      const { parseImageSource } = await import('../../images/inventory.js');
      const { hasImageFindingsAtOrAbove } = await import('../../images/scan-image.js');
      const { scanReference } = await import('../../images/workload-images.js');
      const { SqliteVerdictCache } = await import('../../images/verdict-cache.js');
      const reports = await imageReports();
      if (flags.insecure && parseImageSource(ref).kind !== 'registry') throw new UsageError('--insecure applies to registry references only');
      const db = await openExistingDb(ctx, flags.db);
      try {
        const p = progress(ctx);
        const now = new Date();
        let result;
        try {
          // Scanned, and its verdict stored for the admission webhook, as `scan --images` does.
          result = await scanReference(ref, db, new SqliteVerdictCache(db), { platform: flags.platform, insecure: flags.insecure, inventory: p.onProgress ? { onProgress: p.onProgress } : {}, now });
        } finally {
          p.done();
        }
        const text =
          flags.format === 'json'
            ? reports.json(result)
            : flags.format === 'sarif'
              ? reports.sarif(result)
              : flags.format === 'cyclonedx'
                ? reports.cyclonedx(result, now)
                : reports.text(result);
        writeOutput(ctx, flags.output, (write) => write(text));
        ctx.exitCode = flags.failOn !== undefined && flags.failOn !== 'none' && hasImageFindingsAtOrAbove(result.findings, flags.failOn) ? 1 : 0;
      } finally {
        db.close();
      }
    });
}
