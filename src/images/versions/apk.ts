/**
 * Alpine apk version ordering: `number{.number}…{letter}{_suffix{number}}…{~hash}{-r#}`
 * (apk-package(5)). Components compare numerically (after the first, one with a leading zero
 * compares as a string, like a decimal fraction), then the optional letter, then suffixes
 * (`_alpha` < `_beta` < `_pre` < `_rc` < none < `_cvs` < `_svn` < `_git` < `_hg` < `_p`), then the
 * `-rN` revision numerically (`-r9 < -r14`). The commit hash is not ordered. A version with
 * unparsable trailing text sorts below the same version without it, and two malformed versions
 * compare as plain strings, as current apk-tools orders them.
 */

const SUFFIX_WEIGHTS: Readonly<Record<string, number>> = {
  alpha: 0,
  beta: 1,
  pre: 2,
  rc: 3,
  cvs: 5,
  svn: 6,
  git: 7,
  hg: 8,
  p: 9,
};
const NO_SUFFIX = 4;

interface Component {
  text: string;
  value: bigint;
  first: boolean;
}

export interface ApkVersion {
  original: string;
  components: Component[];
  letter: string;
  suffixes: Array<{ weight: number; n: bigint }>;
  revision: bigint;
  /** Text left over after the grammar above; non-empty means the version is malformed. */
  remainder: string;
  /** True when the text after the suffixes is neither empty nor a `-r` revision. */
  invalid: boolean;
}

function big(s: string): bigint {
  return s === '' ? 0n : BigInt(s);
}

export function parseApkVersion(v: string): ApkVersion {
  const out: ApkVersion = { original: v, components: [], letter: '', suffixes: [], revision: 0n, remainder: '', invalid: false };
  let rest = v;
  const nums = /^(?:\d+\.?)*/.exec(rest)![0];
  if (nums !== '') {
    nums.split('.').forEach((text, i) => out.components.push({ text, value: big(text), first: i === 0 }));
    rest = rest.slice(nums.length);
  }
  if (/^[a-z]/.test(rest)) {
    out.letter = rest[0]!;
    rest = rest.slice(1);
  }
  for (;;) {
    const m = /^_(alpha|beta|pre|rc|cvs|svn|git|hg|p)(\d*)/.exec(rest);
    if (!m) break;
    out.suffixes.push({ weight: SUFFIX_WEIGHTS[m[1]!]!, n: big(m[2]!) });
    rest = rest.slice(m[0].length);
  }
  const hash = /^~[0-9a-f]+/.exec(rest);
  if (hash) rest = rest.slice(hash[0].length);
  if (rest !== '') {
    const r = /^-r(\d*)/.exec(rest);
    if (r) {
      out.revision = big(r[1]!);
      rest = rest.slice(r[0].length);
    } else {
      out.invalid = true;
    }
  }
  out.remainder = rest;
  return out;
}

function cmp<T extends bigint | string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const ZERO: Component = { text: '0', value: 0n, first: true };

function compareComponent(a: Component, b: Component): number {
  if (!a.first && !b.first && (a.text.startsWith('0') || b.text.startsWith('0'))) return cmp(a.text, b.text);
  return cmp(a.value, b.value);
}

export function compareApkParsed(a: ApkVersion, b: ApkVersion): number {
  if (a.invalid && b.invalid) return cmp(a.original, b.original);
  for (let i = 0; i < Math.max(a.components.length, b.components.length); i++) {
    const c = compareComponent(a.components[i] ?? ZERO, b.components[i] ?? ZERO);
    if (c !== 0) return c;
  }
  if (a.letter !== b.letter) {
    if (a.letter === '') return -1;
    if (b.letter === '') return 1;
    return cmp(a.letter, b.letter);
  }
  for (let i = 0; i < Math.max(a.suffixes.length, b.suffixes.length); i++) {
    const x = a.suffixes[i] ?? { weight: NO_SUFFIX, n: 0n };
    const y = b.suffixes[i] ?? { weight: NO_SUFFIX, n: 0n };
    const c = cmp(x.weight, y.weight) || cmp(x.n, y.n);
    if (c !== 0) return c;
  }
  const r = cmp(a.revision, b.revision);
  if (r !== 0) return r;
  if ((a.remainder === '') !== (b.remainder === '')) return a.remainder === '' ? 1 : -1;
  return 0;
}

/** -1, 0 or 1, as apk orders `a` and `b`. */
export function compareApk(a: string, b: string): number {
  return compareApkParsed(parseApkVersion(a), parseApkVersion(b));
}

/** A well-formed apk version: the whole string follows the grammar. */
export function isValidApkVersion(v: string): boolean {
  const p = parseApkVersion(v);
  return p.components.length > 0 && p.remainder === '';
}
