/**
 * Text → Kubernetes objects with their sources. YAML streams are split into documents
 * and each is parsed on its own (a malformed one is reported, its neighbours still
 * load); JSON is parsed natively. Positions are recovered lazily, only for the pointers
 * a finding asks about.
 */
import { YAMLException, load } from 'js-yaml';
import { deeperThan, fastLoadAll, KUBERNETES_YAML_SCHEMA as SCHEMA } from './fast-yaml.js';
import type { KubeObject, LoadProblem, Position, Resource } from '../core/types.js';
import { DEFAULT_LIMITS, expandedNodeCount, type LoadLimits } from './limits.js';
import { findJsonErrorOffset, jsonArrayElementOffsets, locateInJson, skipJsonValue } from './json-locate.js';
import { LineIndex, pointerSegments } from './text-position.js';
import { locateInYaml } from './yaml-locate.js';
import { splitYamlDocuments, type YamlDocumentText } from './yaml-split.js';
import { DECLINED, parseBlockDocument } from './block-yaml.js';
import { errorMessage } from '../core/errors.js';
import { escapeSegment } from '../core/json-pointer.js';
import { isRecord } from '../core/records.js';


export interface LoadResult {
  resources: Resource[];
  problems: LoadProblem[];
}

/** Offset in the text of a path's value (or key); `item` gives a List item's own finder directly. */
type OffsetFinder = ((segments: readonly string[]) => number) & { item?: (index: number) => OffsetFinder };

function problem(file: string, pos: Position, message: string, code: string, level: 'error' | 'warning' = 'error'): LoadProblem {
  return { file, line: pos.line, column: pos.column, message, code, level };
}


function kubeObjectOf(v: unknown): KubeObject | undefined {
  if (!isRecord(v)) return undefined;
  if (typeof v['apiVersion'] !== 'string' || typeof v['kind'] !== 'string' || v['kind'] === '') return undefined;
  if (!isRecord(v['metadata'])) v['metadata'] = {};
  if (v['kind'] === 'Secret') redactSecret(v);
  return v as KubeObject;
}

/** Secret values are never kept: only the key names survive loading. */
export function redactSecret(v: Record<string, unknown>): void {
  for (const field of ['data', 'stringData']) {
    const d = v[field];
    if (isRecord(d)) v[field] = Object.fromEntries(Object.keys(d).map((k) => [k, '']));
  }
}

/**
 * Turns one parsed document into resources: a single object, or the items of a `List`
 * / `*List` (as `kubectl get -o json|yaml` prints them).
 */
