/**
 * Python package version ordering (PEP 440), as the `packaging` library orders versions:
 * `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]` with the spellings PEP 440 normalises
 * (`alpha`, `c`, `pre`, `preview`, `rev`, `r`, implicit `-N` post releases, `_`/`-`/`.` separators).
 * Versions that are not PEP 440 are ordered as the former `LegacyVersion`: before every valid version,
 * and among themselves by setuptools' legacy key.
 */

const PEP440 =
  /^\s*v?(?:(?:(\d+)!)?(\d+(?:\.\d+)*)([-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\d+)?)?((?:-(\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\d+)?))?([-_.]?(dev)[-_.]?(\d+)?)?)(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;

export interface Pep440Version {
  epoch: bigint;
  release: bigint[];
  pre?: { letter: 'a' | 'b' | 'rc'; n: bigint };
  post?: bigint;
  dev?: bigint;
  local?: Array<bigint | string>;
}

function big(s: string | undefined): bigint {
  return s === undefined || s === '' ? 0n : BigInt(s);
}

export function parsePep440(v: string): Pep440Version | undefined {
  const m = PEP440.exec(v);
  if (!m) return undefined;
  const out: Pep440Version = { epoch: big(m[1]), release: m[2]!.split('.').map((x) => BigInt(x)) };
  if (m[4] !== undefined) {
    const l = m[4].toLowerCase();
    const letter = l === 'alpha' || l === 'a' ? 'a' : l === 'beta' || l === 'b' ? 'b' : 'rc';
    out.pre = { letter, n: big(m[5]) };
  }
  if (m[6] !== undefined) out.post = big(m[7] ?? m[9]);
  if (m[10] !== undefined) out.dev = big(m[12]);
  if (m[13] !== undefined) {
    out.local = m[13]
      .toLowerCase()
      .split(/[-_.]/)
      .map((p) => (/^\d+$/.test(p) ? BigInt(p) : p));
  }
  return out;
}

function cmp<T extends bigint | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compare with ±infinity markers, as packaging's `_cmpkey` does. */
type Slot = { inf: -1 | 1 } | { v: bigint } | { letter: string; n: bigint };

function slotRank(s: Slot): number {
  return 'inf' in s ? s.inf * 2 : 0;
}

function cmpSlot(a: Slot, b: Slot): number {
  const ra = slotRank(a);
  const rb = slotRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if ('v' in a && 'v' in b) return cmp(a.v, b.v);
  if ('letter' in a && 'letter' in b) return cmp(a.letter, b.letter) || cmp(a.n, b.n);
  return 0;
}

function preSlot(v: Pep440Version): Slot {
  if (v.pre === undefined && v.post === undefined && v.dev !== undefined) return { inf: -1 };
  if (v.pre === undefined) return { inf: 1 };
  return { letter: v.pre.letter, n: v.pre.n };
}

export function comparePep440Parsed(a: Pep440Version, b: Pep440Version): number {
  let c = cmp(a.epoch, b.epoch);
  if (c !== 0) return c;
  const ra = trimZeros(a.release);
  const rb = trimZeros(b.release);
  for (let i = 0; i < Math.max(ra.length, rb.length); i++) {
    const x = ra[i];
    const y = rb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    c = cmp(x, y);
    if (c !== 0) return c;
  }
  c = cmpSlot(preSlot(a), preSlot(b));
  if (c !== 0) return c;
  c = cmpSlot(a.post === undefined ? { inf: -1 } : { v: a.post }, b.post === undefined ? { inf: -1 } : { v: b.post });
  if (c !== 0) return c;
  c = cmpSlot(a.dev === undefined ? { inf: 1 } : { v: a.dev }, b.dev === undefined ? { inf: 1 } : { v: b.dev });
  if (c !== 0) return c;
  return compareLocal(a.local, b.local);
}

function trimZeros(r: bigint[]): bigint[] {
  let n = r.length;
  while (n > 0 && r[n - 1] === 0n) n--;
  return r.slice(0, n);
}

function compareLocal(a: Array<bigint | string> | undefined, b: Array<bigint | string> | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    // Numeric segments sort after alphanumeric ones.
    if (typeof x !== typeof y) return typeof x === 'string' ? -1 : 1;
    const c = cmp(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

const LEGACY_REPLACE: Record<string, string> = { pre: 'c', preview: 'c', '-': 'final-', rc: 'c', dev: '@' };

/** The legacy (setuptools) comparison key of a version string. */
export function legacyKey(v: string): string[] {
  const parts: string[] = [];
  const raw = v.toLowerCase().split(/(\d+|[a-z]+|\.|-)/);
  const pieces: string[] = [];
  for (const p0 of raw) {
    const p = LEGACY_REPLACE[p0] ?? p0;
    if (p === '' || p === '.') continue;
    pieces.push(/^\d/.test(p) ? p.padStart(8, '0') : `*${p}`);
  }
  pieces.push('*final');
  for (const part of pieces) {
    if (part.startsWith('*')) {
      if (part < '*final') {
        while (parts.length > 0 && parts[parts.length - 1] === '*final-') parts.pop();
      }
      while (parts.length > 0 && parts[parts.length - 1] === '00000000') parts.pop();
    }
    parts.push(part);
  }
  return parts;
}

function compareLegacy(a: string, b: string): number {
  const x = legacyKey(a);
  const y = legacyKey(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i];
    const q = y[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const c = cmp(p, q);
    if (c !== 0) return c;
  }
  return 0;
}

/** -1, 0 or 1: PEP 440 order of `a` and `b` (legacy versions first). */
export function comparePep440(a: string, b: string): number {
  const x = parsePep440(a);
  const y = parsePep440(b);
  if (x && y) return comparePep440Parsed(x, y);
  if (!x && !y) return compareLegacy(a, b);
  return x ? 1 : -1;
}

export function isValidPep440(v: string): boolean {
  return parsePep440(v) !== undefined;
}
