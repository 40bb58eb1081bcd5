/** Where a command's report goes: the `--output` file, or standard output; written in pieces. */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { CliContext } from './context.js';

function writeAll(fd: number, chunk: string): void {
  const bytes = Buffer.from(chunk, 'utf8');
  for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
}

/**
 * Runs `produce` with a writer to `file` (created or truncated) or, without one, to the
 * context's standard output. A report is never held whole as one string or buffer.
 */
export function writeOutput(ctx: CliContext, file: string | undefined, produce: (write: (chunk: string) => void) => void): void {
  if (file === undefined) {
    produce((chunk) => ctx.stdout(chunk));
    return;
  }
  const fd = openSync(file, 'w');
  try {
    produce((chunk) => writeAll(fd, chunk));
  } finally {
    closeSync(fd);
  }
}
