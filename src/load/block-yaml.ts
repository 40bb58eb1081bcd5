/**
 * The loader's fastest path: a parser for the subset of YAML that manifests are nearly always
 * written in — block mappings and sequences, plain and quoted one-line scalars, literal block
 * scalars (`|`), and one-line flow sequences and mappings of scalars — reading a document
 * line by line. Anything else (anchors, tags, folded or multi-line scalars, nested flow
 * collections, escapes, tabs, lone CRs, byte-order marks, …) is declined, and the document
 * goes to js-yaml as before; so is anything malformed, so that errors keep js-yaml's wording
 * and position.
 *
 * Values are exactly js-yaml 5's with the loader's schema (YAML 1.1 scalars, as Kubernetes
 * reads them): plain scalars resolve through js-yaml 5's own null/bool/int/float tags, tried
 * in the order and for the first characters js-yaml 5 tries them. Tests hold the two to the
 * same values on every YAML file of the repository and of the shared fixtures, on generated
 * clusters and on random and randomly broken documents.
 */
import { YAML11_SCALAR_TAGS, type ScalarTag } from './fast-yaml.js';

/** Returned for a document outside the subset (or malformed): parse it with js-yaml. */
export const DECLINED: unique symbol = Symbol('declined');

/** Tags to try by a plain scalar's first character (`''` for the empty scalar), as js-yaml 5 picks them. */
const TAGS_BY_FIRST_CHAR = new Map<string, ScalarTag[]>();
for (const tag of YAML11_SCALAR_TAGS) {
  for (const c of tag.implicitFirstChars ?? []) {
    let list = TAGS_BY_FIRST_CHAR.get(c);
    if (!list) TAGS_BY_FIRST_CHAR.set(c, (list = []));
    list.push(tag);
  }
}

/**
 * A plain scalar's value: null, boolean, number or string, as js-yaml 5 resolves it. A plain
 * `<<` is a merge key to js-yaml: declined.
 */
function resolvePlain(source: string): unknown {
  if (source === '<<') throw DECLINE;
  const tags = TAGS_BY_FIRST_CHAR.get(source.charAt(0));
  if (tags) {
    for (const tag of tags) {
      const v = tag.resolve(source, false, tag.tagName);
      if (typeof v !== 'symbol') return v;
    }
  }
  return source;
}

/** Characters js-yaml refuses in a stream (it reports them; so the document is left to it). */
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

/** A CR that does not end a line with LF (old Mac line ends, or a CR inside a line). */
const LONE_CR = /\r(?!\n)/;

class Decline extends Error {}
const DECLINE = new Decline();

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;

/** Characters that cannot start a plain scalar or key here (indicators, or constructs left to js-yaml). */
function isIndicator(c: number): boolean {
  // [ ] { } # & * ! | > ' " % @ ` ,
  return c === 91 || c === 93 || c === 123 || c === 125 || c === HASH || c === 38 || c === 42 || c === 33 || c === 124 || c === 62 || c === 39 || c === 34 || c === 37 || c === 64 || c === 96 || c === 44;
}

/** Whether a plain scalar may start at `at`: no indicator, and `-`, `?`, `:` only before a non-space. */
function plainStart(t: string, at: number, e: number): boolean {
  const c = t.charCodeAt(at);
  if (c === SPACE || isIndicator(c)) return false;
  // `---`/`...` read as document markers by js-yaml in places YAML would not: left to it.
  if ((c === DASH || c === 46) && t.charCodeAt(at + 1) === c && t.charCodeAt(at + 2) === c) return false;
  if (c === DASH || c === 63 || c === COLON) return at + 1 < e && t.charCodeAt(at + 1) !== SPACE;
  return true;
}

/** The text of [from, to) in `t` without its trailing spaces. */
function sliceTrimmed(t: string, from: number, to: number): string {
  while (to > from && t.charCodeAt(to - 1) === SPACE) to--;
  return t.slice(from, to);
}

/**
 * Offset of the closing quote of the quoted scalar opening at `k` in `t`, on the same line
 * (before `e`). Double-quoted escapes are left to js-yaml.
 */
