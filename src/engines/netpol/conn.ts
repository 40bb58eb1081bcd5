/**
 * Connection sets: for each of SCTP, TCP and UDP, a set of ports in 1–65535 kept as sorted,
 * disjoint, non-adjacent inclusive ranges. Sets are interned (one object per distinct value,
 * with a small integer `id`), so equality is identity and set operations can be memoised by id
 * pair — the connectivity computation performs millions of them on a handful of distinct sets.
 */

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** Flat list of inclusive ranges: [lo0, hi0, lo1, hi1, …], sorted, disjoint, non-adjacent. */
export type PortRanges = readonly number[];

export interface ConnSet {
  readonly id: number;
  /** Canonical text, also the interning key: `SCTP …;TCP …;UDP …`. */
  readonly key: string;
  readonly SCTP: PortRanges;
  readonly TCP: PortRanges;
  readonly UDP: PortRanges;
}

const FULL: PortRanges = [MIN_PORT, MAX_PORT];
const NONE: PortRanges = [];

const interned = new Map<string, ConnSet>();
const byId: ConnSet[] = [];

function rangesKey(r: PortRanges): string {
  let s = '';
  for (let i = 0; i < r.length; i += 2) {
    if (i > 0) s += ',';
    s += r[i] === r[i + 1] ? `${r[i]}` : `${r[i]}-${r[i + 1]}`;
  }
  return s;
}

function intern(sctp: PortRanges, tcp: PortRanges, udp: PortRanges): ConnSet {
  const key = `SCTP ${rangesKey(sctp)};TCP ${rangesKey(tcp)};UDP ${rangesKey(udp)}`;
  const found = interned.get(key);
  if (found) return found;
  const c: ConnSet = Object.freeze({ id: byId.length, key, SCTP: sctp, TCP: tcp, UDP: udp });
  interned.set(key, c);
  byId.push(c);
  return c;
}

export const EMPTY: ConnSet = intern(NONE, NONE, NONE);
export const ALL: ConnSet = intern(FULL, FULL, FULL);

/** Normalise arbitrary [lo, hi] pairs (clamped to 1–65535) into canonical ranges. */
function normalise(pairs: Array<[number, number]>): PortRanges {
  const clean = pairs
    .map(([lo, hi]) => [Math.max(MIN_PORT, lo), Math.min(MAX_PORT, hi)] as [number, number])
    .filter(([lo, hi]) => lo <= hi)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: number[] = [];
  for (const [lo, hi] of clean) {
    const n = out.length;
    if (n > 0 && lo <= (out[n - 1] as number) + 1) {
      if (hi > (out[n - 1] as number)) out[n - 1] = hi;
    } else out.push(lo, hi);
  }
  return out;
}

function toPairs(r: PortRanges): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < r.length; i += 2) out.push([r[i] as number, r[i + 1] as number]);
  return out;
}

function unionRanges(a: PortRanges, b: PortRanges): PortRanges {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  return normalise([...toPairs(a), ...toPairs(b)]);
}

function intersectRanges(a: PortRanges, b: PortRanges): PortRanges {
  const out: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i] as number, b[j] as number);
    const hi = Math.min(a[i + 1] as number, b[j + 1] as number);
    if (lo <= hi) out.push([lo, hi]);
    if ((a[i + 1] as number) < (b[j + 1] as number)) i += 2;
    else j += 2;
  }
  return normalise(out);
}

function complementRanges(a: PortRanges): PortRanges {
  const out: Array<[number, number]> = [];
  let next = MIN_PORT;
  for (let i = 0; i < a.length; i += 2) {
    if ((a[i] as number) > next) out.push([next, (a[i] as number) - 1]);
    next = (a[i + 1] as number) + 1;
  }
  if (next <= MAX_PORT) out.push([next, MAX_PORT]);
  return normalise(out);
}

const unionMemo = new Map<number, ConnSet>();
const intersectMemo = new Map<number, ConnSet>();
const subtractMemo = new Map<number, ConnSet>();
const PAIR = 4194304; // 2^22 distinct sets is far beyond any real input

export function connById(id: number): ConnSet {
  return byId[id] as ConnSet;
}

export function union(a: ConnSet, b: ConnSet): ConnSet {
  if (a === b || b === EMPTY || a === ALL) return a;
  if (a === EMPTY || b === ALL) return b;
  const k = a.id < b.id ? a.id * PAIR + b.id : b.id * PAIR + a.id;
  let r = unionMemo.get(k);
  if (!r) {
    r = intern(unionRanges(a.SCTP, b.SCTP), unionRanges(a.TCP, b.TCP), unionRanges(a.UDP, b.UDP));
    unionMemo.set(k, r);
  }
  return r;
}