function collect(
  value: unknown,
  file: string,
  docIndex: number,
  docPos: () => Position,
  finder: OffsetFinder,
  index: LineIndex,
  out: LoadResult,
  mayHoldNullItems: boolean,
  template?: string,
): void {
  if (value === null || value === undefined) return;
  const obj = kubeObjectOf(value);
  if (!obj) {
    const missing = isRecord(value) ? ['apiVersion', 'kind'].filter((k) => typeof value[k] !== 'string' || value[k] === '').join(' and ') : '';
    const what = Array.isArray(value) ? 'a sequence' : isRecord(value) ? `a mapping without ${missing}` : `a ${typeof value}`;
    out.problems.push(problem(file, docPos(), `document ${docIndex + 1} is not a Kubernetes object (${what}); skipped`, 'input.notKubernetes', 'warning'));
    return;
  }
  const add = (o: KubeObject, f: OffsetFinder, itemIndex: number | undefined): void => {
    const resource = makeResource(o, file, docIndex, itemIndex, f, index);
    // The API (and kubectl) refuse an object whose identity fields are not strings.
    for (const field of IDENTITY_FIELDS) {
      const v: unknown = o.metadata[field];
      if (v === undefined || v === null || typeof v === 'string') continue;
      const what = Array.isArray(v) ? 'a sequence' : typeof v === 'object' ? 'a mapping' : `a ${typeof v}`;
      // `{{ include "x" . }}` reads as a flow mapping whose one key has no value.
      const helm = isRecord(v) && Object.values(v).every((x) => x === null) ? UNRENDERED_HELM_HINT : '';
      out.problems.push(problem(file, resource.locate(`/metadata/${field}`), `${o.kind}: metadata.${field} must be a string, got ${what}; skipped${helm}`, 'input.invalid'));
      return;
    }
    if (template !== undefined) resource.source.template = template;
    if (mayHoldNullItems) {
      const nulls = emptyNullItems(o);
      for (const at of nulls.slice(0, MAX_NULL_ITEM_WARNINGS)) {
        out.problems.push(problem(file, resource.locate(at), `${o.kind} ${JSON.stringify(o.metadata.name ?? '')}: list item ${at} is null; read as an empty object (the API server rejects or ignores it)`, 'input.nullItem', 'warning'));
      }
      if (nulls.length > MAX_NULL_ITEM_WARNINGS) {
        out.problems.push(problem(file, resource.locate(''), `${o.kind} ${JSON.stringify(o.metadata.name ?? '')}: ${nulls.length - MAX_NULL_ITEM_WARNINGS} more null list items`, 'input.nullItem', 'warning'));
      }
    }
    out.resources.push(resource);
  };
  // Lists are flattened as kubectl flattens them, Lists inside Lists included.
  const flatten = (list: KubeObject, f: OffsetFinder, depth: number): void => {
    const items = list['items'] as unknown[];
    const itemKind = list.kind === 'List' ? undefined : list.kind.slice(0, -'List'.length);
    items.forEach((item, i) => {
      if (isRecord(item) && itemKind !== undefined) {
        if (typeof item['kind'] !== 'string') item['kind'] = itemKind;
        if (typeof item['apiVersion'] !== 'string') item['apiVersion'] = list.apiVersion;
      }
      const child = kubeObjectOf(item);
      const itemFinder: OffsetFinder = f.item ? f.item(i) : (segs) => f(['items', String(i), ...segs]);
      if (!child) {
        out.problems.push(problem(file, index.position(itemFinder([])), `item ${i} of ${list.kind} is not a Kubernetes object; skipped`, 'input.notKubernetes', 'warning'));
        return;
      }
      if (isList(child) && depth < MAX_LIST_NESTING) flatten(child, itemFinder, depth + 1);
      else add(child, itemFinder, i);
    });
  };
  if (isList(obj)) flatten(obj, finder, 1);
  else add(obj, finder, undefined);
}

/** Null list items warned about one by one per object; the rest are counted. */
const MAX_NULL_ITEM_WARNINGS = 10;

/** Lists inside Lists are flattened this deep (kubectl has no limit; nobody nests further). */
const MAX_LIST_NESTING = 16;

function isList(o: KubeObject): boolean {
  return o.kind.endsWith('List') && Array.isArray(o['items']);
}

/**
 * Replaces `null` items of lists of objects (`volumes: [null]`, a `-` left empty by a template)
 * with empty objects, so every reader sees objects where Kubernetes types have them; lists that
 * hold strings or numbers are left alone. Returns their JSON pointers.
 */
function emptyNullItems(root: KubeObject): string[] {
  const found: string[] = [];
  const stack: Array<[unknown, string]> = [[root, '']];
  while (stack.length > 0) {
    const [v, at] = stack.pop() as [unknown, string];
    if (Array.isArray(v)) {
      const objects = v.every((x) => x === null || typeof x === 'object');
      for (let i = v.length - 1; i >= 0; i--) {
        if (v[i] === null && objects) {
          v[i] = {};
          found.push(`${at}/${i}`);
        } else if (v[i] !== null && typeof v[i] === 'object') stack.push([v[i], `${at}/${i}`]);
      }
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        const x = (v as Record<string, unknown>)[k];
        if (x !== null && typeof x === 'object') stack.push([x, `${at}/${escapeSegment(k)}`]);
      }
    }
  }
  return found.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** Whether YAML text that the block parser declined may hold a null sequence item (`- `, `- null`, `- ~`, `[null]`): only then is it walked for one. */
