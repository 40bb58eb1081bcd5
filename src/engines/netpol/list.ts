/**
 * Workload-level results: the connection list in the de-facto analyzer format, its renderings
 * (txt, json, csv, md), and the connectivity matrix. Workload peers are `namespace/name[Kind]`,
 * external peers `first-last[External]`, and the cluster's ingress controller (for Ingress and
 * Route exposure) `{ingress-controller}`.
 */
import { ownValue } from '../../core/records.js';
import { mapSelectorMatches } from '../../model/selectors.js';
import type { ConnSet } from './conn.js';
import { EMPTY, formatConn, intersect, portRange, union } from './conn.js';
import type { Connectivity, Endpoint } from './evaluate.js';
import { classConn, classToExternal, evaluatePair, externalToClass, podEndpoint } from './evaluate.js';
import { formatRange } from './ip.js';
import type { NetworkModel, PodClass, Workload } from './model.js';
import { NS_NAME_LABEL } from './model.js';

export const INGRESS_CONTROLLER = '{ingress-controller}';
/** The placeholder namespace of the ingress controller pod (no pod labels, no policies of its own). */
export const INGRESS_CONTROLLER_NAMESPACE = 'ingress-controller-ns';

export interface Connection {
  src: string;
  dst: string;
  conn: ConnSet;
}

/** JSON shape of one connection, as `netpol list --format json` prints it. */
export interface ConnectionRecord {
  src: string;
  dst: string;
  conn: string;
}

