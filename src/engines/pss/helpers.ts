/**
 * Small, allocation-light helpers shared by the checks. Inputs come from parsed YAML/JSON
 * and may have any shape; every accessor treats a wrong type as "not set", never throws.
 */
import type { PodSpec } from '../../model/workloads.js';
import type { PodView } from './types.js';
import { asRecord } from '../../core/records.js';

export type Obj = Record<string, unknown>;

/** A plain object (not an array), or undefined. */
export const obj: (v: unknown) => Obj | undefined = asRecord;

export function arr(v: unknown): readonly unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The container's name as upstream messages show it. */
export function nameOf(c: Obj): string {
  const n = c['name'];
  return typeof n === 'string' ? n : n === undefined || n === null ? '' : String(n);
}

/** `"a", "b"` — upstream's joinQuote. */
export function joinQuote(items: readonly string[]): string {
  if (items.length === 0) return '';
  return '"' + items.join('", "') + '"';
}

export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/** Sorted unique strings, by code unit (Go's sort.Strings on ASCII). */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareStrings);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const GO_ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 34: '\\"', 92: '\\\\' };

/**
 * Go's %q (strconv.Quote): printable characters as they are, `\a \b \t \n \v \f \r \" \\`,
 * other ASCII controls and DEL as `\xhh`, other non-printable characters as `\uhhhh` or
 * `\Uhhhhhhhh`. A lone surrogate (JSON lets one through) is U+FFFD, as Go's decoder reads it.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    let cp = ch.codePointAt(0) as number;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    const escape = GO_ESCAPES[cp];
    if (escape !== undefined) out += escape;
    else if (cp < 0x80 ? cp >= 0x20 && cp < 0x7f : GO_PRINTABLE.test(String.fromCodePoint(cp))) out += String.fromCodePoint(cp);
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return out + '"';
}

const GROUPS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/**
 * Every container object of the pod in upstream's visiting order: init containers,
 * containers, ephemeral containers (the API's EphemeralContainer has the same fields).
 */
export function podView(spec: PodSpec): PodView {
  const containers: Obj[] = [];
  const securityContexts: Array<Obj | undefined> = [];
  for (let g = 0; g < GROUPS.length; g++) {
    const list = (spec as Obj)[GROUPS[g]!];
    if (!Array.isArray(list)) continue;
    for (let i = 0; i < list.length; i++) {
      const c = list[i] as unknown;
      if (c !== null && typeof c === 'object' && !Array.isArray(c)) {
        containers.push(c as Obj);
        securityContexts.push(obj((c as Obj)['securityContext']));
      }
    }
  }
  return { containers, securityContexts, podSecurityContext: obj(spec.securityContext) };
}

/** `spec.os.name == "windows"`: restricted relaxes some Linux-only controls for such pods from v1.25. */
export function isWindowsPod(spec: PodSpec): boolean {
  const os = obj(spec.os);
  return os !== undefined && os['name'] === 'windows';
}

/** `spec.hostUsers: false`: the pod runs in a user namespace (relaxations from v1.35). */
export function inUserNamespace(spec: PodSpec): boolean {
  return (spec as Obj)['hostUsers'] === false;
}

/** "container \"a\"" / "containers \"a\", \"b\"". */
export function containersPhrase(names: readonly string[]): string {
  return pluralize('container', 'containers', names.length) + ' ' + joinQuote(names);
}
