/**
 * Why a connection is allowed or denied: for one source and destination (workloads, external
 * addresses or the ingress controller), the egress side and the ingress side step by step —
 * which admin policy rules decided which ports, which NetworkPolicies isolate the pod, which of
 * their rules allow, and what is allowed only because nothing isolates it.
 */
import type { ConnSet } from './conn.js';
import { EMPTY, containsPort, formatConn, intersect, portRange } from './conn.js';
import type { DirectionVerdict, Endpoint } from './evaluate.js';
import { evaluatePair, podEndpoint } from './evaluate.js';
import { parseAddress, parseRangeText } from './ip.js';
import type { Protocol } from './conn.js';
import { INGRESS_CONTROLLER, ingressControllerEndpoint } from './list.js';
import type { NetworkModel, Workload } from './model.js';

export interface PortQuery {
  protocol: Protocol;
  port: number;
}

export interface RuleExplanation {
  policy: string;
  kind: string;
  rule: string;
  action: string;
  conn: string;
}

export interface DirectionExplanation {
  direction: 'ingress' | 'egress';
  /** The side whose policies are evaluated (destination for ingress, source for egress). */
  subject: string;
  applies: boolean;
  isolatedBy: string[];
  adminPolicies: string[];
  rules: RuleExplanation[];
  defaultAllowed: string;
  allowed: string;
  summary: string;
}

export interface Explanation {
  src: string;
  dst: string;
  port?: string;
  /** Connections allowed from src to dst (restricted to `port` when given). */
  conn: string;
  allowed: boolean;
  egress: DirectionExplanation;
  ingress: DirectionExplanation;
  verdict: string;
}

export type PeerResolution = { name: string; endpoint: Endpoint; workload?: Workload } | { error: string };

/**
 * Resolves a peer name: `ns/name[Kind]`, `ns/name` (unique), `name` (unique), an IP address,
 * CIDR or `first-last[External]` range, or `{ingress-controller}`.
 */
export function resolvePeer(model: NetworkModel, text: string): PeerResolution {
  const t = text.trim();
  if (t === INGRESS_CONTROLLER) return { name: t, endpoint: ingressControllerEndpoint() };
  const exact = model.workloads.find((w) => w.id === t);
  const candidates = exact
    ? [exact]
    : model.workloads.filter((w) => `${w.namespace}/${w.name}` === t || (!t.includes('/') && w.name === t));
  if (candidates.length === 1) {
    const w = candidates[0] as Workload;
    const cls = model.classes[w.classes[0] as number];
    if (!cls) return { error: `${w.id} has no pods` };
    return { name: w.id, endpoint: podEndpoint(model, cls), workload: w };
  }
  if (candidates.length > 1) return { error: `${t} is ambiguous: ${candidates.map((w) => w.id).join(', ')}` };
  if (parseAddress(t) !== undefined || t.endsWith('[External]') || /^[0-9a-fA-F.:]+\/\d+$/.test(t)) {
    const r = parseRangeText(t);
    if (r) return { name: t, endpoint: { type: 'ip', range: r } };
  }
  return { error: `no workload or address ${t}` };
}

function restrict(c: ConnSet, q: PortQuery | undefined): ConnSet {
  return q ? intersect(c, portRange(q.protocol, q.port, q.port)) : c;
}