export function externalPeerName(r: { lo: bigint; hi: bigint }): string {
  return `${formatRange(r)}[External]`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The synthetic ingress-controller pod class. */
export function ingressControllerEndpoint(): Endpoint {
  const cls: PodClass = {
    index: -1,
    namespace: INGRESS_CONTROLLER_NAMESPACE,
    labels: {},
    namedPorts: {},
    hostNetwork: false,
    workloads: [],
    podCount: 1,
  };
  return { type: 'pod', cls, nsLabels: { [NS_NAME_LABEL]: INGRESS_CONTROLLER_NAMESPACE } };
}

/**
 * Ports each pod class is exposed on through Ingress/Route objects: the Service's target ports
 * (named target ports resolved against the class's container ports), restricted to the port the
 * Ingress backend or Route names.
 */
export function exposedPorts(model: NetworkModel): Map<number, ConnSet> {
  const out = new Map<number, ConnSet>();
  for (const e of model.exposures) {
    const svc = model.services.find((s) => s.namespace === e.namespace && s.name === e.service);
    if (!svc || !svc.selector) continue;
    let ports = svc.ports;
    if (e.servicePort !== undefined) ports = ports.filter((p) => p.port === e.servicePort || p.name === e.servicePort);
    if (e.routeTargetPort !== undefined) {
      const tp = e.routeTargetPort;
      ports = ports.filter((p) => p.targetPort === tp || p.name === tp || (typeof tp === 'number' && p.port === tp && typeof p.targetPort !== 'number'));
    }
    for (const c of model.classes) {
      if (c.namespace !== e.namespace || !mapSelectorMatches(svc.selector, c.labels)) continue;
      let conn = out.get(c.index) ?? EMPTY;
      for (const p of ports) {
        if (typeof p.targetPort === 'number') conn = union(conn, portRange(p.protocol, p.targetPort, p.targetPort));
        else {
          const np = ownValue(c.namedPorts, p.targetPort);
          if (np) conn = union(conn, portRange(np.protocol, np.port, np.port));
        }
      }
      out.set(c.index, conn);
    }
  }
  return out;
}

/**
 * Every allowed (src, dst) pair with its connections, sorted by src then dst, one at a time:
 * a large cluster's list can be larger than memory. A workload to itself and pairs of two
 * external ranges are not listed.
 */
export function* connections(cx: Connectivity): Generator<Connection> {
  const { model } = cx;
  const ws = [...model.workloads].sort((a, b) => compare(a.id, b.id));
  const outNames = cx.extOut.map((r, y) => ({ name: externalPeerName(r), y })).sort((a, b) => compare(a.name, b.name));
  type Source = { name: string; workload?: Workload; extIn?: number; controller?: Map<number, ConnSet> };
  const sources: Source[] = ws.map((w) => ({ name: w.id, workload: w }));
  cx.extIn.forEach((r, x) => sources.push({ name: externalPeerName(r), extIn: x }));
  const exposed = exposedPorts(model);
  if (exposed.size > 0) {
    const ic = ingressControllerEndpoint();
    const perWorkload = new Map<number, ConnSet>();
    for (const [ci, ports] of exposed) {
      const cls = model.classes[ci] as PodClass;
      const allowed = evaluatePair(model, ic, podEndpoint(model, cls)).conn;
      const c = intersect(ports, allowed);
      for (const w of cls.workloads) perWorkload.set(w, union(perWorkload.get(w) ?? EMPTY, c));
    }
    sources.push({ name: INGRESS_CONTROLLER, controller: perWorkload });
  }
  sources.sort((a, b) => compare(a.name, b.name));
  for (const src of sources) {
    const w1 = src.workload;
    if (w1) {
      // Other workloads and external destinations, merged in name order.
      let k = 0;
      /** The external destinations whose names sort before `limit` (all the rest without one). */
      const externalsBefore = function* (limit?: string): Generator<Connection> {
        for (; k < outNames.length; k++) {
          const { name, y } = outNames[k] as { name: string; y: number };
          if (limit !== undefined && compare(name, limit) >= 0) return;
          let c = EMPTY;
          for (const a of w1.classes) c = union(c, classToExternal(cx, a, y));
          if (c !== EMPTY) yield { src: w1.id, dst: name, conn: c };
        }
      };
      for (const w2 of ws) {
        if (w1 === w2) continue;
        yield* externalsBefore(w2.id);
        let c = EMPTY;
        for (const a of w1.classes) for (const b of w2.classes) c = union(c, classConn(cx, a, b));
        if (c !== EMPTY) yield { src: w1.id, dst: w2.id, conn: c };
      }
      yield* externalsBefore();
    } else if (src.extIn !== undefined) {
      const x = src.extIn;
      for (const w of ws) {
        let c = EMPTY;
        for (const b of w.classes) c = union(c, externalToClass(cx, x, b));
        if (c !== EMPTY) yield { src: src.name, dst: w.id, conn: c };
      }
    } else if (src.controller) {
      for (const w of ws) {
        const c = src.controller.get(w.index);
        if (c !== undefined && c !== EMPTY) yield { src: INGRESS_CONTROLLER, dst: w.id, conn: c };
      }
    }
  }
}

/** Every allowed (src, dst) pair with its connections, sorted by src then dst (see connections). */
export function connectionList(cx: Connectivity): Connection[] {
  return [...connections(cx)];
}

export function toRecords(list: readonly Connection[]): ConnectionRecord[] {
  return list.map((c) => ({ src: c.src, dst: c.dst, conn: formatConn(c.conn) }));
}

export type ListFormat = 'txt' | 'json' | 'csv' | 'md';

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One connection as a line or record of `format` (txt: `src => dst : conn`). */
function connectionText(c: ConnectionRecord, format: ListFormat, first: boolean): string {
  switch (format) {
    case 'json':
      return `${first ? '[\n' : ',\n'}  {\n    "src": ${JSON.stringify(c.src)},\n    "dst": ${JSON.stringify(c.dst)},\n    "conn": ${JSON.stringify(c.conn)}\n  }`;
    case 'csv':
      return `${csvCell(c.src)},${csvCell(c.dst)},${csvCell(c.conn)}\n`;
    case 'md':
      return `| ${c.src} | ${c.dst} | ${c.conn} |\n`;
    default:
      return `${c.src} => ${c.dst} : ${c.conn}\n`;
  }
}

/** Writes records in `format`: header, one piece per record, closing. */
function writeRecords(each: (visit: (r: ConnectionRecord) => void) => void, format: ListFormat, write: (piece: string) => void): void {
  if (format === 'csv') write('src,dst,conn\n');
  if (format === 'md') write('| src | dst | conn |\n|-----|-----|------|\n');
  let first = true;
  each((r) => {
    write(connectionText(r, format, first));
    first = false;
  });
  if (format === 'json') write(first ? '[]\n' : '\n]\n');
}

/**
 * Writes the connection list of `cx` in `format` through `write`, piece by piece (the list
 * itself is never held). The order is src then dst, which for txt is also the lines' order.
 */
export function writeConnections(cx: Connectivity, format: ListFormat, write: (piece: string) => void): void {
  writeRecords(
    (visit) => {
      for (const c of connections(cx)) visit({ src: c.src, dst: c.dst, conn: formatConn(c.conn) });
    },
    format,
    write,
  );
}

/** Renders a connection list. txt: `src => dst : conn` lines (sorted); json: `[{src,dst,conn}]`. */
export function renderConnections(list: readonly Connection[], format: ListFormat): string {
  const parts: string[] = [];
  writeRecords((visit) => toRecords(list).forEach(visit), format, (p) => parts.push(p));
  return format === 'txt' ? parts.sort(compare).join('') : parts.join('');
}

export interface Matrix {
  /** Row and column labels: workloads, then (when included) external ranges. */
  peers: string[];
  /** cells[i][j]: connections from peers[i] to peers[j]; '' when none (and on the diagonal). */
  cells: string[][];
}

/** The matrix's row and column labels: every peer of some connection (external ranges only when `includeExternal`), sorted. */
function matrixPeers(list: Iterable<Connection>, includeExternal: boolean): string[] {
  const names = new Set<string>();
  for (const c of list) {
    for (const p of [c.src, c.dst]) if (includeExternal || !p.endsWith('[External]')) names.add(p);
  }
  return [...names].sort(compare);
}

/** The connectivity matrix over workloads (and external ranges when `includeExternal`). */
export function connectivityMatrix(list: readonly Connection[], includeExternal = true): Matrix {
  const peers = matrixPeers(list, includeExternal);
  const idx = new Map(peers.map((p, i) => [p, i]));
  const cells = peers.map(() => peers.map(() => ''));
  for (const c of list) {
    const i = idx.get(c.src);
    const j = idx.get(c.dst);
    if (i === undefined || j === undefined) continue;
    (cells[i] as string[])[j] = formatConn(c.conn);
  }
  return { peers, cells };
}

export type MatrixFormat = 'txt' | 'csv' | 'json';

/**
 * Writes a matrix given its peers and its rows in peer order (`rows` may be walked more than
 * once: the txt table first measures its columns).
 */
function writeMatrixRows(peers: readonly string[], rows: () => Iterable<readonly string[]>, format: MatrixFormat, write: (piece: string) => void): void {
  if (format === 'json') {
    write(`{\n  "peers": ${JSON.stringify(peers, null, 2).replaceAll('\n', '\n  ')},\n  "cells": `);
    let first = true;
    for (const row of rows()) {
      write(`${first ? '[\n    ' : ',\n    '}${JSON.stringify(row, null, 2).replaceAll('\n', '\n    ')}`);
      first = false;
    }
    write(first ? '[]\n}\n' : '\n  ]\n}\n');
    return;
  }
  if (format === 'csv') {
    write(`${['src\\dst', ...peers].map(csvCell).join(',')}\n`);
    let i = 0;
    for (const row of rows()) write(`${[peers[i++] as string, ...row].map(csvCell).join(',')}\n`);
    return;
  }
  const short = (s: string): string => (s === '' ? '-' : s === 'All Connections' ? 'all' : s);
  const line = (row: readonly string[], i: number): string[] => [`[${i + 1}] ${peers[i]}`, ...row.map((c, j) => (i === j ? '·' : short(c)))];
  const header = ['', ...peers.map((_, j) => `[${j + 1}]`)];
  const widths = header.map((h) => h.length);
  let i = 0;
  for (const row of rows()) {
    line(row, i++).forEach((c, k) => {
      if (c.length > (widths[k] as number)) widths[k] = c.length;
    });
  }
  const fmt = (r: string[]): string => r.map((c, k) => c.padEnd(widths[k] as number)).join('  ').trimEnd();
  write(`${fmt(header)}\n`);
  i = 0;
  for (const row of rows()) write(`${fmt(line(row, i++))}\n`);
}

/** Renders a matrix: txt is an aligned table with numbered columns and a legend. */
export function renderMatrix(m: Matrix, format: MatrixFormat): string {
  const parts: string[] = [];
  writeMatrixRows(m.peers, () => m.cells, format, (p) => parts.push(p));
  return parts.join('');
}

/**
 * Writes the workload matrix of `cx` (as connectivityMatrix and renderMatrix would) through
 * `write`, a row at a time: the connections are walked to find the peers, then for the rows
 * (twice for txt, whose columns are measured first). Memory holds one row, not the matrix.
 */
export function writeMatrix(cx: Connectivity, includeExternal: boolean, format: MatrixFormat, write: (piece: string) => void): void {
  const peers = matrixPeers(connections(cx), includeExternal);
  const idx = new Map(peers.map((p, i) => [p, i]));
  const empty = (): string[] => peers.map(() => '');
  function* rows(): Generator<string[]> {
    let next = 0;
    let row: string[] | undefined;
    for (const c of connections(cx)) {
      const i = idx.get(c.src);
      const j = idx.get(c.dst);
      if (i === undefined || j === undefined) continue;
      if (i !== next - 1 || !row) {
        if (row) yield row;
        for (; next < i; next++) yield empty();
        row = empty();
        next = i + 1;
      }
      row[j] = formatConn(c.conn);
    }
    if (row) yield row;
    for (; next < peers.length; next++) yield empty();
  }
  writeMatrixRows(peers, rows, format, write);
}