function quotedEnd(t: string, k: number, e: number): number {
  const q = t.charCodeAt(k);
  let i = k + 1;
  for (;;) {
    const close = t.indexOf(q === 39 ? "'" : '"', i);
    if (close < 0 || close >= e) throw DECLINE; // multi-line, or unclosed
    if (q === 39 && t.charCodeAt(close + 1) === 39) {
      i = close + 2;
      continue;
    }
    if (q === 34) for (let b = k + 1; b < close; b++) if (t.charCodeAt(b) === 92) throw DECLINE;
    return close;
  }
}

/** The value of the quoted scalar from `k` to its closing quote at `close` (`''` is a quote in single quotes). */
function quotedValue(t: string, k: number, close: number): string {
  const raw = t.slice(k + 1, close);
  return t.charCodeAt(k) === 39 && raw.includes("''") ? raw.replaceAll("''", "'") : raw;
}

/** `key` set on `map`, or declined: duplicates are js-yaml's to report, `__proto__` and merge keys its to read. */
function setKey(map: Record<string, unknown>, key: string, value: unknown): void {
  if (Object.hasOwn(map, key) || key === '__proto__' || key === '<<') throw DECLINE;
  map[key] = value;
}

/**
 * A plain or quoted scalar in a one-line flow collection `inner`, from `i` (spaces first):
 * its value and the offset past it and the spaces after it. In a flow mapping, a plain key
 * ends at `: `; plain scalars with `:` are left to js-yaml.
 */
function flowScalar(inner: string, i: number, n: number, isKey: boolean): { value: unknown; end: number } {
  while (i < n && inner.charCodeAt(i) === SPACE) i++;
  if (i >= n) throw DECLINE; // an empty entry
  const c = inner.charCodeAt(i);
  let j: number;
  let value: unknown;
  if (c === 39 || c === 34) {
    const close = quotedEnd(inner, i, n);
    value = quotedValue(inner, i, close);
    j = close + 1;
  } else {
    if (!plainStart(inner, i, n) || c === DASH || c === 63 || c === COLON) throw DECLINE;
    j = i;
    while (j < n && inner.charCodeAt(j) !== 44 && !(isKey && inner.charCodeAt(j) === COLON)) j++;
    const raw = sliceTrimmed(inner, i, j);
    if (raw.includes(':')) throw DECLINE;
    value = resolvePlain(raw);
  }
  while (j < n && inner.charCodeAt(j) === SPACE) j++;
  return { value, end: j };
}

/**
 * Line by line. Every value parser leaves `line` on the last line it consumed; a block node
 * starts at (`line`, `col`), `col` being past `- ` on an item's line for nodes nested there.
 */
class Parser {
  /**
   * Per line: start, end (the line break excluded; no empty line after a final break), and
   * the column of its first non-space character (-1 for a blank or comment-only line).
   */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly cols: number[] = [];
  private line = 0;
  private col = 0;
  /** Whether a sequence has a null item (`-` alone, `- null`, `[~]`). */
  nullItem = false;

  constructor(
    private readonly t: string,
    private readonly maxDepth: number,
  ) {
    let s = 0;
    const n = t.length;
    while (s < n) {
      let next = t.indexOf('\n', s);
      if (next === -1) next = n;
      // CRLF: the line's text ends before the CR (parseBlockDocument declines any other CR).
      const e = next > s && t.charCodeAt(next - 1) === 13 ? next - 1 : next;
      let k = s;
      while (k < e && t.charCodeAt(k) === SPACE) k++;
      // A document marker (`---`, `...`) ends the document: streams are split before this parser.
      if (k === s && (t.startsWith('---', s) || t.startsWith('...', s)) && (s + 3 === e || t.charCodeAt(s + 3) === SPACE)) throw DECLINE;
      this.starts.push(s);
      this.ends.push(e);
      this.cols.push(k === e || t.charCodeAt(k) === HASH ? -1 : k - s);
      s = next + 1;
    }
  }

  private contentCol(i: number): number {
    return this.cols[i] as number;
  }

