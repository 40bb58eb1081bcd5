/**
 * The loader's second parser, for documents the block parser (block-yaml.ts) declines:
 * js-yaml 4 reads manifests about 2.3 times faster than js-yaml 5 (1.2 s against 2.8 s for
 * 50,000 objects, BENCHMARKS.md). Scalars resolve exactly as in the loader's js-yaml 5 schema
 * (YAML 1.1, as Kubernetes reads them): the implicit types below ask js-yaml 5's own YAML 1.1
 * tags. Tests hold both parsers to the same values on every YAML file of the repository and
 * of the shared fixtures.
 *
 * js-yaml 4 has no depth or alias limits: callers check those on the values (aliases are
 * shared references, never copies, so parsing a bomb is cheap; expanding it is not).
 */
import { CORE_SCHEMA, boolYaml11Tag, floatYaml11Tag, intYaml11Tag, mergeTag, nullYaml11Tag } from 'js-yaml';
import { FAILSAFE_SCHEMA, loadAll as loadAllV4, Type, types } from 'js-yaml-v4';

type Tag = typeof intYaml11Tag;
const NOT_RESOLVED = intYaml11Tag.resolve('not a number', false, intYaml11Tag.tagName);

/** Integers as Go's strconv.ParseInt(s, 0, 64) reads them: sign, then 0x / 0b / 0o / 0 (octal) prefixes or decimal. */
const GO_INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[1-9][0-9]*|0)$/;
/** go-yaml v2's yamlStyleFloat. */
const GO_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const GO_SPECIAL_FLOATS: Record<string, number> = {
  '.nan': NaN, '.NaN': NaN, '.NAN': NaN,
  '.inf': Infinity, '.Inf': Infinity, '.INF': Infinity, '+.inf': Infinity, '+.Inf': Infinity, '+.INF': Infinity,
  '-.inf': -Infinity, '-.Inf': -Infinity, '-.INF': -Infinity,
};

function goInt(digits: string): number {
  const negative = digits.startsWith('-');
  const body = digits.replace(/^[-+]/, '');
  const lower = body.toLowerCase();
  const n =
    lower.startsWith('0x') ? parseInt(body.slice(2), 16)
    : lower.startsWith('0b') ? parseInt(body.slice(2), 2)
    : lower.startsWith('0o') ? parseInt(body.slice(2), 8)
    : body.length > 1 && body.startsWith('0') ? parseInt(body.slice(1), 8)
    : Number(body);
  return negative && n !== 0 ? -n : n;
}

/**
 * A plain scalar's number as go-yaml v2 (inside sigs.k8s.io/yaml, which kubectl and the API
 * server use) resolves it: `_` dropped, then a Go integer, else a yamlStyleFloat that parses
 * finitely, else a string (so `1e3` is 1000, `0o17` is 15, `08` is 8, and `12:30` a string,
 * where plain YAML 1.1 says otherwise). `kind` says which tag asks.
 */
function goNumber(source: string, kind: 'int' | 'float'): unknown {
  // go-yaml tries numbers only on scalars that start with a digit, a sign or a dot.
  if (!/^[-+.0-9]/.test(source)) return NOT_RESOLVED;
  if (source.startsWith('.') || source.startsWith('+.') || source.startsWith('-.')) {
    if (Object.hasOwn(GO_SPECIAL_FLOATS, source)) return kind === 'float' ? GO_SPECIAL_FLOATS[source] : NOT_RESOLVED;
  }
  const plain = source.startsWith('.') ? source : source.replaceAll('_', '');
  if (!source.startsWith('.') && GO_INT.test(plain)) return kind === 'int' ? goInt(plain) : NOT_RESOLVED;
  if (kind === 'float' && GO_FLOAT.test(plain)) {
    const f = Number(plain);
    if (Number.isFinite(f)) return f;
  }
  return NOT_RESOLVED;
}

/** A YAML 1.1 number tag of js-yaml 5 with go-yaml v2's resolution of plain scalars (explicit `!!int`/`!!float` unchanged). */
function goNumberTag(tag: Tag, kind: 'int' | 'float'): Tag {
  const firstChars = [...new Set([...(tag.implicitFirstChars ?? []), '-', '+', '.', ...'0123456789'])];
  return {
    ...tag,
    implicitFirstChars: firstChars,
    resolve: (source: string, isExplicit: boolean, tagName: string) => (isExplicit ? tag.resolve(source, isExplicit, tagName) : goNumber(source, kind)),
  } as Tag;
}

