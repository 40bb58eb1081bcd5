/** Option parsers shared by commands. */
import { InvalidArgumentError } from 'commander';
import { isSeverity, type Severity } from '../core/types.js';

export function parseSeverityOrNone(v: string): Severity | 'none' {
  if (v === 'none' || isSeverity(v)) return v;
  throw new InvalidArgumentError('expected one of info, low, medium, high, critical, none');
}

export function collect(v: string, prev: string[] = []): string[] {
  const items = v.split(',').map((s) => s.trim()).filter(Boolean);
  // `--rule ''` (an unset shell variable) must not quietly mean "every rule".
  if (items.length === 0) throw new InvalidArgumentError('expected one or more comma-separated values');
  return [...prev, ...items];
}

/** `64MiB`, `100MB`, `1048576` → bytes. */
export function parseByteSize(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?$/i.exec(v.trim());
  if (!m) throw new InvalidArgumentError('expected a size such as 1048576, 64MiB or 100MB');
  const n = Number(m[1]);
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult: Record<string, number> = { b: 1, kb: 1e3, kib: 1024, mb: 1e6, mib: 1024 ** 2, gb: 1e9, gib: 1024 ** 3 };
  return Math.floor(n * (mult[unit] ?? 1));
}

export function oneOf<T extends string>(values: readonly T[]): (v: string) => T {
  return (v) => {
    if ((values as readonly string[]).includes(v)) return v as T;
    throw new InvalidArgumentError(`expected one of ${values.join(', ')}`);
  };
}
