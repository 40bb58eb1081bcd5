/**
 * Alpine apk version ordering, as apk-tools compares versions:
 * `digits{.digits}[letter]{_suffix[N]}[-rN]`, where `_alpha`, `_beta`, `_pre`, `_rc` sort before the
 * plain release and `_cvs`, `_svn`, `_git`, `_hg`, `_p` after it, components after a `.` with
 * leading zeros compare as fractions, and `-rN` revisions numerically (`-r9 < -r14`).
 * Malformed tails stop the comparison at the first invalid token, as apk does.
 */

const INVALID = -1;
const DIGIT_OR_ZERO = 0;
const DIGIT = 1;
const LETTER = 2;
const SUFFIX = 3;
const SUFFIX_NO = 4;
const REVISION_NO = 5;
const END = 6;

const PRE_SUFFIXES = ['alpha', 'beta', 'pre', 'rc'] as const;
const POST_SUFFIXES = ['cvs', 'svn', 'git', 'hg', 'p'] as const;

interface Cursor {
  s: string;
  i: number;
  type: number;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isLower(c: string | undefined): boolean {
  return c !== undefined && c >= 'a' && c <= 'z';
}

function nextToken(c: Cursor): void {
  let n = INVALID;
  const ch = c.s[c.i];
  if (c.i >= c.s.length) {
    n = END;
  } else if ((c.type === DIGIT || c.type === DIGIT_OR_ZERO) && isLower(ch)) {
    n = LETTER;
  } else if (c.type === LETTER && isDigit(ch)) {
    n = DIGIT;
  } else if (c.type === SUFFIX && isDigit(ch)) {
    n = SUFFIX_NO;
  } else {
    if (ch === '.') n = DIGIT_OR_ZERO;
    else if (ch === '_') n = SUFFIX;
    else if (ch === '-') {
      if (c.s[c.i + 1] === 'r') {
        n = REVISION_NO;
        c.i++;
      } else n = INVALID;
    }
    c.i++;
  }
  if (n < c.type) {
    if (!((n === DIGIT_OR_ZERO && c.type === DIGIT) || (n === SUFFIX && c.type === SUFFIX_NO) || (n === DIGIT && c.type === LETTER))) {
      n = INVALID;
    }
  }
  c.type = n;
}

/** Token values may exceed 2^53 (dates, long digit runs): digits are compared as bigint. */
function getToken(c: Cursor): bigint {
  if (c.i >= c.s.length) {
    c.type = END;
    return 0n;
  }
  let v = 0n;
  let i = c.i;
  let nt = INVALID;
  switch (c.type) {
    case DIGIT_OR_ZERO:
      if (c.s[i] === '0') {
        while (i < c.s.length && c.s[i] === '0') i++;
        nt = DIGIT;
        v = BigInt(-(i - c.i));
        break;
      }
    // falls through
    case DIGIT:
    case SUFFIX_NO:
    case REVISION_NO: {
      const start = i;
      while (i < c.s.length && isDigit(c.s[i])) i++;
      v = i > start ? BigInt(c.s.slice(start, i)) : 0n;
      break;
    }
    case LETTER:
      v = BigInt(c.s.charCodeAt(i));
      i++;
      break;
    case SUFFIX: {
      const rest = c.s.slice(i);
      const pre = PRE_SUFFIXES.findIndex((p) => rest.startsWith(p));
      if (pre >= 0) {
        v = BigInt(pre - PRE_SUFFIXES.length);
        i += PRE_SUFFIXES[pre]!.length;
        break;
      }
      const post = POST_SUFFIXES.findIndex((p) => rest.startsWith(p));
      if (post >= 0) {
        v = BigInt(post);
        i += POST_SUFFIXES[post]!.length;
        break;
      }
      c.type = INVALID;
      return -1n;
    }
    default:
      c.type = INVALID;
      return -1n;
  }
  c.i = i;
  if (c.i >= c.s.length) c.type = END;
  else if (nt !== INVALID) c.type = nt;
  else nextToken(c);
  return v;
}

/** -1, 0 or 1, as apk orders `a` and `b`. */
export function compareApk(a: string, b: string): number {
  const ca: Cursor = { s: a, i: 0, type: DIGIT };
  const cb: Cursor = { s: b, i: 0, type: DIGIT };
  let av = 0n;
  let bv = 0n;
  while (ca.type === cb.type && ca.type !== END && ca.type !== INVALID && av === bv) {
    av = getToken(ca);
    bv = getToken(cb);
  }
  if (av < bv) return -1;
  if (av > bv) return 1;
  if (ca.type === cb.type) return 0;
  // Equal so far: the longer version is greater unless it continues with a pre-release suffix.
  if (ca.type === SUFFIX && getToken({ ...ca }) < 0n) return -1;
  if (cb.type === SUFFIX && getToken({ ...cb }) < 0n) return 1;
  if (ca.type > cb.type) return -1;
  if (cb.type > ca.type) return 1;
  return 0;
}

/** apk's own validity test: the whole string tokenizes without an invalid token. */
export function isValidApkVersion(v: string): boolean {
  if (v.length === 0) return false;
  const c: Cursor = { s: v, i: 0, type: DIGIT };
  while (c.type !== END) {
    getToken(c);
    if (c.type === INVALID) return false;
  }
  return true;
}