function directionExplanation(v: DirectionVerdict, subject: string, peer: string, q: PortQuery | undefined): DirectionExplanation {
  const rules = v.contributions
    .filter((c) => !q || containsPort(c.conn, q.protocol, q.port))
    .map((c) => ({ policy: c.policy, kind: c.kind, rule: c.rule, action: c.action, conn: formatConn(restrict(c.conn, q)) }));
  const allowed = restrict(v.allowed, q);
  const dflt = restrict(v.defaultAllowed, q);
  let summary: string;
  const dir = v.direction;
  if (!v.applies) summary = `${subject} is outside the cluster: nothing restricts its ${dir}`;
  else if (allowed === EMPTY) {
    const denies = rules.filter((r) => r.action === 'Deny');
    if (denies.length) summary = `denied by ${denies.map((r) => `${r.kind} ${r.policy} rule ${r.rule}`).join(', ')}`;
    else if (v.isolatedBy.length) summary = `${subject} is isolated for ${dir} by ${v.isolatedBy.join(', ')} and no rule allows ${q ? `${q.protocol} ${q.port}` : 'any port'} ${dir === 'ingress' ? 'from' : 'to'} ${peer}`;
    else summary = `no ${dir} allowed`;
  } else {
    const allows = rules.filter((r) => r.action === 'Allow');
    const parts = allows.map((r) => `${r.kind} ${r.policy} ${r.rule} (${r.conn})`);
    if (dflt !== EMPTY) parts.push(v.isolatedBy.length === 0 && v.adminPolicies.length === 0 ? `no policy isolates ${subject} for ${dir} (${formatConn(dflt)})` : `not decided by any policy, so allowed by default (${formatConn(dflt)})`);
    summary = `allowed: ${parts.join('; ')}`;
  }
  return {
    direction: dir,
    subject,
    applies: v.applies,
    isolatedBy: v.isolatedBy,
    adminPolicies: v.adminPolicies,
    rules,
    defaultAllowed: formatConn(dflt),
    allowed: formatConn(allowed),
    summary,
  };
}

/** Explains the connection from `src` to `dst`, optionally for one port. */
export function explainConnection(model: NetworkModel, src: string, dst: string, port?: PortQuery): Explanation | { error: string } {
  const s = resolvePeer(model, src);
  if ('error' in s) return s;
  const d = resolvePeer(model, dst);
  if ('error' in d) return d;
  if (s.endpoint.type === 'ip' && d.endpoint.type === 'ip') return { error: 'both ends are outside the cluster' };
  const r = evaluatePair(model, s.endpoint, d.endpoint);
  const conn = restrict(r.conn, port);
  const egress = directionExplanation(r.egress, s.name, d.name, port);
  const ingress = directionExplanation(r.ingress, d.name, s.name, port);
  const what = port ? `${port.protocol} ${port.port}` : formatConn(conn);
  let verdict: string;
  if (conn === EMPTY) {
    const blocked = [egress, ingress].filter((x) => x.allowed === formatConn(EMPTY)).map((x) => `${x.direction} (${x.summary})`);
    verdict = `DENIED ${s.name} => ${d.name}${port ? ` on ${what}` : ''}: ${blocked.length ? blocked.join('; ') : 'egress and ingress allow disjoint ports'}`;
  } else verdict = `ALLOWED ${s.name} => ${d.name} : ${what}`;
  const out: Explanation = { src: s.name, dst: d.name, conn: formatConn(conn), allowed: conn !== EMPTY, egress, ingress, verdict };
  if (port) out.port = `${port.protocol} ${port.port}`;
  return out;
}

/** Parses `80`, `TCP/80`, `udp:53`, `SCTP 9000`. */
export function parsePortQuery(text: string): PortQuery | undefined {
  const m = /^(?:(tcp|udp|sctp)[\s/:]*)?(\d+)$/i.exec(text.trim());
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { protocol: ((m[1] ?? 'TCP').toUpperCase() as Protocol), port };
}

export function renderExplanation(e: Explanation): string {
  const lines = [e.verdict, ''];
  for (const d of [e.egress, e.ingress]) {
    lines.push(`${d.direction} (${d.subject}):`);
    if (d.applies) {
      lines.push(`  isolated by: ${d.isolatedBy.length ? d.isolatedBy.join(', ') : 'none'}`);
      if (d.adminPolicies.length) lines.push(`  admin policies: ${d.adminPolicies.join(', ')}`);
      for (const r of d.rules) lines.push(`  ${r.action.padEnd(5)} ${r.kind} ${r.policy} ${r.rule}: ${r.conn}`);
      if (d.defaultAllowed !== formatConn(EMPTY)) lines.push(`  default allow: ${d.defaultAllowed}`);
    }
    lines.push(`  allowed: ${d.allowed}`);
    lines.push(`  ${d.summary}`);
  }
  return `${lines.join('\n')}\n`;
}