  /** The next line at or after `i` with content, or the line count. */
  private nextContent(i: number): number {
    const n = this.starts.length;
    while (i < n && this.contentCol(i) < 0) i++;
    return i;
  }

  /** Where a ` #` comment starts in [at, e) (the offset of the space), or e. Bounded by the line. */
  private commentAt(at: number, e: number): number {
    const t = this.t;
    for (let i = at + 1; i < e; i++) if (t.charCodeAt(i) === HASH && t.charCodeAt(i - 1) === SPACE) return i - 1;
    return e;
  }

  /** `-` at `at` of line `line`, followed by a space or the end of the line. */
  private isItem(line: number, at: number): boolean {
    return this.t.charCodeAt(at) === DASH && (at + 1 === this.ends[line] || this.t.charCodeAt(at + 1) === SPACE);
  }

  parseDocument(): unknown {
    const first = this.nextContent(0);
    if (first >= this.starts.length) throw DECLINE;
    this.line = first;
    this.col = this.contentCol(first);
    const value = this.block(this.col, 1);
    if (this.nextContent(this.line + 1) < this.starts.length) throw DECLINE; // content left over: malformed
    return value;
  }

  /** The block node at (line, col), `col` being its indent: a sequence or a mapping. */
  private block(indent: number, depth: number): unknown {
    if (depth > this.maxDepth) throw DECLINE;
    const at = (this.starts[this.line] as number) + this.col;
    return this.isItem(this.line, at) ? this.sequence(indent, depth) : this.mapping(indent, depth);
  }

  /**
   * Moves to the next line of the block at `indent`: true when there is one (then `line` and
   * `col` are on it), false when the block ended (`line` unchanged). Deeper lines are malformed
   * or outside the subset.
   */
  private nextInBlock(indent: number): boolean {
    const next = this.nextContent(this.line + 1);
    if (next >= this.starts.length) return false;
    const col = this.contentCol(next);
    if (col > indent) throw DECLINE;
    if (col < indent) return false;
    this.line = next;
    this.col = col;
    return true;
  }

  private sequence(indent: number, depth: number): unknown[] {
    const out: unknown[] = [];
    const t = this.t;
    for (;;) {
      const s = this.starts[this.line] as number;
      const e = this.ends[this.line] as number;
      let v = s + this.col + 1;
      while (v < e && t.charCodeAt(v) === SPACE) v++;
      const item = v === e || t.charCodeAt(v) === HASH ? this.below(indent, depth, false) : this.inline(v - s, indent, depth, true);
      if (item === null) this.nullItem = true;
      out.push(item);
      const line = this.line;
      const col = this.col;
      if (!this.nextInBlock(indent)) return out;
      // A line at this indent that is no item ends the sequence (a mapping's value at its key's indent).
      if (!this.isItem(this.line, (this.starts[this.line] as number) + this.col)) {
        this.line = line;
        this.col = col;
        return out;
      }
    }
  }

  private mapping(indent: number, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const t = this.t;
    for (;;) {
      const s = this.starts[this.line] as number;
      const e = this.ends[this.line] as number;
      const { key, after } = this.key(s + this.col, e);
      let v = after;
      while (v < e && t.charCodeAt(v) === SPACE) v++;
      if (v === e || t.charCodeAt(v) === HASH) {
        setKey(out, key, this.below(indent, depth, true));
      } else {
        setKey(out, key, this.inline(v - s, indent, depth, false));
      }
      if (!this.nextInBlock(indent)) return out;
      if (this.isItem(this.line, (this.starts[this.line] as number) + this.col)) throw DECLINE; // an item where a key belongs
    }
  }

  /** A mapping key at `k` on a line ending at `e`: its text and the offset just past its `:`. */
  private key(k: number, e: number): { key: string; after: number } {
    const t = this.t;
    const c = t.charCodeAt(k);
    let key: string;
    let colon: number;
    if (c === 39 || c === 34) {
      const close = quotedEnd(t, k, e);
      key = quotedValue(t, k, close);
      colon = close + 1;
      while (colon < e && t.charCodeAt(colon) === SPACE) colon++;
      if (colon >= e || t.charCodeAt(colon) !== COLON) throw DECLINE;
    } else {
      if (!plainStart(t, k, e)) throw DECLINE;
      colon = this.keyColon(k, e);
      if (colon < 0) throw DECLINE; // a scalar where a key belongs
      key = String(resolvePlain(sliceTrimmed(t, k, colon)));
    }
    const after = colon + 1;
    if (after < e && t.charCodeAt(after) !== SPACE) throw DECLINE;
    return { key, after };
  }