const YAML_NULL_ITEM = /(?:^|[\s[,])(?:null|Null|NULL|~)(?=[\s,\]#]|$)|^[ \t]*-[ \t]*(?:#.*)?$/m;

/** A source whose line and column are computed on first read (they cost a walk of the document). */
class LazySource {
  itemIndex?: number;
  template?: string;
  private pos: Position | undefined;
  constructor(
    readonly file: string,
    readonly docIndex: number,
    private readonly resource: LoadedResource,
  ) {}
  get line(): number {
    return (this.pos ??= this.resource.locate('')).line;
  }
  get column(): number {
    return (this.pos ??= this.resource.locate('')).column;
  }
}

/** One loaded object: a class rather than closures, since large inputs make tens of thousands. */
class LoadedResource implements Resource {
  readonly source: LazySource;
  constructor(
    readonly object: KubeObject,
    file: string,
    docIndex: number,
    itemIndex: number | undefined,
    private readonly finder: OffsetFinder,
    private readonly index: LineIndex,
  ) {
    this.source = new LazySource(file, docIndex, this);
    if (itemIndex !== undefined) this.source.itemIndex = itemIndex;
  }
  locate(pointer: string): Position {
    return this.index.position(this.finder(pointerSegments(pointer)));
  }
}

function makeResource(object: KubeObject, file: string, docIndex: number, itemIndex: number | undefined, finder: OffsetFinder, index: LineIndex): Resource {
  return new LoadedResource(object, file, docIndex, itemIndex, finder, index);
}

function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff) continue;
    return c === 123 || c === 91;
  }
  return false;
}

function jsonErrorPosition(text: string, e: unknown, index: LineIndex): Position {
  const m = /position (\d+)/.exec(e instanceof Error ? e.message : '');
  if (m) return index.position(Number(m[1]));
  // This engine's message carries no offset: a strict scan finds it.
  const at = findJsonErrorOffset(text);
  return index.position(at < 0 ? text.length : at);
}

/** V8's JSON messages quote the input; keep only the reason. */
function jsonReason(e: unknown): string {
  const msg = errorMessage(e);
  // The quoted text may hold a Secret's value: never repeated (`…"text"... is not valid JSON`).
  return msg.replace(/,?\s*(?:\.\.\.)?"[\s\S]*"(?:\.\.\.)? is not valid JSON$/, '').replace(/\s*in JSON at position \d+.*$/, '');
}

type JsonParse = { ok: true; value: unknown } | { ok: false; error: unknown };

function parseJson(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error: unknown) {
    return { ok: false, error };
  }
}

function loadJson(text: string, file: string, parsed: JsonParse, index: LineIndex, out: LoadResult): void {
  if (!parsed.ok) {
    const e = parsed.error;
    out.problems.push(problem(file, jsonErrorPosition(text, e, index), `invalid JSON: ${jsonReason(e)}`, 'input.json'));
    return;
  }
  const value = parsed.value;
  const mayHoldNulls = text.includes('null');
  const start = text.search(/\S/);
  let itemOffsets: number[] | undefined;
  const finder: OffsetFinder = (segs) => locateInJson(text, start, segs);
  // A List's items are located once, then each item is walked on its own.
  finder.item = (i) => (segs) => {
    itemOffsets ??= jsonArrayElementOffsets(text, locateInJsonValue(text, start, ['items']));
    const off = itemOffsets[i];
    return off === undefined ? locateInJson(text, start, ['items', String(i), ...segs]) : locateInJson(text, off, segs);
  };
  if (Array.isArray(value)) {
    // A bare JSON array of objects: treat it as a List.
    let offsets: number[] | undefined;
    value.forEach((item, i) => {
      const itemFinder: OffsetFinder = (segs) => {
        offsets ??= jsonArrayElementOffsets(text, start);
        return locateInJson(text, offsets[i] ?? start, segs);
      };
      collect(item, file, i, () => index.position(itemFinder([])), itemFinder, index, out, mayHoldNulls);
    });
    return;
  }
  collect(value, file, 0, () => index.position(Math.max(0, start)), finder, index, out, mayHoldNulls);
}

