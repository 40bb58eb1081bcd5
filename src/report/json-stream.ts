/**
 * `JSON.stringify(value, null, 2) + '\n'`, byte for byte, handed out in pieces instead of as
 * one string: a report of 150,000 findings is 100 MB of text, and building it whole (then a
 * buffer of it to write) cost more than the scan's rules do. The outer levels are walked here;
 * the values below `depth` are stringified by JSON.stringify, array elements a group at a time.
 * (One difference for exotic values: an array element's `toJSON` is given its index within
 * its group of 64, not within the whole array. Reports hold plain data.)
 */

/**
 * Pieces are gathered to about this many characters before they are written: under V8's
 * large-object size, so each batch is young-generation memory used again and again. Batches
 * of a megabyte were large objects, each on fresh pages, and touching fresh pages is slow.
 */
const BATCH = 1 << 16;

/**
 * A writer that gathers small pieces into batches of about 64 KiB for `write`; `flush` hands
 * over the rest. Pieces already that large pass straight through (after what is pending), so
 * batching twice costs nothing.
 */
export function batched(write: (chunk: string) => void): { write: (piece: string) => void; flush: () => void } {
  let pending = '';
  return {
    write(piece) {
      if (piece.length >= BATCH) {
        if (pending.length > 0) write(pending);
        pending = '';
        write(piece);
        return;
      }
      pending += piece;
      if (pending.length >= BATCH) {
        write(pending);
        pending = '';
      }
    },
    flush() {
      if (pending.length > 0) write(pending);
      pending = '';
    },
  };
}

/** Array elements stringified together (under the large-object size for findings-like values). */
const GROUP = 64;

/**
 * `elements` as JSON.stringify lays them out inside an array whose elements sit at `indent`:
 * the array is wrapped in objects deep enough for that indentation and stringified once, and
 * the elements' lines are cut out — faster than one call and one re-indentation per element.
 */
function group(elements: unknown[], indent: string): string {
  let wrapped: unknown = elements;
  for (let k = indent.length / 2 - 1; k > 0; k--) wrapped = { a: wrapped };
  const text = JSON.stringify(wrapped, null, 2);
  const start = text.indexOf('[\n') + 2;
  const end = text.lastIndexOf('\n' + indent.slice(2) + ']');
  return text.slice(start, end);
}

/** What JSON.stringify would make of a value as a property (undefined: the property is left out). */
function jsonValue(key: string, v: unknown): unknown {
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON(k: string): unknown }).toJSON(key);
  }
  return typeof v === 'function' || typeof v === 'symbol' ? undefined : v;
}

function isStreamable(v: unknown): v is Record<string, unknown> | unknown[] {
  return v !== null && typeof v === 'object' && !(v instanceof Number || v instanceof String || v instanceof Boolean);
}

/**
 * Writes `value` as 2-space-indented JSON followed by a newline, through `write`, in pieces
 * of about 64 KiB. Containers down to `depth` levels are walked member by member.
 */
export function writePrettyJson(value: unknown, write: (chunk: string) => void, depth = 2): void {
  const sink = batched(write);
  const out = sink.write;
  const leaf = (v: unknown, indent: string): void => {
    const text = JSON.stringify(v, null, 2);
    out(indent.length > 0 && text.includes('\n') ? text.replaceAll('\n', '\n' + indent) : text);
  };
  const walk = (v: unknown, indent: string, level: number): void => {
    if (level >= depth || !isStreamable(v)) {
      leaf(v, indent);
      return;
    }
    const inner = indent + '  ';
    if (Array.isArray(v)) {
      if (v.length === 0) return out('[]');
      if (level + 1 >= depth) {
        // Elements are leaves: stringified a group at a time, already indented (see group).
        out('[\n');
        for (let i = 0; i < v.length; i += GROUP) out((i === 0 ? '' : ',\n') + group(v.slice(i, i + GROUP), inner));
        return out('\n' + indent + ']');
      }
      for (let i = 0; i < v.length; i++) {
        out(i === 0 ? '[\n' + inner : ',\n' + inner);
        const x = jsonValue(String(i), v[i]);
        if (x === undefined) out('null');
        else walk(x, inner, level + 1);
      }
      return out('\n' + indent + ']');
    }
    let first = true;
    for (const k of Object.keys(v)) {
      const x = jsonValue(k, v[k]);
      if (x === undefined) continue;
      out((first ? '{\n' : ',\n') + inner + JSON.stringify(k) + ': ');
      first = false;
      walk(x, inner, level + 1);
    }
    out(first ? '{}' : '\n' + indent + '}');
  };
  const top = jsonValue('', value);
  if (top === undefined) throw new TypeError('nothing to write: the value has no JSON form');
  walk(top, '', 0);
  out('\n');
  sink.flush();
}

/** The same text as one string (for small results and the library API). */
export function prettyJson(value: unknown, depth = 2): string {
  const parts: string[] = [];
  writePrettyJson(value, (c) => parts.push(c), depth);
  return parts.join('');
}