const GO_INT_TAG = goNumberTag(intYaml11Tag, 'int');
const GO_FLOAT_TAG = goNumberTag(floatYaml11Tag as unknown as Tag, 'float');

/**
 * js-yaml 5's schema for manifests: scalars as Kubernetes (sigs.k8s.io/yaml, go-yaml v2) reads
 * them — YAML 1.1 booleans and nulls (`yes`/`on`), numbers as go-yaml resolves them — and
 * merge keys. Used where a document is parsed on its own, with js-yaml 5's depth and alias limits.
 */
export const KUBERNETES_YAML_SCHEMA = CORE_SCHEMA.withTags(boolYaml11Tag, GO_INT_TAG, GO_FLOAT_TAG, nullYaml11Tag, mergeTag);

/** What the loader's parsers use of a js-yaml 5 scalar tag. */
export interface ScalarTag {
  tagName: string;
  /** First characters (`''`: the empty scalar) of the plain scalars the tag may resolve; null: any. */
  implicitFirstChars: readonly string[] | null;
  /** The value, or a symbol when the tag does not resolve `source`. */
  resolve(source: string, isExplicit: boolean, tagName: string): unknown;
}

/**
 * The implicit scalar tags of the loader's schema, which both faster parsers resolve
 * plain scalars through (the sets of scalars they take do not overlap: order does not matter).
 */
export const YAML11_SCALAR_TAGS = [nullYaml11Tag, boolYaml11Tag, GO_INT_TAG, GO_FLOAT_TAG] as unknown as readonly ScalarTag[];

/** A js-yaml 4 type resolving plain scalars through a js-yaml 5 tag (construct follows resolve at once). */
function viaTag(tag: ScalarTag): Type {
  let last: unknown;
  let lastSource: string | undefined;
  return new Type(tag.tagName, {
    kind: 'scalar',
    resolve(data) {
      const source = String(data ?? '');
      const v = tag.resolve(source, false, tag.tagName);
      if (typeof v === 'symbol') return false;
      last = v;
      lastSource = source;
      return true;
    },
    construct(data) {
      const source = String(data ?? '');
      return source === lastSource ? last : tag.resolve(source, false, tag.tagName);
    },
  });
}

const SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: YAML11_SCALAR_TAGS.map(viaTag).concat(types.merge),
});

/**
 * Keys that are collections (`? [a]`, `[a, b]: c`, `{a: 1}: c`) or aliases. js-yaml 5 rejects
 * collection keys, as Kubernetes does; js-yaml 4 turns them into strings. Texts that may hold
 * one are left to js-yaml 5. Matches inside quoted strings only cost the faster path.
 */
const COMPLEX_KEY = /(?:^|[\s[{,])\?(?:\s|$)|[\]}][ \t]*:(?:\s|$)|(?:^|[\s[{,])\*[^\s[\]{},]+[ \t]*:(?:\s|$)/m;

/**
 * An anchor (`&name`). Texts that may hold one are left to js-yaml 5, whose alias limit
 * (`maxAliases`) then applies whatever else the file holds; this parser has none.
 */
const ANCHOR = /(?:^|[\s[{,])&[^\s[\]{},]/m;

/**
 * Every document of a YAML stream (null for empty ones), or undefined when the text is not
 * for this parser: a syntax error, keys it would read differently (see COMPLEX_KEY), or
 * anchors (see ANCHOR).
 */
export function fastLoadAll(text: string): unknown[] | undefined {
  if (COMPLEX_KEY.test(text) || ANCHOR.test(text)) return undefined;
  try {
    return loadAllV4(text, null, { schema: SCHEMA });
  } catch {
    return undefined;
  }
}

/**
 * True when `value` nests more than `max` mappings and sequences deep. Iterative; a node
 * reached twice is walked twice (values from the fast path hold no aliases).
 */
export function deeperThan(value: unknown, max: number): boolean {
  const values: unknown[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const v = values.pop();
    const d = depths.pop() as number;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) return true;
    const children = Array.isArray(v) ? v : Object.values(v as object);
    for (const child of children) {
      if (child !== null && typeof child === 'object') {
        values.push(child);
        depths.push(d + 1);
      }
    }
  }
  return false;
}
