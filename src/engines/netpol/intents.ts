/**
 * Segmentation intents: a small declarative file that says which flows must be impossible,
 * which must work, and which destinations may be reached only from given sources.
 *
 * ```yaml
 * # kubeward netpol intents (docs/netpol-intents.md)
 * deny:                       # no connection may exist from any `from` to any `to`
 *   - from: app=web
 *     to: app=db
 * allow:                      # every `from` must reach every `to` (on all of `ports` when given)
 *   - from: shop/app=web
 *     to: shop/app=api
 *     ports: TCP 8080
 * allow-only:                 # `to` may be reached only from the listed sources
 *   - to: shop/app=db
 *     from: [shop/app=api]
 *     ports: TCP 5432          # optional: restrict the rule to these ports
 * ```
 *
 * An endpoint is one of:
 * - a label selector in kubectl syntax (`app=web`, `tier in (a,b)`, `!debug`, `env!=dev`) for
 *   pods in any namespace; `ns/selector` restricts it to namespace `ns`; `ns/*` is every pod of
 *   `ns`; `*` every pod;
 * - a workload as printed by `netpol list` (`shop/web[Deployment]`);
 * - `external` (every address outside the cluster) or a CIDR (`10.0.0.0/8`).
 * `from`/`to` take one endpoint or a list (any of them). `ports` uses the list syntax
 * (`TCP 80,443,UDP 53`). Without `ports`, deny and allow-only cover every port, and allow
 * requires only that some connection exists.
 */
import type { LabelSelector, LabelSelectorRequirement } from '../../model/selectors.js';
import { selectorMatches } from '../../model/selectors.js';
import type { ConnSet } from './conn.js';
import { ALL, EMPTY, formatConn, intersect, isSubset, parseConn, subtract } from './conn.js';
import type { IpRange } from './ip.js';
import { IPV4_ALL, IPV6_ALL, parseCidr, parseRangeText } from './ip.js';
import type { Connection } from './list.js';
import type { NetworkModel, Workload } from './model.js';

export type EndpointSpec =
  | { type: 'pods'; namespace?: string; selector: LabelSelector; text: string }
  | { type: 'workload'; id: string; text: string }
  | { type: 'external'; ranges: IpRange[]; text: string };

export interface Intent {
  kind: 'deny' | 'allow' | 'allow-only';
  index: number;
  from: EndpointSpec[];
  to: EndpointSpec[];
  ports: ConnSet;
  /** False when `ports` was omitted: `allow` then only requires some connection. */
  portsGiven: boolean;
}

export interface IntentsFile {
  intents: Intent[];
}

export interface IntentProblem {
  path: string;
  message: string;
}

/** Parses a kubectl-style selector: `a=b,c!=d,e in (x,y),f notin (z),g,!h`. */
export function parseSelectorText(text: string): LabelSelector | undefined {
  const t = text.trim();
  if (t === '' || t === '*') return {};
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of t) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  const matchLabels: Record<string, string> = {};
  const matchExpressions: LabelSelectorRequirement[] = [];
  const key = /^[A-Za-z0-9._/-]+$/;
  for (const raw of parts) {
    const p = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^(\S+?)\s+(in|notin)\s*\(([^)]*)\)$/.exec(p))) {
      const values = (m[3] as string).split(',').map((s) => s.trim()).filter(Boolean);
      matchExpressions.push({ key: m[1] as string, operator: m[2] === 'in' ? 'In' : 'NotIn', values });
    } else if ((m = /^([^=!\s]+)\s*!=\s*(\S*)$/.exec(p))) {
      matchExpressions.push({ key: m[1] as string, operator: 'NotIn', values: [m[2] as string] });
    } else if ((m = /^([^=!\s]+)\s*==?\s*(\S*)$/.exec(p))) {
      matchLabels[m[1] as string] = m[2] as string;
    } else if ((m = /^!\s*(\S+)$/.exec(p)) && key.test(m[1] as string)) {
      matchExpressions.push({ key: m[1] as string, operator: 'DoesNotExist' });
    } else if (key.test(p)) {
      matchExpressions.push({ key: p, operator: 'Exists' });
    } else return undefined;
  }
  const sel: LabelSelector = {};
  if (Object.keys(matchLabels).length) sel.matchLabels = matchLabels;
  if (matchExpressions.length) sel.matchExpressions = matchExpressions;
  return sel;
}