  /** The first `: ` (or `:` ending the line) in [at, e) before any ` #` comment, or -1. */
  private keyColon(at: number, e: number): number {
    const t = this.t;
    const stop = this.commentAt(at, e);
    for (let i = at; i < stop; i++) {
      if (t.charCodeAt(i) === COLON && (i + 1 === e || t.charCodeAt(i + 1) === SPACE)) return i;
    }
    return -1;
  }

  /**
   * The value of `key:` or `-` with nothing after it on its line: a block on the lines below
   * (deeper; for a key, also a sequence at the key's own indent), or null.
   */
  private below(indent: number, depth: number, isKey: boolean): unknown {
    const next = this.nextContent(this.line + 1);
    if (next >= this.starts.length) return null;
    const col = this.contentCol(next);
    const at = (this.starts[next] as number) + col;
    if (isKey && col === indent && this.isItem(next, at)) {
      this.line = next;
      this.col = col;
      return this.block(col, depth + 1);
    }
    if (col > indent) {
      // A deeper line: a block, or a value on a line of its own (`securityContext:\n  {}`).
      if (depth + 1 > this.maxDepth) throw DECLINE;
      this.line = next;
      this.col = col;
      return this.inline(col, indent, depth, true);
    }
    return null;
  }

  /**
   * A value starting at column `v` of the current line — after `key: ` or `- `, or on a deeper
   * line of its own — in a block at `indent`. Nested blocks on the line (`- name: a`, `- - a`)
   * are taken where `nested` says a block may start there (items, lines of their own).
   */
  private inline(v: number, indent: number, depth: number, nested: boolean): unknown {
    const t = this.t;
    const s = this.starts[this.line] as number;
    const e = this.ends[this.line] as number;
    const at = s + v;
    const c = t.charCodeAt(at);
    if (this.isItem(this.line, at)) {
      if (!nested) throw DECLINE; // `key: - a` is malformed
      this.col = v; // `- - a`: a sequence nested on the item's line
      return this.block(v, depth + 1);
    }
    if (c === 124) return this.literal(at, e, indent);
    if (c === 91 || c === 123) {
      // A flow collection is one level deeper than the block holding it.
      if (depth + 1 > this.maxDepth) throw DECLINE;
      return this.scalarEnd(this.flow(at, e), indent);
    }
    if (c === 39 || c === 34) {
      const close = quotedEnd(t, at, e);
      let k = close + 1;
      while (k < e && t.charCodeAt(k) === SPACE) k++;
      if (k < e && t.charCodeAt(k) === COLON) {
        // `- "key": value`: a mapping nested on the item's line
        if (!nested) throw DECLINE;
        this.col = v;
        return this.block(v, depth + 1);
      }
      if (k < e && (t.charCodeAt(k) !== HASH || k === close + 1)) throw DECLINE;
      return this.scalarEnd(quotedValue(t, at, close), indent);
    }
    if (!plainStart(t, at, e)) throw DECLINE;
    if (this.keyColon(at, e) >= 0) {
      // `- name: a`: a mapping nested on the item's line
      if (!nested) throw DECLINE;
      this.col = v;
      return this.block(v, depth + 1);
    }
    return this.scalarEnd(resolvePlain(sliceTrimmed(t, at, this.commentAt(at, e))), indent);
  }

  /** A one-line scalar is complete only if no deeper line follows (that would continue it). */
  private scalarEnd(value: unknown, indent: number): unknown {
    const next = this.nextContent(this.line + 1);
    if (next < this.starts.length && this.contentCol(next) > indent) throw DECLINE;
    return value;
  }

