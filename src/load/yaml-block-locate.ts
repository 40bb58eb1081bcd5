/**
 * A fast path for positions in block-style YAML (what kubectl, Helm and most people
 * write): walks keys and sequence items by indentation over the document's lines, without
 * parsing. Anything it does not fully understand — flow collections on the path, quoted or
 * complex keys, anchors, tags, block scalars — makes it give up (-1), and the caller falls
 * back to the exact event-based locator. A property test holds the two to the same answers.
 */

/**
 * One line, filled in place by `nextLine` (locating runs once per finding: a fresh object
 * per line walked was most of its cost). Read its fields before the next call.
 */
interface Line {
  start: number;
  /** -1 when the indentation holds a tab. */
  indent: number;
  /** Offset of the first content character. */
  content: number;
  end: number;
}

const line: Line = { start: 0, indent: 0, content: 0, end: 0 };

/** Fills `line` with the next content line at or after offset `pos`; false when there is none. */
function nextLine(text: string, pos: number): boolean {
  const n = text.length;
  while (pos < n) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = n;
    let i = pos;
    while (i < end && text.charCodeAt(i) === 32) i++;
    let e = end;
    if (e > pos && text.charCodeAt(e - 1) === 13) e--;
    const tab = text.charCodeAt(i) === 9; // tabs: give up upstream
    if (tab || (i < e && text.charCodeAt(i) !== 35)) {
      line.start = pos;
      line.indent = tab ? -1 : i - pos;
      line.content = i;
      line.end = e;
      return true;
    }
    pos = end + 1;
  }
  return false;
}

/** Characters of a plain key this fast path accepts: `[A-Za-z0-9_./-]`. */
function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 47 || c === 45;
}

/**
 * The offset of the colon of the simple plain `key:` entry at `at` on a line ending at `end`
 * (the key made of `[A-Za-z0-9_./-]`, the colon followed by a space, a tab, a line break or the
 * end of the text), or -1 when the line is no such entry.
 */
function keyColon(text: string, at: number, end: number): number {
  let i = at;
  while (isKeyChar(text.charCodeAt(i))) i++;
  if (i === at || i >= end || text.charCodeAt(i) !== 58) return -1;
  const c = text.charCodeAt(i + 1);
  return i + 1 === text.length || c === 32 || c === 9 || c === 13 || c === 10 ? i : -1;
}

/** Whether the key ending at `colon` (from `at`) is `seg`, compared in place. */
function keyIs(text: string, at: number, colon: number, seg: string): boolean {
  return colon - at === seg.length && text.startsWith(seg, at);
}

/** What follows `key:` (or `- `) on the same line: nothing, a scalar, or something we don't handle. */
function restKind(text: string, from: number, end: number): 'empty' | 'scalar' | 'complex' {
  let i = from;
  while (i < end && text.charCodeAt(i) === 32) i++;
  if (i >= end || text.charCodeAt(i) === 35) return 'empty';
  const c = text[i];
  if (c === '{' || c === '[' || c === '&' || c === '*' || c === '!' || c === '|' || c === '>' || c === '?') return 'complex';
  return 'scalar';
}

type Node = { kind: 'map'; indent: number; first: number } | { kind: 'seq'; indent: number; first: number };

/** The block node that starts on the line after `pos` and is indented more than `parentIndent` (sequences may sit at it). */
function childNode(text: string, pos: number, parentIndent: number): Node | undefined {
  if (!nextLine(text, pos) || line.indent < 0) return undefined;
  const dash = text.charCodeAt(line.content) === 45 && (line.content + 1 >= line.end || text.charCodeAt(line.content + 1) === 32);
  if (dash && line.indent >= parentIndent) return { kind: 'seq', indent: line.indent, first: line.start };
  if (!dash && line.indent > parentIndent) return { kind: 'map', indent: line.indent, first: line.start };
  return undefined;
}

/**
 * Offset of the node at `segments` (a mapping member's key, a sequence item's content), or
 * -1 when this fast path cannot be sure. The root must be a block mapping.
 */
export function locateInBlockYaml(text: string, segments: readonly string[]): number {
  if (!nextLine(text, 0) || line.indent !== 0) return -1;
  if (text.charCodeAt(line.content) === 45 || text.charCodeAt(line.content) === 37) return -1;
  if (keyColon(text, line.content, line.end) < 0) return -1;
  let node: Node = { kind: 'map', indent: 0, first: line.start };
  let best = line.content;
  for (let si = 0; si < segments.length; si++) {
    const seg = segments[si] as string;
    const last = si === segments.length - 1;
    if (node.kind === 'map') {
      // Entries of this mapping: lines at exactly node.indent, until a shallower line.
      // The first entry may share its line with a sequence dash (`- key: v`).
      let pos = node.first;
      let foundAt = -1;
      let foundAfter = -1;
      let foundEnd = -1;
      let firstLine = true;
      while (nextLine(text, pos)) {
        if (line.indent < 0) return -1;
        let at = -1;
        if (firstLine && line.indent < node.indent) {
          // `- key:` — the mapping's first key follows the dash on the item's line.
          at = line.start + node.indent;
        } else if (line.indent === node.indent) at = line.content;
        else if (line.indent < node.indent) break;
        firstLine = false;
        if (at >= 0) {
          const colon = keyColon(text, at, line.end);
          if (colon < 0) {
            // A dash at the mapping's own indent is the compact sequence value of the key above.
            if (text.charCodeAt(at) !== 45) return -1;
          } else if (keyIs(text, at, colon, seg)) {
            foundAt = at;
            foundAfter = colon + 1;
            foundEnd = line.end;
            break;
          }
        }
        pos = line.end + 1;
      }
      if (foundAt < 0) return best; // missing member: its nearest existing ancestor
      best = foundAt;
      if (last) return best;
      const rest = restKind(text, foundAfter, foundEnd);
      if (rest !== 'empty') return -1;
      const child = childNode(text, foundEnd + 1, node.indent);
      if (!child) return -1;
      node = child;
    } else {
      const idx = Number(seg);
      if (!Number.isInteger(idx) || idx < 0) return best;
      let pos = node.first;
      let k = -1;
      let found = false;
      for (;;) {
        if (!nextLine(text, pos)) break;
        if (line.indent < 0) return -1;
        if (line.indent < node.indent) break;
        if (line.indent === node.indent) {
          if (text.charCodeAt(line.content) !== 45) break;
          k++;
          if (k === idx) {
            found = true;
            break;
          }
        }
        pos = line.end + 1;
      }
      if (!found) return best;
      const itemStart = line.start;
      const itemContent = line.content;
      const itemEnd = line.end;
      // Item content: after `- `.
      let c = itemContent + 1;
      while (c < itemEnd && text.charCodeAt(c) === 32) c++;
      const rest = restKind(text, itemContent + 1, itemEnd);
      if (rest === 'empty') return -1; // `-` alone: its node starts on a later line
      // A quoted item is pointed at by its opening quote, where it starts.
      best = c;
      if (last) return best;
      if (rest === 'complex') return -1;
      if (rest === 'scalar') {
        if (keyColon(text, c, itemEnd) < 0) return best; // a scalar item has no members
        node = { kind: 'map', indent: c - itemStart, first: itemStart };
      }
    }
  }
  return best;
}