/** Parses one endpoint text (see the module comment). */
export function parseEndpoint(text: string): EndpointSpec | undefined {
  const t = text.trim();
  if (t === 'external' || t === 'world' || t === 'internet') return { type: 'external', ranges: [IPV4_ALL, IPV6_ALL], text: t };
  if (/\[[A-Za-z]+\]$/.test(t) && t.includes('/') && !t.endsWith('[External]')) return { type: 'workload', id: t, text: t };
  if (/^[0-9a-fA-F.:]+(\/\d+)?$/.test(t) && (t.includes('.') || t.includes(':'))) {
    const r = parseCidr(t);
    return r ? { type: 'external', ranges: [r], text: t } : undefined;
  }
  if (t.endsWith('[External]')) {
    const r = parseRangeText(t);
    return r ? { type: 'external', ranges: [r], text: t } : undefined;
  }
  const slash = t.indexOf('/');
  // A namespace prefix is `name/`, where the name has no `=`, space or parenthesis.
  if (slash > 0 && !/[=!() ,]/.test(t.slice(0, slash))) {
    const ns = t.slice(0, slash);
    const sel = parseSelectorText(t.slice(slash + 1));
    return sel ? { type: 'pods', namespace: ns, selector: sel, text: t } : undefined;
  }
  const sel = parseSelectorText(t);
  return sel ? { type: 'pods', selector: sel, text: t } : undefined;
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

/** Validates and normalises a parsed intents document (YAML/JSON already parsed). */
export function parseIntents(doc: unknown): { file: IntentsFile; problems: IntentProblem[] } {
  const problems: IntentProblem[] = [];
  const intents: Intent[] = [];
  const root = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined;
  if (!root) return { file: { intents }, problems: [{ path: '', message: 'intents must be a mapping with deny, allow or allow-only lists' }] };
  for (const k of Object.keys(root)) if (!['deny', 'allow', 'allow-only', 'allowOnly'].includes(k)) problems.push({ path: `/${k}`, message: `unknown key ${k}` });
  const kinds: Array<[Intent['kind'], unknown]> = [
    ['deny', root['deny']],
    ['allow', root['allow']],
    ['allow-only', root['allow-only'] ?? root['allowOnly']],
  ];
  for (const [kind, list] of kinds) {
    asList(list).forEach((raw, index) => {
      const path = `/${kind}/${index}`;
      let item = raw;
      // Shorthand: `- app=web -> app=db`.
      if (typeof raw === 'string' && raw.includes('->')) {
        const [f, to] = raw.split('->', 2) as [string, string];
        item = { from: f.trim(), to: to.trim() };
      }
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        problems.push({ path, message: 'expected a mapping with from and to' });
        return;
      }
      const r = item as Record<string, unknown>;
      const ends = (field: 'from' | 'to'): EndpointSpec[] | undefined => {
        const vals = asList(r[field]);
        if (vals.length === 0) {
          problems.push({ path: `${path}/${field}`, message: `${field} is required` });
          return undefined;
        }
        const out: EndpointSpec[] = [];
        for (const v of vals) {
          const e = typeof v === 'string' ? parseEndpoint(v) : undefined;
          if (!e) problems.push({ path: `${path}/${field}`, message: `cannot read endpoint ${JSON.stringify(v)}` });
          else out.push(e);
        }
        return out;
      };
      const from = ends('from');
      const to = ends('to');
      let ports = ALL;
      const portsGiven = r['ports'] !== undefined;
      if (portsGiven) {
        const p = parseConn(String(r['ports']));
        if (!p || p === EMPTY) problems.push({ path: `${path}/ports`, message: `cannot read ports ${JSON.stringify(r['ports'])}` });
        else ports = p;
      }
      if (from && to) intents.push({ kind, index, from, to, ports, portsGiven });
    });
  }
  return { file: { intents }, problems };
}

/** True when `spec` covers the workload. */
export function endpointMatchesWorkload(model: NetworkModel, spec: EndpointSpec, w: Workload): boolean {
  if (spec.type === 'workload') return spec.id === w.id;
  if (spec.type === 'external') return false;
  if (spec.namespace !== undefined && spec.namespace !== w.namespace) return false;
  return w.classes.some((ci) => selectorMatches(spec.selector, model.classes[ci]?.labels ?? {}));
}

function endpointMatchesPeer(model: NetworkModel, spec: EndpointSpec, peer: string, byId: Map<string, Workload>): boolean {
  const w = byId.get(peer);
  if (w) return endpointMatchesWorkload(model, spec, w);
  if (spec.type !== 'external' || !peer.endsWith('[External]')) return false;
  const r = parseRangeText(peer);
  return !!r && spec.ranges.some((s) => r.lo <= s.hi && r.hi >= s.lo);
}

