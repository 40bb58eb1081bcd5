/** Connections gained, lost or changed between two connection lists (old → new). */
import type { ConnSet } from './conn.js';
import { EMPTY, formatConn, subtract } from './conn.js';
import type { Connection } from './list.js';

export interface ConnectionChange {
  src: string;
  dst: string;
  old: string;
  new: string;
  /** Ports allowed only in the new list. */
  gained: string;
  /** Ports allowed only in the old list. */
  lost: string;
}

export interface ConnectivityDiff {
  added: ConnectionChange[];
  removed: ConnectionChange[];
  changed: ConnectionChange[];
}

function change(src: string, dst: string, o: ConnSet, n: ConnSet): ConnectionChange {
  return { src, dst, old: formatConn(o), new: formatConn(n), gained: formatConn(subtract(n, o)), lost: formatConn(subtract(o, n)) };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byPair(a: Connection, b: Connection): number {
  return compare(a.src, b.src) || compare(a.dst, b.dst);
}

export type ChangeKind = 'added' | 'removed' | 'changed';

/**
 * The changes between two connection sequences, each sorted by src then dst (as
 * `connections` yields them), found by walking both in step: neither is held whole.
 */
export function* connectionChanges(oldList: Iterable<Connection>, newList: Iterable<Connection>): Generator<{ kind: ChangeKind; change: ConnectionChange }> {
  const o = oldList[Symbol.iterator]();
  const n = newList[Symbol.iterator]();
  let a = o.next();
  let b = n.next();
  while (!a.done || !b.done) {
    const order = a.done ? 1 : b.done ? -1 : byPair(a.value, b.value);
    if (order < 0) {
      const c = a.value as Connection;
      yield { kind: 'removed', change: change(c.src, c.dst, c.conn, EMPTY) };
      a = o.next();
    } else if (order > 0) {
      const c = b.value as Connection;
      yield { kind: 'added', change: change(c.src, c.dst, EMPTY, c.conn) };
      b = n.next();
    } else {
      const x = a.value as Connection;
      const y = b.value as Connection;
      if (x.conn !== y.conn) yield { kind: 'changed', change: change(y.src, y.dst, x.conn, y.conn) };
      a = o.next();
      b = n.next();
    }
  }
}

export function diffConnections(oldList: readonly Connection[], newList: readonly Connection[]): ConnectivityDiff {
  const out: ConnectivityDiff = { added: [], removed: [], changed: [] };
  for (const { kind, change: c } of connectionChanges([...oldList].sort(byPair), [...newList].sort(byPair))) out[kind].push(c);
  return out;
}

function diffLine(kind: ChangeKind, c: ConnectionChange): string {
  if (kind === 'added') return `+ ${c.src} => ${c.dst} : ${c.new}\n`;
  if (kind === 'removed') return `- ${c.src} => ${c.dst} : ${c.old}\n`;
  return `~ ${c.src} => ${c.dst} : ${c.old} -> ${c.new}\n`;
}

/** Removed and changed connections kept for after the added ones, at most; past it, their kind is found again. */
const KEEP = 100_000;

/**
 * Writes the diff through `write`: txt as renderDiff prints it, json as
 * `JSON.stringify(diff, null, 2)`. Added connections (listed first) are written as they come;
 * removed and changed ones are kept until then, up to a bound: past it `changes` is walked
 * again for them, so memory stays bounded whatever the size of the diff. Returns the counts.
 */
export function writeDiff(
  changes: () => Iterable<{ kind: ChangeKind; change: ConnectionChange }>,
  format: 'txt' | 'json',
  write: (piece: string) => void,
  keep = KEEP,
): Record<ChangeKind, number> {
  const counts: Record<ChangeKind, number> = { added: 0, removed: 0, changed: 0 };
  const later: Record<'removed' | 'changed', ConnectionChange[] | undefined> = { removed: [], changed: [] };
  const member = (kind: ChangeKind, c: ConnectionChange, first: boolean): string =>
    format === 'txt' ? diffLine(kind, c) : `${first ? '\n    ' : ',\n    '}${JSON.stringify(c, null, 2).replaceAll('\n', '\n    ')}`;
  if (format === 'json') write('{\n  "added": [');
  for (const { kind, change: c } of changes()) {
    if (kind === 'added') write(member(kind, c, counts.added === 0));
    else {
      const kept = later[kind];
      if (kept && kept.length < keep) kept.push(c);
      else later[kind] = undefined;
    }
    counts[kind]++;
  }
  for (const kind of ['removed', 'changed'] as const) {
    if (format === 'json') write(`${counts[kind === 'removed' ? 'added' : 'removed'] > 0 ? '\n  ]' : ']'},\n  "${kind}": [`);
    const kept = later[kind];
    let i = 0;
    if (kept) for (const c of kept) write(member(kind, c, i++ === 0));
    else for (const x of changes()) if (x.kind === kind) write(member(kind, x.change, i++ === 0));
  }
  if (format === 'json') write(counts.changed > 0 ? '\n  ]\n}\n' : ']\n}\n');
  else write(`${counts.added} added, ${counts.removed} removed, ${counts.changed} changed\n`);
  return counts;
}

export function renderDiff(d: ConnectivityDiff): string {
  const parts: string[] = [];
  const changes = (['added', 'removed', 'changed'] as const).flatMap((kind) => d[kind].map((change) => ({ kind, change })));
  writeDiff(() => changes, 'txt', (p) => parts.push(p));
  return parts.join('');
}
