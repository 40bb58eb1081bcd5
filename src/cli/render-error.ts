/** Renders an error for the terminal: `file:line:column: message` and a caret under the spot. */
import { readFileSync } from 'node:fs';
import { KubewardError, errorMessage } from '../core/errors.js';

export function renderError(e: unknown): string {
  if (!(e instanceof KubewardError)) return `kubeward: ${errorMessage(e)}\n`;
  const loc = e.location;
  if (!loc) return `kubeward: ${e.message}\n`;
  let head = loc.file;
  if (loc.line !== undefined) head += `:${loc.line}`;
  if (loc.column !== undefined) head += `:${loc.column}`;
  let out = `${head}: ${e.message}\n`;
  if (loc.line !== undefined) {
    try {
      const line = readFileSync(loc.file, 'utf8').split('\n')[loc.line - 1];
      if (line !== undefined && line.length < 500) {
        out += `  ${line}\n  ${' '.repeat(Math.max(0, (loc.column ?? 1) - 1))}^\n`;
      }
    } catch {
      /* no excerpt when the file cannot be read */
    }
  }
  return out;
}

/** Exit code for an error: 2 for usage, input and configuration problems; 3 for anything unexpected. */
export function exitCodeFor(e: unknown): number {
  return e instanceof KubewardError && e.code === 'internal' ? 3 : e instanceof KubewardError ? 2 : 3;
}