export interface IntentViolation {
  intent: string;
  kind: Intent['kind'];
  src: string;
  dst: string;
  /** Deny / allow-only: the connections that should not exist. Allow: the ports missing. */
  conn: string;
  message: string;
}

export interface IntentCheck {
  ok: boolean;
  checked: number;
  violations: IntentViolation[];
  /** Intents whose `from` or `to` matches nothing (a likely typo). */
  unmatched: string[];
}

export function intentLabel(i: Intent): string {
  return `${i.kind}[${i.index}] ${i.from.map((e) => e.text).join('|')} -> ${i.to.map((e) => e.text).join('|')}`;
}

/**
 * Checks intents against a connection list, walked once (it may be a stream: `connections`
 * of a connectivity). Only the pairs allow-intents ask about are kept.
 */
export function checkIntents(model: NetworkModel, connections: Iterable<Connection>, file: IntentsFile): IntentCheck {
  const byId = new Map(model.workloads.map((w) => [w.id, w]));
  const unmatched: string[] = [];
  const pairKey = (src: string, dst: string): string => `${src}\u0000${dst}`;
  const wanted = new Map<string, ConnSet>();
  const checks = file.intents.map((i) => {
    const label = intentLabel(i);
    const srcWl = model.workloads.filter((w) => i.from.some((s) => endpointMatchesWorkload(model, s, w)));
    const dstWl = model.workloads.filter((w) => i.to.some((s) => endpointMatchesWorkload(model, s, w)));
    const extFrom = i.from.some((s) => s.type === 'external');
    const extTo = i.to.some((s) => s.type === 'external');
    if ((srcWl.length === 0 && !extFrom) || (dstWl.length === 0 && !extTo)) unmatched.push(label);
    if (i.kind === 'allow') for (const s of srcWl) for (const d of dstWl) if (s !== d) wanted.set(pairKey(s.id, d.id), EMPTY);
    // Whether a peer matches the intent's from / to, decided once per peer.
    const memo = (specs: EndpointSpec[]): ((peer: string) => boolean) => {
      const seen = new Map<string, boolean>();
      return (peer) => {
        let m = seen.get(peer);
        if (m === undefined) seen.set(peer, (m = specs.some((sp) => endpointMatchesPeer(model, sp, peer, byId))));
        return m;
      };
    };
    return { i, label, srcWl, dstWl, from: memo(i.from), to: memo(i.to), violations: [] as IntentViolation[] };
  });
  const streamed = checks.filter((c) => c.i.kind !== 'allow');
  for (const c of connections) {
    if (wanted.has(pairKey(c.src, c.dst))) wanted.set(pairKey(c.src, c.dst), c.conn);
    for (const k of streamed) {
      const { i, label } = k;
      if (i.kind === 'deny') {
        if (!k.from(c.src) || !k.to(c.dst)) continue;
        const bad = intersect(c.conn, i.ports);
        if (bad !== EMPTY)
          k.violations.push({ intent: label, kind: i.kind, src: c.src, dst: c.dst, conn: formatConn(bad), message: `${c.src} can reach ${c.dst} (${formatConn(bad)}) but the intent denies it` });
      } else {
        if (!k.to(c.dst) || k.from(c.src)) continue;
        const bad = intersect(c.conn, i.ports);
        if (bad !== EMPTY)
          k.violations.push({ intent: label, kind: i.kind, src: c.src, dst: c.dst, conn: formatConn(bad), message: `${c.dst} may be reached only from ${i.from.map((e) => e.text).join(', ')}, but ${c.src} can reach it (${formatConn(bad)})` });
      }
    }
  }
  for (const k of checks) {
    const { i, label } = k;
    if (i.kind !== 'allow') continue;
    for (const s of k.srcWl)
      for (const d of k.dstWl) {
        if (s === d) continue;
        const have = wanted.get(pairKey(s.id, d.id)) ?? EMPTY;
        if (i.portsGiven ? !isSubset(i.ports, have) : have === EMPTY) {
          const missing = i.portsGiven ? subtract(i.ports, have) : ALL;
          k.violations.push({ intent: label, kind: i.kind, src: s.id, dst: d.id, conn: formatConn(missing), message: `${s.id} cannot reach ${d.id} on ${formatConn(missing)} but the intent requires it` });
        }
      }
  }
  // In intent order, as they were found, before the sort (which keeps that order among equals).
  const violations = checks.flatMap((k) => k.violations);
  violations.sort((a, b) => (a.intent + a.src + a.dst < b.intent + b.src + b.dst ? -1 : 1));
  return { ok: violations.length === 0, checked: file.intents.length, violations, unmatched };
}
