/**
 * Positions inside JSON text without a second full parse: a small scanner skips
 * values to walk a JSON pointer from a starting offset.
 */

function skipWs(t: string, i: number): number {
  for (;;) {
    const c = t.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) i++;
    else return i;
  }
}

function skipString(t: string, i: number): number {
  // t[i] === '"'
  i++;
  for (;;) {
    const q = t.indexOf('"', i);
    if (q < 0) return t.length;
    let bs = 0;
    for (let k = q - 1; k >= i && t.charCodeAt(k) === 92; k--) bs++;
    if (bs % 2 === 0) return q + 1;
    i = q + 1;
  }
}

/** Offset just past the JSON value starting at (or after whitespace from) `i`. */
export function skipJsonValue(t: string, i: number): number {
  i = skipWs(t, i);
  const c = t.charCodeAt(i);
  if (c === 34) return skipString(t, i);
  if (c === 123 || c === 91) {
    let depth = 0;
    while (i < t.length) {
      const d = t.charCodeAt(i);
      if (d === 34) {
        i = skipString(t, i);
        continue;
      }
      if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return t.length;
  }
  while (i < t.length) {
    const d = t.charCodeAt(i);
    if (d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9) return i;
    i++;
  }
  return i;
}

/** Offsets of each element of the JSON array starting at `i`. */
export function jsonArrayElementOffsets(t: string, i: number): number[] {
  const out: number[] = [];
  i = skipWs(t, i);
  if (t.charCodeAt(i) !== 91) return out;
  i = skipWs(t, i + 1);
  if (t.charCodeAt(i) === 93) return out;
  for (;;) {
    i = skipWs(t, i);
    out.push(i);
    i = skipWs(t, skipJsonValue(t, i));
    if (t.charCodeAt(i) === 44) i++;
    else return out;
  }
}

/**
 * Whether the JSON string at [start, end) (quotes included) is `seg`; undefined when it is
 * not a valid string. Keys without escapes (nearly all) are compared in place.
 */
function keyEquals(t: string, start: number, end: number, seg: string): boolean | undefined {
  if (end - start < 2 || t.charCodeAt(end - 1) !== 34) return undefined;
  let escaped = false;
  for (let k = start + 1; k < end - 1; k++) {
    if (t.charCodeAt(k) === 92) {
      escaped = true;
      break;
    }
  }
  if (!escaped) return end - start - 2 === seg.length && t.startsWith(seg, start + 1);
  try {
    return JSON.parse(t.slice(start, end)) === seg;
  } catch {
    return undefined;
  }
}

/**
 * Offset of the deepest value along `segments` from the value at `start` (for an object
 * member, the offset of its key).
 */
export function locateInJson(t: string, start: number, segments: readonly string[]): number {
  let i = skipWs(t, start);
  let best = i;
  for (const seg of segments) {
    const c = t.charCodeAt(i);
    if (c === 123) {
      i = skipWs(t, i + 1);
      let found = false;
      while (t.charCodeAt(i) === 34) {
        const keyStart = i;
        const keyEnd = skipString(t, i);
        const matches = keyEquals(t, keyStart, keyEnd, seg);
        if (matches === undefined) return best;
        i = skipWs(t, keyEnd);
        if (t.charCodeAt(i) !== 58) return best;
        i = skipWs(t, i + 1);
        if (matches) {
          best = keyStart;
          found = true;
          break;
        }
        i = skipWs(t, skipJsonValue(t, i));
        if (t.charCodeAt(i) === 44) i = skipWs(t, i + 1);
        else break;
      }
      if (!found) return best;
    } else if (c === 91) {
      const idx = Number(seg);
      if (!Number.isInteger(idx) || idx < 0) return best;
      i = skipWs(t, i + 1);
      for (let k = 0; k < idx; k++) {
        if (t.charCodeAt(i) === 93) return best;
        i = skipWs(t, skipJsonValue(t, i));
        if (t.charCodeAt(i) === 44) i = skipWs(t, i + 1);
        else return best;
      }
      if (t.charCodeAt(i) === 93) return best;
      best = i;
    } else {
      return best;
    }
  }
  return best;
}

/**
 * Offset of the first syntax error in JSON text (or -1 when it is valid): a strict
 * recursive-descent check, used only to point at the spot JSON.parse rejected.
 */
export function findJsonErrorOffset(t: string): number {
  let i = 0;
  const fail = (at: number): never => {
    throw at;
  };
  const ws = (): void => {
    i = skipWs(t, i);
  };
  const value = (depth: number): void => {
    if (depth > 100_000) fail(i);
    ws();
    const c = t.charCodeAt(i);
    if (c === 123) {
      i++;
      ws();
      if (t.charCodeAt(i) === 125) {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (t.charCodeAt(i) !== 34) fail(i);
        string();
        ws();
        if (t.charCodeAt(i) !== 58) fail(i);
        i++;
        value(depth + 1);
        ws();
        const d = t.charCodeAt(i);
        if (d === 44) i++;
        else if (d === 125) {
          i++;
          return;
        } else fail(i);
      }
    } else if (c === 91) {
      i++;
      ws();
      if (t.charCodeAt(i) === 93) {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        const d = t.charCodeAt(i);
        if (d === 44) i++;
        else if (d === 93) {
          i++;
          return;
        } else fail(i);
      }
    } else if (c === 34) string();
    else {
      const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(t.slice(i, i + 400));
      if (!m) fail(i);
      else i += m[0].length;
    }
  };
  const string = (): void => {
    const end = skipString(t, i);
    try {
      JSON.parse(t.slice(i, end));
    } catch {
      fail(i);
    }
    i = end;
  };
  try {
    value(0);
    ws();
    return i < t.length ? i : -1;
  } catch (at: unknown) {
    return typeof at === 'number' ? at : i;
  }
}
