/** Offsets → 1-based line/column, with a line-start table built once per text. */
import { unescapeSegment } from '../core/json-pointer.js';
import { BoundedCache } from '../core/bounded-cache.js';
import type { Position } from '../core/types.js';

export class LineIndex {
  private starts: Int32Array | undefined;
  constructor(private readonly text: string) {}

  /**
   * Offsets where lines start. Counted first, then filled into a typed array: a plain array
   * grown one push at a time costs several times more on multi-megabyte inputs.
   */
  private table(): Int32Array {
    if (this.starts) return this.starts;
    const t = this.text;
    let n = 1;
    for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) n++;
    const starts = new Int32Array(n);
    let k = 1;
    for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) starts[k++] = i + 1;
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

/** Segments by pointer: findings name the same few dozen paths over and over. Bounded. */
const segmentCache = new BoundedCache<string, readonly string[]>(8192);

/** Splits a JSON pointer (`/a/b~1c/0`) into unescaped segments. The result is shared: read-only. */
export function pointerSegments(pointer: string): readonly string[] {
  if (pointer === '' || pointer === '/') return [];
  // Called once per finding: a lookup first, no closure.
  const hit = segmentCache.get(pointer);
  if (hit) return hit;
  const split = pointer.slice(pointer.charCodeAt(0) === 47 ? 1 : 0).split('/');
  if (pointer.includes('~')) for (let i = 0; i < split.length; i++) split[i] = unescapeSegment(split[i] as string);
  return segmentCache.set(pointer, Object.freeze(split));
}

