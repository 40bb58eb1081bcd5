/**
 * Debian package version ordering, as `dpkg --compare-versions` (Debian Policy 5.6.12):
 * `[epoch:]upstream[-revision]`; epochs numerically, then upstream and revision with the
 * dpkg algorithm (non-digit runs compared character by character where `~` sorts before
 * everything, even the end of the string, and letters before other characters; digit runs numerically).
 */

export interface DpkgVersion {
  epoch: string;
  upstream: string;
  revision: string;
}

export function parseDpkgVersion(v: string): DpkgVersion {
  const s = v.trim();
  let epoch = '0';
  let rest = s;
  const colon = s.indexOf(':');
  if (colon >= 0) {
    epoch = s.slice(0, colon) || '0';
    rest = s.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  if (dash >= 0) return { epoch, upstream: rest.slice(0, dash), revision: rest.slice(dash + 1) };
  return { epoch, upstream: rest, revision: '' };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Weight of one character in a non-digit run; `0` stands for "end of run". */
function order(c: number): number {
  if (Number.isNaN(c) || isDigit(c)) return 0;
  if (isAlpha(c)) return c;
  if (c === 126 /* ~ */) return -1;
  return c + 256;
}

/** Compares two digit strings numerically without a size limit. */
export function compareDigits(a: string, b: string): number {
  let i = 0;
  while (i < a.length - 1 && a.charCodeAt(i) === 48) i++;
  let j = 0;
  while (j < b.length - 1 && b.charCodeAt(j) === 48) j++;
  const x = a.slice(i);
  const y = b.slice(j);
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = order(i < a.length ? a.charCodeAt(i) : Number.NaN);
      const bc = order(j < b.length ? b.charCodeAt(j) : Number.NaN);
      if (ac !== bc) return ac < bc ? -1 : 1;
      i++;
      j++;
    }
    const si = i;
    while (i < a.length && isDigit(a.charCodeAt(i))) i++;
    const sj = j;
    while (j < b.length && isDigit(b.charCodeAt(j))) j++;
    firstDiff = compareDigits(a.slice(si, i) || '0', b.slice(sj, j) || '0');
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

/** -1, 0 or 1, as dpkg orders `a` and `b`. */
export function compareDpkg(a: string, b: string): number {
  const x = parseDpkgVersion(a);
  const y = parseDpkgVersion(b);
  const e = compareDigits(x.epoch, y.epoch);
  if (e !== 0) return e;
  const u = verrevcmp(x.upstream, y.upstream);
  if (u !== 0) return u;
  return verrevcmp(x.revision, y.revision);
}

/** A dpkg version is acceptable when its epoch is numeric and its upstream part starts with a digit. */
export function isValidDpkgVersion(v: string): boolean {
  const p = parseDpkgVersion(v);
  return /^\d+$/.test(p.epoch) && /^\d[A-Za-z0-9.+~:-]*$/.test(p.upstream) && /^[A-Za-z0-9.+~]*$/.test(p.revision);
}
