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

export function diffConnections(oldList: readonly Connection[], newList: readonly Connection[]): ConnectivityDiff {
  const key = (c: Connection): string => `${c.src}\u0000${c.dst}`;
  const o = new Map(oldList.map((c) => [key(c), c]));
  const n = new Map(newList.map((c) => [key(c), c]));
  const out: ConnectivityDiff = { added: [], removed: [], changed: [] };
  for (const [k, c] of n) {
    const prev = o.get(k);
    if (!prev) out.added.push(change(c.src, c.dst, EMPTY, c.conn));
    else if (prev.conn !== c.conn) out.changed.push(change(c.src, c.dst, prev.conn, c.conn));
  }
  for (const [k, c] of o) if (!n.has(k)) out.removed.push(change(c.src, c.dst, c.conn, EMPTY));
  const sort = (l: ConnectionChange[]): void => void l.sort((a, b) => (a.src + '\u0000' + a.dst < b.src + '\u0000' + b.dst ? -1 : 1));
  sort(out.added);
  sort(out.removed);
  sort(out.changed);
  return out;
}

export function renderDiff(d: ConnectivityDiff): string {
  const lines: string[] = [];
  for (const c of d.added) lines.push(`+ ${c.src} => ${c.dst} : ${c.new}`);
  for (const c of d.removed) lines.push(`- ${c.src} => ${c.dst} : ${c.old}`);
  for (const c of d.changed) lines.push(`~ ${c.src} => ${c.dst} : ${c.old} -> ${c.new}`);
  lines.push(`${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed`);
  return `${lines.join('\n')}\n`;
}
