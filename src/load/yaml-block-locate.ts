/**
 * A fast path for positions in block-style YAML (what kubectl, Helm and most people
 * write): walks keys and sequence items by indentation over the document's lines, without
 * parsing. Anything it does not fully understand — flow collections on the path, quoted or
 * complex keys, anchors, tags, block scalars — makes it give up (-1), and the caller falls
 * back to the exact event-based locator. A property test holds the two to the same answers.
 */

interface Line {
  start: number;
  indent: number;
  /** Offset of the first content character. */
  content: number;
  end: number;
}

function isBlankOrComment(text: string, content: number, end: number): boolean {
  return content >= end || text.charCodeAt(content) === 35; /* # */
}

/** Next content line at or after offset `pos`, or undefined. */
function nextLine(text: string, pos: number): Line | undefined {
  const n = text.length;
  while (pos < n) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = n;
    let i = pos;
    while (i < end && text.charCodeAt(i) === 32) i++;
    let e = end;
    if (e > pos && text.charCodeAt(e - 1) === 13) e--;
    if (text.charCodeAt(i) === 9) return { start: pos, indent: -1, content: i, end: e }; // tabs: give up upstream
    if (!isBlankOrComment(text, i, e)) return { start: pos, indent: i - pos, content: i, end: e };
    pos = end + 1;
  }
  return undefined;
}

/** A plain key and its colon (sticky: matched exactly at `lastIndex`, no slicing). */
const KEY_CHARS = /[A-Za-z0-9_./-]+(?=:(?:[ \t\r\n]|$))/y;

/** The plain key at `at` on a line, or undefined when the line is not a simple `key:` entry. */
function keyAt(text: string, at: number, end: number): { key: string; after: number } | undefined {
  KEY_CHARS.lastIndex = at;
  const m = KEY_CHARS.exec(text);
  if (!m || at + m[0].length >= end) return undefined;
  return { key: m[0], after: at + m[0].length + 1 };
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
  const l = nextLine(text, pos);
  if (!l || l.indent < 0) return undefined;
  const dash = text.charCodeAt(l.content) === 45 && (l.content + 1 >= l.end || text.charCodeAt(l.content + 1) === 32);
  if (dash && l.indent >= parentIndent) return { kind: 'seq', indent: l.indent, first: l.start };
  if (!dash && l.indent > parentIndent) return { kind: 'map', indent: l.indent, first: l.start };
  return undefined;
}

/**
 * Offset of the node at `segments` (a mapping member's key, a sequence item's content), or
 * -1 when this fast path cannot be sure. The root must be a block mapping.
 */
export function locateInBlockYaml(text: string, segments: readonly string[]): number {
  const first = nextLine(text, 0);
  if (!first || first.indent !== 0) return -1;
  if (text.charCodeAt(first.content) === 45 || text.charCodeAt(first.content) === 37) return -1;
  if (!keyAt(text, first.content, first.end)) return -1;
  let node: Node = { kind: 'map', indent: 0, first: first.start };
  let best = first.content;
  for (let si = 0; si < segments.length; si++) {
    const seg = segments[si] as string;
    const last = si === segments.length - 1;
    if (node.kind === 'map') {
      // Entries of this mapping: lines at exactly node.indent, until a shallower line.
      // The first entry may share its line with a sequence dash (`- key: v`).
      let pos = node.first;
      let found: { line: Line; at: number; after: number } | undefined;
      let firstLine = true;
      for (;;) {
        const l = nextLine(text, pos);
        if (!l) break;
        if (l.indent < 0) return -1;
        let at = -1;
        if (firstLine && l.indent < node.indent) {
          // `- key:` — the mapping's first key follows the dash on the item's line.
          at = l.start + node.indent;
        } else if (l.indent === node.indent) at = l.content;
        else if (l.indent < node.indent) break;
        firstLine = false;
        if (at >= 0) {
          const k = keyAt(text, at, l.end);
          if (!k) {
            // A dash at the mapping's own indent is the compact sequence value of the key above.
            if (text.charCodeAt(at) !== 45) return -1;
          } else if (k.key === seg) {
            found = { line: l, at, after: k.after };
            break;
          }
        }
        pos = l.end + 1;
      }
      if (!found) return best; // missing member: its nearest existing ancestor
      best = found.at;
      if (last) return best;
      const rest = restKind(text, found.after, found.line.end);
      if (rest !== 'empty') return -1;
      const child = childNode(text, found.line.end + 1, node.indent);
      if (!child) return -1;
      node = child;
    } else {
      const idx = Number(seg);
      if (!Number.isInteger(idx) || idx < 0) return best;
      let pos = node.first;
      let k = -1;
      let item: Line | undefined;
      for (;;) {
        const l = nextLine(text, pos);
        if (!l || l.indent < 0) {
          if (l) return -1;
          break;
        }
        if (l.indent < node.indent) break;
        if (l.indent === node.indent) {
          if (text.charCodeAt(l.content) !== 45) break;
          k++;
          if (k === idx) {
            item = l;
            break;
          }
        }
        pos = l.end + 1;
      }
      if (!item) return best;
      // Item content: after `- `.
      let c = item.content + 1;
      while (c < item.end && text.charCodeAt(c) === 32) c++;
      const rest = restKind(text, item.content + 1, item.end);
      if (rest === 'empty') return -1; // `-` alone: its node starts on a later line
      // A quoted scalar's value starts after its quote, as the event parser reports it.
      const q = text.charCodeAt(c);
      best = q === 39 || q === 34 ? c + 1 : c;
      if (last) return best;
      if (rest === 'complex') return -1;
      if (rest === 'scalar') {
        const key = keyAt(text, c, item.end);
        if (!key) return best; // a scalar item has no members
        node = { kind: 'map', indent: c - item.start, first: item.start };
      }
    }
  }
  return best;
}