export function intersect(a: ConnSet, b: ConnSet): ConnSet {
  if (a === b || b === ALL || a === EMPTY) return a;
  if (a === ALL || b === EMPTY) return b;
  const k = a.id < b.id ? a.id * PAIR + b.id : b.id * PAIR + a.id;
  let r = intersectMemo.get(k);
  if (!r) {
    r = intern(intersectRanges(a.SCTP, b.SCTP), intersectRanges(a.TCP, b.TCP), intersectRanges(a.UDP, b.UDP));
    intersectMemo.set(k, r);
  }
  return r;
}

/** a minus b. */
export function subtract(a: ConnSet, b: ConnSet): ConnSet {
  if (a === EMPTY || b === EMPTY) return a;
  if (b === ALL || a === b) return EMPTY;
  const k = a.id * PAIR + b.id;
  let r = subtractMemo.get(k);
  if (!r) {
    r = intern(
      intersectRanges(a.SCTP, complementRanges(b.SCTP)),
      intersectRanges(a.TCP, complementRanges(b.TCP)),
      intersectRanges(a.UDP, complementRanges(b.UDP)),
    );
    subtractMemo.set(k, r);
  }
  return r;
}

export function isSubset(a: ConnSet, b: ConnSet): boolean {
  return subtract(a, b) === EMPTY;
}

/** One protocol with a port range (inclusive). Ports outside 1–65535 are clamped away. */
export function portRange(protocol: Protocol, lo: number, hi: number): ConnSet {
  const r = normalise([[lo, hi]]);
  return intern(protocol === 'SCTP' ? r : NONE, protocol === 'TCP' ? r : NONE, protocol === 'UDP' ? r : NONE);
}

/** Every port of one protocol. */
export function allPorts(protocol: Protocol): ConnSet {
  return portRange(protocol, MIN_PORT, MAX_PORT);
}

export function isProtocol(p: unknown): p is Protocol {
  return p === 'TCP' || p === 'UDP' || p === 'SCTP';
}

/** True when the set contains `port` of `protocol`. */
export function containsPort(c: ConnSet, protocol: Protocol, port: number): boolean {
  const r = c[protocol];
  for (let i = 0; i < r.length; i += 2) if (port >= (r[i] as number) && port <= (r[i + 1] as number)) return true;
  return false;
}

/**
 * The analyzer-compatible text: `All Connections`, `No Connections`, or protocol groups in the
 * order SCTP, TCP, UDP with comma-joined ports and ranges: `TCP 80,8080-8090,UDP 53`.
 */
export function formatConn(c: ConnSet): string {
  if (c === ALL) return 'All Connections';
  if (c === EMPTY) return 'No Connections';
  const parts: string[] = [];
  for (const p of PROTOCOLS) if (c[p].length > 0) parts.push(`${p} ${rangesKey(c[p])}`);
  return parts.join(',');
}

/**
 * Parses the text `formatConn` writes (and the same with spaces or `/` between protocol and ports,
 * e.g. `TCP/80`). Returns undefined when the text is not a connection set.
 */
export function parseConn(text: string): ConnSet | undefined {
  const t = text.trim();
  if (t === 'All Connections' || t.toLowerCase() === 'all') return ALL;
  if (t === 'No Connections' || t === '') return EMPTY;
  const ranges: Record<Protocol, Array<[number, number]>> = { SCTP: [], TCP: [], UDP: [] };
  let current: Protocol | undefined;
  for (const raw of t.split(',')) {
    let tok = raw.trim();
    const m = /^(SCTP|TCP|UDP)(?:[\s/]+(.*))?$/i.exec(tok);
    if (m) {
      current = (m[1] as string).toUpperCase() as Protocol;
      tok = (m[2] ?? '').trim();
      if (tok === '') {
        ranges[current].push([MIN_PORT, MAX_PORT]);
        continue;
      }
    }
    if (!current) return undefined;
    const r = /^(\d+)(?:-(\d+))?$/.exec(tok);
    if (!r) return undefined;
    const lo = Number(r[1]);
    ranges[current].push([lo, r[2] !== undefined ? Number(r[2]) : lo]);
  }
  return intern(normalise(ranges.SCTP), normalise(ranges.TCP), normalise(ranges.UDP));
}

/** Explicit ranges of a set, for JSON output and synthesis. */
export function connRanges(c: ConnSet): Record<Protocol, Array<[number, number]>> {
  return { SCTP: toPairs(c.SCTP), TCP: toPairs(c.TCP), UDP: toPairs(c.UDP) };
}
