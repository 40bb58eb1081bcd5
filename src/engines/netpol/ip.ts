/**
 * IP address ranges for ipBlock peers. IPv4 and IPv6 share one bigint number line: an IPv4
 * address `a` is `a`, an IPv6 address `b` is `2^32 + b`, so one interval type covers both
 * families and a block never mixes them.
 */

export interface IpRange {
  readonly lo: bigint;
  readonly hi: bigint;
}

export const V4_SIZE = 1n << 32n;
export const V6_OFFSET = V4_SIZE;
export const V6_SIZE = 1n << 128n;

export const IPV4_ALL: IpRange = { lo: 0n, hi: V4_SIZE - 1n };
export const IPV6_ALL: IpRange = { lo: V6_OFFSET, hi: V6_OFFSET + V6_SIZE - 1n };

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseV6(s: string): bigint | undefined {
  let text = s;
  // Embedded IPv4 tail (::ffff:1.2.3.4).
  let tail: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tail = parseV4(text.slice(lastColon + 1));
    if (tail === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : (halves[0] as string).split(':');
  const rest = halves.length === 2 ? (halves[1] === '' ? [] : (halves[1] as string).split(':')) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  if (tail !== undefined) v = (v & ~0xffffffffn) | tail;
  return v;
}

/** Parses an address (IPv4 or IPv6) to its position on the shared number line. */
export function parseAddress(s: string): bigint | undefined {
  const t = s.trim();
  if (t.includes(':')) {
    const v = parseV6(t);
    return v === undefined ? undefined : V6_OFFSET + v;
  }
  return parseV4(t);
}

/** Parses `a.b.c.d/n` or `x::/n` (a bare address is a /32 or /128). Host bits are ignored. */
export function parseCidr(s: string): IpRange | undefined {
  const t = s.trim();
  const slash = t.indexOf('/');
  const addr = slash < 0 ? t : t.slice(0, slash);
  const v6 = addr.includes(':');
  const bits = v6 ? 128 : 32;
  const len = slash < 0 ? bits : Number(t.slice(slash + 1));
  if (!Number.isInteger(len) || len < 0 || len > bits || (slash >= 0 && !/^\d+$/.test(t.slice(slash + 1)))) return undefined;
  const a = parseAddress(addr);
  if (a === undefined) return undefined;
  const base = v6 ? a - V6_OFFSET : a;
  const hostBits = BigInt(bits - len);
  const lo = (base >> hostBits) << hostBits;
  const hi = lo + (1n << hostBits) - 1n;
  const off = v6 ? V6_OFFSET : 0n;
  return { lo: lo + off, hi: hi + off };
}

/** Normalises ranges: sorted, merged when overlapping or adjacent. */
export function normaliseRanges(ranges: readonly IpRange[]): IpRange[] {
  const sorted = [...ranges].sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const out: IpRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.lo <= last.hi + 1n) {
      if (r.hi > last.hi) out[out.length - 1] = { lo: last.lo, hi: r.hi };
    } else out.push(r);
  }
  return out;
}

/** `base` minus every range of `minus`. */
export function subtractRanges(base: readonly IpRange[], minus: readonly IpRange[]): IpRange[] {
  let cur = normaliseRanges(base);
  for (const m of normaliseRanges(minus)) {
    const next: IpRange[] = [];
    for (const r of cur) {
      if (m.hi < r.lo || m.lo > r.hi) {
        next.push(r);
        continue;
      }
      if (m.lo > r.lo) next.push({ lo: r.lo, hi: m.lo - 1n });
      if (m.hi < r.hi) next.push({ lo: m.hi + 1n, hi: r.hi });
    }
    cur = next;
  }
  return cur;
}

/** True when the whole of `r` lies inside one range of `set` (normalised). */
export function rangeWithin(r: IpRange, set: readonly IpRange[]): boolean {
  for (const s of set) if (r.lo >= s.lo && r.hi <= s.hi) return true;
  return false;
}

export function isV6(v: bigint): boolean {
  return v >= V6_OFFSET;
}

export function formatAddress(v: bigint): string {
  if (!isV6(v)) {
    const n = Number(v);
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  }
  const x = v - V6_OFFSET;
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((x >> BigInt(i * 16)) & 0xffffn));
  // Longest run of zero groups (length ≥ 2) becomes `::` (RFC 5952).
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** `first-last`, as connectivity lists print an external range. */
export function formatRange(r: IpRange): string {
  return `${formatAddress(r.lo)}-${formatAddress(r.hi)}`;
}

/** Parses `first-last`, a CIDR, or a single address. */
export function parseRangeText(s: string): IpRange | undefined {
  const t = s.trim().replace(/\[External\]$/, '');
  const dash = t.indexOf('-');
  if (dash > 0) {
    const lo = parseAddress(t.slice(0, dash));
    const hi = parseAddress(t.slice(dash + 1));
    if (lo === undefined || hi === undefined || hi < lo) return undefined;
    return { lo, hi };
  }
  return parseCidr(t);
}

/**
 * Cuts `universe` into consecutive ranges at every boundary of `blocks`: each result range lies
 * entirely inside or entirely outside every block.
 */
export function cutUniverse(universe: readonly IpRange[], blocks: readonly IpRange[]): IpRange[] {
  const points = new Set<bigint>();
  for (const b of blocks) {
    points.add(b.lo);
    points.add(b.hi + 1n);
  }
  const sorted = [...points].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: IpRange[] = [];
  for (const u of universe) {
    let start = u.lo;
    for (const p of sorted) {
      if (p <= start || p > u.hi) continue;
      out.push({ lo: start, hi: p - 1n });
      start = p;
    }
    out.push({ lo: start, hi: u.hi });
  }
  return out;
}
