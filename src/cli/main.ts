/** The CLI entry: builds the command tree, runs it, maps errors to exit codes. The only place that touches process. */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import type { CliContext } from './context.js';
import { decodeText } from '../load/decode.js';
import { exitCodeFor, renderError } from './render-error.js';
import { registerRules } from './commands/rules.js';
import { registerAdmission } from './commands/admission.js';
import { registerDb } from './commands/db.js';
import { registerImage } from './commands/image.js';
import { registerNetpol } from './commands/netpol.js';
import { registerPss } from './commands/pss.js';
import { registerRbac } from './commands/rbac.js';
import { registerScan } from './commands/scan.js';

const MAX_STDIN_BYTES = 256 * 1024 * 1024;

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const b = chunk as Buffer;
    total += b.length;
    if (total > MAX_STDIN_BYTES) throw new Error(`standard input is larger than ${MAX_STDIN_BYTES} bytes`);
    chunks.push(b);
  }
  return decodeText(Buffer.concat(chunks));
}

const WRITE_CHUNK = 1 << 20;

/**
 * Writes text in pieces of a megabyte: one write of a 100 MB report spends longer
 * converting it to a single buffer (and collecting that buffer) than the pieces take together.
 */
export function writeChunked(stream: { write(chunk: string): unknown }, text: string): void {
  if (text.length <= WRITE_CHUNK) {
    stream.write(text);
    return;
  }
  for (let i = 0; i < text.length; ) {
    let end = Math.min(i + WRITE_CHUNK, text.length);
    // Never split a surrogate pair: each half alone would be written as U+FFFD.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    stream.write(text.slice(i, end));
    i = end;
  }
}

/** True for the error of writing to a pipe whose reader has gone (`kubeward … | head`). */
function isBrokenPipe(e: unknown): boolean {
  return (e as NodeJS.ErrnoException | null)?.code === 'EPIPE';
}

export function processContext(): CliContext {
  // A reader that stopped reading wants no more: the rest of the output is dropped, quietly.
  let readerGone = false;
  process.stdout.on('error', (e) => {
    if (isBrokenPipe(e)) readerGone = true;
    else throw e;
  });
  return {
    stdout: (t) => {
      if (readerGone) return;
      try {
        writeChunked(process.stdout, t);
      } catch (e: unknown) {
        if (isBrokenPipe(e)) readerGone = true;
        else throw e;
      }
    },
    stderr: (t) => process.stderr.write(t),
    readStdin: readProcessStdin,
    isTTY: process.stdout.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    exitCode: 0,
  };
}

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('kubeward')
    .description('Kubernetes security toolkit: manifests, RBAC, network policies, Pod Security, admission and images')
    .version(VERSION)
    .showHelpAfterError()
    // Subcommand options belong to the subcommand: `pss --version v1.30` is the policy version.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.stdout(s), writeErr: (s) => ctx.stderr(s) });
  registerScan(program, ctx);
  registerRules(program, ctx);
  registerPss(program, ctx);
  registerRbac(program, ctx);
  registerNetpol(program, ctx);
  registerAdmission(program, ctx);
  registerImage(program, ctx);
  registerDb(program, ctx);
  const configure = (cmd: Command): void => {
    for (const c of cmd.commands) {
      c.exitOverride().configureOutput({ writeOut: (s) => ctx.stdout(s), writeErr: (s) => ctx.stderr(s) });
      configure(c);
    }
  };
  configure(program);
  return program;
}

/** Runs the CLI with `argv` (without node and script). Resolves to the exit code. */
export async function runMain(argv: string[], ctx: CliContext = processContext()): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (e: unknown) {
    if (e instanceof CommanderError) {
      // help and version exit 0; every other commander error is a usage error.
      return e.exitCode === 0 ? 0 : 2;
    }
    ctx.stderr(renderError(e));
    return exitCodeFor(e);
  }
}