/**
 * JSON values one after another (`kubectl get -o json … | jq '.items[]'`), which kubectl reads
 * as a stream: each object is a document. False, with nothing loaded, unless the text is two or
 * more objects that each parse.
 */
function loadJsonStream(text: string, file: string, index: LineIndex, out: LoadResult): boolean {
  const parts: Array<{ start: number; value: unknown }> = [];
  // The next non-space character from an offset, without copying the rest of the text.
  const nonSpace = /\S/g;
  const from = (at: number): number => {
    nonSpace.lastIndex = at;
    return nonSpace.exec(text)?.index ?? -1;
  };
  for (let i = from(0); i >= 0; ) {
    if (text.charCodeAt(i) !== 123) return false;
    const end = skipJsonValue(text, i);
    const parsed = parseJson(text.slice(i, end));
    if (!parsed.ok) return false;
    parts.push({ start: i, value: parsed.value });
    i = from(end);
  }
  if (parts.length < 2) return false;
  const mayHoldNulls = text.includes('null');
  parts.forEach(({ start, value }, docIndex) => {
    const finder: OffsetFinder = (segs) => locateInJson(text, start, segs);
    collect(value, file, docIndex, () => index.position(start), finder, index, out, mayHoldNulls);
  });
  return true;
}

/** Offset of the value (not the key) of a member path in JSON text. */
function locateInJsonValue(text: string, start: number, segs: readonly string[]): number {
  const keyOff = locateInJson(text, start, segs);
  if (segs.length === 0) return keyOff;
  // Skip `"key"` and `:` to reach the value.
  const colon = text.indexOf(':', keyOff);
  return colon < 0 ? keyOff : colon + 1;
}

const UNRENDERED_HELM_HINT = ' (this looks like an unrendered Helm template: render it first, e.g. `helm template <chart> | kubeward scan -`)';

