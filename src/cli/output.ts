/** Where a command's report goes: the `--output` file, or standard output; written in pieces. */
import { closeSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorMessage, UsageError } from '../core/errors.js';
import { batched } from '../report/json-stream.js';
import type { CliContext } from './context.js';

function writeAll(fd: number, chunk: string): void {
  const bytes = Buffer.from(chunk, 'utf8');
  for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
}

/** True when `file` is absent or a regular file: one that a finished report may replace by renaming. */
function replaceable(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return true;
  }
}

/**
 * Runs `produce` with a writer to `file` or, without one, to the context's standard output,
 * gathering its pieces into batches. A report is never held whole as one string or buffer. A regular file is written beside
 * the target and renamed over it when complete, so a failure never leaves half a report
 * (devices and pipes such as `/dev/stdout` are written in place).
 */
export function writeOutput(ctx: CliContext, file: string | undefined, produce: (write: (chunk: string) => void) => void): void {
  if (file === undefined) {
    const sink = batched((chunk) => ctx.stdout(chunk));
    produce(sink.write);
    sink.flush();
    return;
  }
  const atomic = replaceable(file);
  const target = atomic ? join(dirname(file), `.${basename(file)}.${process.pid}.tmp`) : file;
  let fd: number;
  try {
    fd = openSync(target, 'w');
  } catch (e: unknown) {
    throw new UsageError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : ((e as NodeJS.ErrnoException).code ?? errorMessage(e))}`);
  }
  let done = false;
  try {
    const sink = batched((chunk) => writeAll(fd, chunk));
    produce(sink.write);
    sink.flush();
    done = true;
  } finally {
    closeSync(fd);
    if (atomic) {
      if (done) renameSync(target, file);
      else unlinkSync(target);
    }
  }
}
