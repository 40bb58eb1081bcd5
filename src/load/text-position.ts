/** Offsets → 1-based line/column, with a line-start table built once per text. */
import type { Position } from '../core/types.js';

export class LineIndex {
  private starts: number[] | undefined;
  constructor(private readonly text: string) {}

  private table(): number[] {
    if (this.starts) return this.starts;
    const starts = [0];
    const t = this.text;
    let i = t.indexOf('\n');
    while (i !== -1) {
      starts.push(i + 1);
      i = t.indexOf('\n', i + 1);
    }
    this.starts = starts;
    return starts;
  }

  position(offset: number): Position {
    const starts = this.table();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] as number) + 1 };
  }
}

/** Splits a JSON pointer (`/a/b~1c/0`) into unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(pointer.startsWith('/') ? 1 : 0)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Builds a JSON pointer from segments. */
export function toPointer(segments: ReadonlyArray<string | number>): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