/** Unrendered Helm (Go template) text does not parse as YAML; say what to do about it. */
function templateHint(text: string): string {
  return /\{\{-?\s*[-.$\w(]/.test(text) ? UNRENDERED_HELM_HINT : '';
}

/** Metadata fields that name an object: strings, or the object is refused. */
const IDENTITY_FIELDS = ['name', 'namespace', 'generateName'] as const;

/** Returned by parseYamlDocument for a document that is not loaded (its problem is reported). */
const SKIPPED: unique symbol = Symbol('skipped');

/**
 * One document's value, from the fastest parser that takes it: the line-by-line parser for
 * the block-style subset manifests are written in (block-yaml.ts; it declines anchors and what
 * is nested too deeply), then js-yaml 4 (fast-yaml.ts; it declines anchors, its depth is
 * measured here), then js-yaml 5 (its own depth and alias limits; alias expansion bounded
 * here). Problems go to `out`; `nulls.nullItem` says whether a sequence may hold a null item.
 */
function parseYamlDocument(doc: YamlDocumentText, file: string, index: LineIndex, limits: LoadLimits, out: LoadResult, nulls: { nullItem: boolean }): unknown {
  const docStart = (): Position => index.position(doc.offset + Math.max(0, doc.text.search(/[^\s-]/)));
  const skip = (message: string, code: string, at: Position = docStart()): typeof SKIPPED => {
    out.problems.push(problem(file, at, message, code));
    return SKIPPED;
  };
  const info = { nullItem: false };
  const block = parseBlockDocument(doc.text, limits.maxDepth, info);
  if (block !== DECLINED) {
    nulls.nullItem = info.nullItem;
    return block;
  }
  nulls.nullItem = YAML_NULL_ITEM.test(doc.text);
  const fast = fastLoadAll(doc.text);
  if (fast !== undefined && fast.length === 1 && fast[0] !== null && fast[0] !== undefined) {
    return deeperThan(fast[0], limits.maxDepth) ? skip(`document ${doc.index + 1} is nested too deeply`, 'input.limit') : fast[0];
  }
  let value: unknown;
  try {
    value = load(doc.text, { schema: SCHEMA, maxDepth: limits.maxDepth, maxAliases: limits.maxAliases, filename: file });
  } catch (e: unknown) {
    if (e instanceof YAMLException && e.mark) return skip(`invalid YAML: ${e.reason}${templateHint(doc.text)}`, 'input.yaml', index.position(doc.offset + e.mark.position));
    if (e instanceof RangeError) return skip(`document ${doc.index + 1} is nested too deeply`, 'input.limit');
    return skip(`invalid YAML: ${errorMessage(e)}${templateHint(doc.text)}`, 'input.yaml');
  }
  if (doc.text.includes('&') && expandedNodeCount(value, limits.maxExpandedNodes) < 0) {
    return skip(`document ${doc.index + 1} expands to more than ${limits.maxExpandedNodes} nodes through aliases (alias bomb?); skipped`, 'input.limit');
  }
  return value;
}

/** `helm template` heads every document with `# Source: <chart>/templates/<file>`; the comment lines before the content are read for it. */
export function helmTemplateOf(text: string): string | undefined {
  if (!text.includes('# Source: ')) return undefined;
  for (let at = 0, lines = 0; at < text.length && lines < 20; lines++) {
    let eol = text.indexOf('\n', at);
    if (eol < 0) eol = text.length;
    const line = text.slice(at, eol).trim();
    at = eol + 1;
    if (line === '') continue;
    if (!line.startsWith('#')) return undefined;
    if (line.startsWith('# Source: ')) {
      const source = line.slice('# Source: '.length).trim();
      return source === '' ? undefined : source;
    }
  }
  return undefined;
}

/** Each document parsed on its own, so a malformed one is reported with its position while its neighbours load. */
function loadYaml(text: string, file: string, index: LineIndex, limits: LoadLimits, out: LoadResult): void {
  const nulls = { nullItem: false };
  for (const doc of splitYamlDocuments(text)) {
    const value = parseYamlDocument(doc, file, index, limits, out, nulls);
    if (value === SKIPPED) continue;
    const finder: OffsetFinder = (segs) => doc.offset + locateInYaml(doc.text, segs);
    collect(value, file, doc.index, () => index.position(finder([])), finder, index, out, nulls.nullItem, helmTemplateOf(doc.text));
  }
}

/** Loads every Kubernetes object in `text`, collecting problems instead of throwing. */
export function loadText(text: string, file: string, limits: Partial<LoadLimits> = {}): LoadResult {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  const out: LoadResult = { resources: [], problems: [] };
  const index = new LineIndex(text);
  if (text.length > lim.maxFileBytes) {
    out.problems.push(problem(file, { line: 1, column: 1 }, `input is larger than the limit of ${lim.maxFileBytes} bytes; skipped`, 'input.limit'));
    return out;
  }
  if (file.endsWith('.json') || looksLikeJson(text)) {
    const parsed = parseJson(text);
    if (!parsed.ok && loadJsonStream(text, file, index, out)) return out;
    // Flow-style YAML can start with `{` too: outside .json files, YAML gets its turn when JSON fails.
    if (parsed.ok || file.endsWith('.json')) {
      loadJson(text, file, parsed, index, out);
      return out;
    }
  }
  loadYaml(text, file, index, lim, out);
  return out;
}