  /** `[]`, `{}`, or a one-line flow sequence or mapping of plain or quoted scalars; anything else is declined. */
  private flow(at: number, e: number): unknown {
    const text = sliceTrimmed(this.t, at, this.commentAt(at, e));
    if (text === '[]') return [];
    if (text === '{}') return {};
    const open = text.charCodeAt(0);
    const isMap = open === 123;
    if (text.charCodeAt(text.length - 1) !== (isMap ? 125 : 93) || (!isMap && open !== 91)) throw DECLINE;
    const inner = text.slice(1, -1);
    if (/[[\]{}#\\]/.test(inner)) throw DECLINE;
    const list: unknown[] = [];
    const map: Record<string, unknown> = {};
    const n = inner.length;
    let i = 0;
    for (;;) {
      const first = flowScalar(inner, i, n, isMap);
      let j = first.end;
      if (isMap) {
        // `key: value`, the key plain or quoted, the value a scalar
        if (inner.charCodeAt(j) !== COLON || inner.charCodeAt(j + 1) !== SPACE) throw DECLINE;
        const second = flowScalar(inner, j + 1, n, false);
        setKey(map, String(first.value), second.value);
        j = second.end;
      } else {
        if (first.value === null) this.nullItem = true;
        list.push(first.value);
      }
      if (j >= n) return isMap ? map : list;
      if (inner.charCodeAt(j) !== 44) throw DECLINE;
      i = j + 1;
    }
  }

  /** A literal block scalar (`|`, `|-`, `|+`) whose header is at `at`, for a node of a block at `indent`. */
  private literal(at: number, e: number, indent: number): string {
    const t = this.t;
    const header = t.slice(at, e);
    const chomp = header === '|' ? 'clip' : header === '|-' ? 'strip' : header === '|+' ? 'keep' : undefined;
    if (chomp === undefined) throw DECLINE; // indentation indicators, comments after the header
    const lines: string[] = [];
    let contentIndent = -1;
    let lastContent = -1;
    let lastLine = this.line;
    const n = this.starts.length;
    for (let i = this.line + 1; i < n; i++) {
      const s = this.starts[i] as number;
      const le = this.ends[i] as number;
      let k = s;
      while (k < le && t.charCodeAt(k) === SPACE) k++;
      const spaces = k - s;
      if (k === le) {
        // Blank: an empty line of the text (one with more spaces than the indentation is content: left to js-yaml).
        if (spaces > (contentIndent >= 0 ? contentIndent : indent + 1)) throw DECLINE;
        lines.push('');
        lastLine = i;
        continue;
      }
      if (contentIndent < 0) {
        if (spaces <= indent) break;
        contentIndent = spaces;
      } else if (spaces < contentIndent) {
        if (spaces > indent) throw DECLINE;
        break;
      }
      lines.push(t.slice(s + contentIndent, le));
      lastContent = lines.length - 1;
      lastLine = i;
    }
    if (lastContent < 0) throw DECLINE; // an empty block scalar: rare, left to js-yaml
    // At the very end of a text without a final line break the last line has none to keep.
    if (lastLine === n - 1 && !t.endsWith('\n')) throw DECLINE;
    this.line = lastLine;
    const body = lines.slice(0, lastContent + 1).join('\n');
    if (chomp === 'strip') return body;
    if (chomp === 'clip') return `${body}\n`;
    return `${body}\n${'\n'.repeat(lines.length - 1 - lastContent)}`;
  }
}

/**
 * The value of one YAML document (the text between two `---` markers), or DECLINED when it is
 * outside this parser's subset, malformed, or nests collections more than `maxDepth` deep
 * (the root collection counting 1, as `deeperThan` counts). Never throws.
 */
export function parseBlockDocument(text: string, maxDepth: number, info?: { nullItem: boolean }): unknown {
  if (LONE_CR.test(text) || text.includes('\t') || text.includes('\uFEFF') || NON_PRINTABLE.test(text)) return DECLINED;
  try {
    const parser = new Parser(text, maxDepth);
    const value = parser.parseDocument();
    if (info) info.nullItem = parser.nullItem;
    return value;
  } catch (e: unknown) {
    if (e === DECLINE) return DECLINED;
    throw e;
  }
}
