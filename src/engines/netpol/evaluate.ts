/**
 * Connectivity as a conformant CNI enforces it, computed on pod classes.
 *
 * A connection from A to B is allowed on a port when A's egress side and B's ingress side both
 * allow it. For one direction, with the pod on that side called the subject:
 *  1. AdminNetworkPolicies selecting the subject (with rules in that direction), in priority
 *     order (lower first; ties by name), rules in order: the first rule whose peers match decides
 *     Allow / Deny / Pass for the ports it covers.
 *  2. What is undecided or passed goes to the NetworkPolicies: if any NetworkPolicy selects the
 *     subject for that direction (policyTypes, defaulting to Ingress plus Egress when egress rules
 *     exist), the subject is isolated and only the union of those policies' rules is allowed.
 *  3. Otherwise the BaselineAdminNetworkPolicy's rules decide in order; whatever is left is allowed.
 * An external address has no policies of its own: its side always allows.
 *
 * Rule semantics: `from`/`to` absent or empty matches every peer; `ports` absent or empty matches
 * every port; podSelector and namespaceSelector in one peer must both match (a missing
 * namespaceSelector means the policy's namespace); separate peers are alternatives; ipBlock
 * (cidr minus except, IPv4 or IPv6) matches external addresses only; a named port is resolved
 * against the destination pod's container ports and must have the rule's protocol; `endPort`
 * makes a range.
 *
 * The fast path exploits that a direction's verdict depends only on the subject's *profile* (the
 * policies selecting it, plus its named ports when a rule uses names) and on the peer's class:
 * one vector per distinct profile covers every peer, and a pair costs one memoised intersection.
 */
import { ownValue } from '../../core/records.js';
import type { Labels, LabelSelector } from '../../model/selectors.js';
import { selectorMatches } from '../../model/selectors.js';
import type { ConnSet } from './conn.js';
import { ALL, EMPTY, allPorts, connById, intersect, portRange, subtract, union } from './conn.js';
import type { IpRange } from './ip.js';
import { IPV4_ALL, IPV6_ALL, cutUniverse, rangeWithin } from './ip.js';
import type {
  AdminPolicyInfo,
  AnpAction,
  AnpPeer,
  AnpRule,
  NetworkModel,
  NetworkPolicyInfo,
  NpPeer,
  NpRule,
  PodClass,
} from './model.js';

export type Direction = 'ingress' | 'egress';

export interface ConnectivityOptions {
  /** Also report IPv6 external ranges (default false: IPv4 only, as common analyzers print). */
  ipv6?: boolean;
}

/** A class-level endpoint for the reference evaluator: a pod class or an external range. */
export type Endpoint = { type: 'pod'; cls: PodClass; nsLabels: Labels } | { type: 'ip'; range: IpRange };

export interface Connectivity {
  model: NetworkModel;
  /** External source ranges (cut at the ingress rules' ipBlock boundaries). */
  extIn: IpRange[];
  /** External destination ranges (cut at egress ipBlock / ANP network boundaries). */
  extOut: IpRange[];
  egressProfileOf: Int32Array;
  ingressProfileOf: Int32Array;
  /** Per egress profile: conn ids over [classes…, extOut…]; null = everything allowed. */
  egressRows: Array<Int32Array | null>;
  /** Per ingress profile: conn ids over [classes…, extIn…]; null = everything allowed. */
  ingressCols: Array<Int32Array | null>;
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

function nsLabelsOf(model: NetworkModel): Map<string, Labels> {
  return new Map(model.namespaces.map((n) => [n.name, n.labels]));
}

function npRuleHasNamedPort(r: NpRule): boolean {
  return (r.ports ?? []).some((p) => typeof p.port === 'string');
}

function anpRuleHasNamedPort(r: AnpRule): boolean {
  return (r.ports ?? []).some((p) => p.type === 'named');
}

/** Ports a NetworkPolicy rule allows towards `dst` (null: an external destination). */
export function npRuleConn(rule: NpRule, dst: PodClass | null): ConnSet {
  if (rule.ports === null) return ALL;
  let c = EMPTY;
  for (const p of rule.ports) {
    if (p.port === undefined) c = union(c, allPorts(p.protocol));
    else if (typeof p.port === 'number') c = union(c, portRange(p.protocol, p.port, p.endPort ?? p.port));
    else if (dst) {
      const np = ownValue(dst.namedPorts, p.port);
      if (np && np.protocol === p.protocol) c = union(c, portRange(np.protocol, np.port, np.port));
    }
  }
  return c;
}

/** Ports an (Baseline)AdminNetworkPolicy rule covers towards `dst`. */
export function anpRuleConn(rule: AnpRule, dst: PodClass | null): ConnSet {
  if (rule.ports === null) return ALL;
  let c = EMPTY;
  for (const p of rule.ports) {
    if (p.type === 'number') c = union(c, portRange(p.protocol, p.port, p.port));
    else if (p.type === 'range') c = union(c, portRange(p.protocol, p.start, p.end));
    else if (dst) {
      const np = ownValue(dst.namedPorts, p.name);
      if (np) c = union(c, portRange(np.protocol, np.port, np.port));
    }
  }
  return c;
}

export function npSelectsClass(p: NetworkPolicyInfo, c: PodClass): boolean {
  return !c.hostNetwork && p.namespace === c.namespace && selectorMatches(p.podSelector, c.labels);
}

export function npPeerMatches(policyNs: string, peer: NpPeer, ep: Endpoint): boolean {
  if (peer.type === 'invalid') return false;
  if (peer.type === 'ipBlock') return ep.type === 'ip' && rangeWithin(ep.range, peer.ranges);
  if (ep.type !== 'pod' || ep.cls.hostNetwork) return false;
  if (peer.namespaceSelector === null) {
    if (ep.cls.namespace !== policyNs) return false;
  } else if (!selectorMatches(peer.namespaceSelector, ep.nsLabels)) return false;
  return peer.podSelector === null || selectorMatches(peer.podSelector, ep.cls.labels);
}

function anpSubjectSelects(a: AdminPolicyInfo, c: PodClass, nsLabels: Labels): boolean {
  const s = a.subject;
  if (!s || c.hostNetwork) return false;
  if (!selectorMatches(s.namespaceSelector, nsLabels)) return false;
  return s.type === 'namespaces' || selectorMatches(s.podSelector, c.labels);
}

function anpPeerMatches(peer: AnpPeer, ep: Endpoint): boolean {
  if (peer.type === 'unsupported') return false;
  if (peer.type === 'networks') return ep.type === 'ip' && rangeWithin(ep.range, peer.ranges);
  if (ep.type !== 'pod' || ep.cls.hostNetwork) return false;
  if (!selectorMatches(peer.namespaceSelector, ep.nsLabels)) return false;
  return peer.type === 'namespaces' || selectorMatches(peer.podSelector, ep.cls.labels);
}

function policyRules<T extends NetworkPolicyInfo | AdminPolicyInfo>(p: T, d: Direction): T['ingress'] {
  return d === 'ingress' ? p.ingress : p.egress;
}

/** External ranges for each direction: the IPv4 (and optionally IPv6) space cut at policy boundaries. */
export function externalRanges(model: NetworkModel, options: ConnectivityOptions = {}): { extIn: IpRange[]; extOut: IpRange[] } {
  const universe = options.ipv6 ? [IPV4_ALL, IPV6_ALL] : [IPV4_ALL];
  const inBlocks: IpRange[] = [];
  const outBlocks: IpRange[] = [];
  for (const p of model.policies) {
    for (const r of p.ingress) for (const peer of r.peers ?? []) if (peer.type === 'ipBlock') inBlocks.push(...peer.ranges);
    for (const r of p.egress) for (const peer of r.peers ?? []) if (peer.type === 'ipBlock') outBlocks.push(...peer.ranges);
  }
  for (const a of [...model.adminPolicies, ...(model.baselinePolicy ? [model.baselinePolicy] : [])])
    for (const r of a.egress) for (const peer of r.peers) if (peer.type === 'networks') outBlocks.push(...peer.ranges);
  return { extIn: cutUniverse(universe, inBlocks), extOut: cutUniverse(universe, outBlocks) };
}

// ---------------------------------------------------------------------------------------------
// Reference evaluator, with reasons (explain uses it; tests compare the fast path against it)

export interface RuleContribution {
  policy: string;
  kind: 'NetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';
  /** `ingress[0]`, `egress[2]` for NetworkPolicies; the rule name for admin policies. */
  rule: string;
  action: AnpAction;
  /** The ports this rule decided (after earlier admin rules took theirs). */
  conn: ConnSet;
}

export interface DirectionVerdict {
  direction: Direction;
  /** False for an external endpoint's side (nothing restricts it). */
  applies: boolean;
  /** NetworkPolicies selecting the subject for this direction (`ns/name`). */
  isolatedBy: string[];
  /** Admin policies selecting the subject for this direction. */
  adminPolicies: string[];
  contributions: RuleContribution[];
  /** Ports allowed because nothing isolated them (no NetworkPolicy, no BANP deny). */
  defaultAllowed: ConnSet;
  allowed: ConnSet;
}

/**
 * One direction of one class pair, step by step. `subject` is the endpoint whose policies apply
 * (the destination for ingress, the source for egress) and `peer` the other end. Named ports
 * resolve against the destination pod.
 */
export function evaluateDirection(
  model: NetworkModel,
  direction: Direction,
  subject: Endpoint,
  peer: Endpoint,
  /** The NetworkPolicies of the subject's namespace, when the caller has them at hand (only those can select it). */
  nsPolicies?: readonly NetworkPolicyInfo[],
): DirectionVerdict {
  const v: DirectionVerdict = { direction, applies: false, isolatedBy: [], adminPolicies: [], contributions: [], defaultAllowed: EMPTY, allowed: ALL };
  if (subject.type !== 'pod') {
    v.defaultAllowed = ALL;
    return v;
  }
  v.applies = true;
  const cls = subject.cls;
  const dst: PodClass | null = direction === 'ingress' ? cls : peer.type === 'pod' ? peer.cls : null;
  let remaining = ALL;
  let allowed = EMPTY;
  let passed = EMPTY;
  for (const a of model.adminPolicies) {
    const rules = policyRules(a, direction);
    if (rules.length === 0 || !anpSubjectSelects(a, cls, subject.nsLabels)) continue;
    v.adminPolicies.push(a.name);
    for (const r of rules) {
      if (!r.peers.some((p) => anpPeerMatches(p, peer))) continue;
      const rc = intersect(anpRuleConn(r, dst), remaining);
      if (rc === EMPTY) continue;
      v.contributions.push({ policy: a.name, kind: 'AdminNetworkPolicy', rule: r.name, action: r.action, conn: rc });
      if (r.action === 'Allow') allowed = union(allowed, rc);
      else if (r.action === 'Pass') passed = union(passed, rc);
      remaining = subtract(remaining, rc);
    }
  }
  const undecided = union(remaining, passed);
  const nps = (nsPolicies ?? model.policies).filter((p) => (direction === 'ingress' ? p.affectsIngress : p.affectsEgress) && npSelectsClass(p, cls));
  if (nps.length > 0) {
    for (const p of nps) {
      v.isolatedBy.push(`${p.namespace}/${p.name}`);
      for (const r of policyRules(p, direction)) {
        if (r.peers !== null && !r.peers.some((x) => npPeerMatches(p.namespace, x, peer))) continue;
        const rc = intersect(npRuleConn(r, dst), undecided);
        if (rc === EMPTY) continue;
        v.contributions.push({ policy: `${p.namespace}/${p.name}`, kind: 'NetworkPolicy', rule: `${direction}[${r.index}]`, action: 'Allow', conn: rc });
        allowed = union(allowed, rc);
      }
    }
  } else {
    let rest = undecided;
    const b = model.baselinePolicy;
    if (b && policyRules(b, direction).length > 0 && anpSubjectSelects(b, cls, subject.nsLabels)) {
      v.adminPolicies.push(b.name);
      for (const r of policyRules(b, direction)) {
        if (!r.peers.some((p) => anpPeerMatches(p, peer))) continue;
        const rc = intersect(anpRuleConn(r, dst), rest);
        if (rc === EMPTY) continue;
        v.contributions.push({ policy: b.name, kind: 'BaselineAdminNetworkPolicy', rule: r.name, action: r.action, conn: rc });
        if (r.action === 'Allow') allowed = union(allowed, rc);
        rest = subtract(rest, rc);
      }
    }
    v.defaultAllowed = rest;
    allowed = union(allowed, rest);
  }
  v.allowed = allowed;
  return v;
}

/**
 * True when anything can restrict `cls` in `direction`: a NetworkPolicy that isolates it, or
 * an admin policy (ANP or BANP) with rules for that direction that selects it. When false,
 * the direction allows everything, whatever the peer.
 */
export function directionRestricted(model: NetworkModel, direction: Direction, cls: PodClass, nsLabels: Labels, nsPolicies?: readonly NetworkPolicyInfo[]): boolean {
  for (const p of nsPolicies ?? model.policies) if ((direction === 'ingress' ? p.affectsIngress : p.affectsEgress) && npSelectsClass(p, cls)) return true;
  for (const a of model.adminPolicies) if (policyRules(a, direction).length > 0 && anpSubjectSelects(a, cls, nsLabels)) return true;
  const b = model.baselinePolicy;
  return !!b && policyRules(b, direction).length > 0 && anpSubjectSelects(b, cls, nsLabels);
}

/** Reference connection between two endpoints: egress of the source ∩ ingress of the destination. */
export function evaluatePair(model: NetworkModel, src: Endpoint, dst: Endpoint): { conn: ConnSet; egress: DirectionVerdict; ingress: DirectionVerdict } {
  const egress = evaluateDirection(model, 'egress', src, dst);
  const ingress = evaluateDirection(model, 'ingress', dst, src);
  return { conn: intersect(egress.allowed, ingress.allowed), egress, ingress };
}

export function podEndpoint(model: NetworkModel, cls: PodClass): Endpoint {
  const ns = model.namespaces.find((n) => n.name === cls.namespace);
  return { type: 'pod', cls, nsLabels: ns ? ns.labels : { 'kubernetes.io/metadata.name': cls.namespace } };
}

// ---------------------------------------------------------------------------------------------
// Fast path

interface Ctx {
  model: NetworkModel;
  classes: PodClass[];
  nsLabels: Map<string, Labels>;
  classesByNs: Map<string, number[]>;
  C: number;
  extIn: IpRange[];
  extOut: IpRange[];
  selectorCache: Map<string, Int32Array>;
}

function selKey(s: LabelSelector | null): string {
  if (s === null) return '-';
  const ml = s.matchLabels ?? {};
  const l = Object.keys(ml)
    .sort()
    .map((k) => `${k}=${ml[k]}`)
    .join(',');
  const e = (s.matchExpressions ?? []).map((x) => `${x.key} ${x.operator} ${(x.values ?? []).join('|')}`).join(';');
  return `{${l}}{${e}}`;
}

/** Classes matched by (namespaces matching nsSel or, when nsSel is null, exactly `ns`) ∧ podSel. */
function matchClasses(ctx: Ctx, ns: string | null, nsSel: LabelSelector | null, podSel: LabelSelector | null): Int32Array {
  const key = `${nsSel === null ? `=${ns}` : selKey(nsSel)}|${selKey(podSel)}`;
  const hit = ctx.selectorCache.get(key);
  if (hit) return hit;
  const out: number[] = [];
  const nsList = nsSel === null ? [ns as string] : [...ctx.nsLabels.entries()].filter(([, l]) => selectorMatches(nsSel, l)).map(([n]) => n);
  for (const n of nsList) {
    for (const ci of ctx.classesByNs.get(n) ?? []) {
      const c = ctx.classes[ci] as PodClass;
      if (c.hostNetwork) continue;
      if (podSel === null || selectorMatches(podSel, c.labels)) out.push(ci);
    }
  }
  const arr = Int32Array.from(out);
  ctx.selectorCache.set(key, arr);
  return arr;
}

/** Node indices (classes, then external ranges offset by C) a NetworkPolicy peer matches. */
function npPeerNodes(ctx: Ctx, policyNs: string, peer: NpPeer, ext: IpRange[]): number[] | Int32Array {
  if (peer.type === 'invalid') return [];
  if (peer.type === 'ipBlock') {
    const out: number[] = [];
    ext.forEach((r, i) => {
      if (rangeWithin(r, peer.ranges)) out.push(ctx.C + i);
    });
    return out;
  }
  return matchClasses(ctx, policyNs, peer.namespaceSelector, peer.podSelector);
}

function anpPeerNodes(ctx: Ctx, peer: AnpPeer, ext: IpRange[]): number[] | Int32Array {
  if (peer.type === 'unsupported') return [];
  if (peer.type === 'networks') {
    const out: number[] = [];
    ext.forEach((r, i) => {
      if (rangeWithin(r, peer.ranges)) out.push(ctx.C + i);
    });
    return out;
  }
  return matchClasses(ctx, null, peer.namespaceSelector, peer.type === 'pods' ? peer.podSelector : null);
}

interface Profile {
  nps: NetworkPolicyInfo[];
  anps: AdminPolicyInfo[];
  banp: boolean;
  /** Ingress only: the subject class, when a rule uses named ports. */
  subject: PodClass | null;
}

function buildVector(ctx: Ctx, direction: Direction, prof: Profile): Int32Array | null {
  if (prof.nps.length === 0 && prof.anps.length === 0 && !prof.banp) return null;
  const ext = direction === 'ingress' ? ctx.extIn : ctx.extOut;
  const n = ctx.C + ext.length;
  const dstOf = (node: number): PodClass | null =>
    direction === 'ingress' ? prof.subject : node < ctx.C ? (ctx.classes[node] as PodClass) : null;

  // NetworkPolicy part.
  let npVec: Int32Array | null = null;
  if (prof.nps.length > 0) {
    npVec = new Int32Array(n).fill(EMPTY.id);
    for (const p of prof.nps) {
      for (const r of policyRules(p, direction)) {
        const named = npRuleHasNamedPort(r);
        const fixed = named && direction === 'egress' ? null : npRuleConn(r, direction === 'ingress' ? prof.subject : null);
        const add = (node: number): void => {
          const rc = fixed ?? npRuleConn(r, dstOf(node));
          if (rc !== EMPTY) npVec![node] = union(connById(npVec![node] as number), rc).id;
        };
        if (r.peers === null) for (let i = 0; i < n; i++) add(i);
        else for (const peer of r.peers) for (const node of npPeerNodes(ctx, p.namespace, peer, ext)) add(node);
      }
    }
  }
  if (prof.anps.length === 0 && !prof.banp) return npVec;

  // Admin policies: per node, ordered rule steps.
  const steps: Array<Array<{ action: AnpAction; rule: AnpRule }>> = Array.from({ length: n }, () => []);
  const collect = (rules: AnpRule[]): void => {
    for (const r of rules) {
      const seen = new Set<number>();
      for (const peer of r.peers) for (const node of anpPeerNodes(ctx, peer, ext)) seen.add(node);
      for (const node of seen) (steps[node] as Array<{ action: AnpAction; rule: AnpRule }>).push({ action: r.action, rule: r });
    }
  };
  for (const a of prof.anps) collect(policyRules(a, direction));
  const anpSteps = steps.map((s) => s.slice());
  for (const s of steps) s.length = 0;
  const b = ctx.model.baselinePolicy;
  if (prof.banp && b) collect(policyRules(b, direction));
  const out = new Int32Array(n);
  for (let node = 0; node < n; node++) {
    const dst = dstOf(node);
    let remaining = ALL;
    let allowed = EMPTY;
    let passed = EMPTY;
    for (const st of anpSteps[node] as Array<{ action: AnpAction; rule: AnpRule }>) {
      const rc = intersect(anpRuleConn(st.rule, dst), remaining);
      if (rc === EMPTY) continue;
      if (st.action === 'Allow') allowed = union(allowed, rc);
      else if (st.action === 'Pass') passed = union(passed, rc);
      remaining = subtract(remaining, rc);
    }
    const undecided = union(remaining, passed);
    if (npVec) allowed = union(allowed, intersect(connById(npVec[node] as number), undecided));
    else {
      let rest = undecided;
      for (const st of steps[node] as Array<{ action: AnpAction; rule: AnpRule }>) {
        const rc = intersect(anpRuleConn(st.rule, dst), rest);
        if (rc === EMPTY) continue;
        if (st.action === 'Allow') allowed = union(allowed, rc);
        rest = subtract(rest, rc);
      }
      allowed = union(allowed, rest);
    }
    out[node] = allowed.id;
  }
  return out;
}

function namedPortsKey(c: PodClass): string {
  return Object.keys(c.namedPorts)
    .sort()
    .map((k) => `${k}:${c.namedPorts[k]?.protocol}/${c.namedPorts[k]?.port}`)
    .join(',');
}

/** Computes class-level connectivity for the whole model. */
export function computeConnectivity(model: NetworkModel, options: ConnectivityOptions = {}): Connectivity {
  const { extIn, extOut } = externalRanges(model, options);
  const classes = model.classes;
  const C = classes.length;
  const nsLabels = nsLabelsOf(model);
  const classesByNs = new Map<string, number[]>();
  for (const c of classes) {
    const l = classesByNs.get(c.namespace);
    if (l) l.push(c.index);
    else classesByNs.set(c.namespace, [c.index]);
  }
  const ctx: Ctx = { model, classes, nsLabels, classesByNs, C, extIn, extOut, selectorCache: new Map() };
  const policiesByNs = new Map<string, NetworkPolicyInfo[]>();
  for (const p of model.policies) {
    const l = policiesByNs.get(p.namespace);
    if (l) l.push(p);
    else policiesByNs.set(p.namespace, [p]);
  }

  const egressProfileOf = new Int32Array(C);
  const ingressProfileOf = new Int32Array(C);
  const egressRows: Array<Int32Array | null> = [];
  const ingressCols: Array<Int32Array | null> = [];
  const egressKeys = new Map<string, number>();
  const ingressKeys = new Map<string, number>();
  const b = model.baselinePolicy;

  for (const c of classes) {
    const nsl = nsLabels.get(c.namespace) ?? {};
    const nsPolicies = (policiesByNs.get(c.namespace) ?? []).filter((p) => npSelectsClass(p, c));
    const anps = model.adminPolicies.filter((a) => anpSubjectSelects(a, c, nsl));
    const banpSel = !!b && anpSubjectSelects(b, c, nsl);
    for (const direction of ['egress', 'ingress'] as const) {
      const nps = nsPolicies.filter((p) => (direction === 'ingress' ? p.affectsIngress : p.affectsEgress));
      const dAnps = anps.filter((a) => policyRules(a, direction).length > 0);
      const dBanp = banpSel && !!b && policyRules(b, direction).length > 0;
      let subject: PodClass | null = null;
      let key = `${nps.map((p) => p.index).join(',')}|${dAnps.map((a) => a.index).join(',')}|${dBanp ? 1 : 0}`;
      if (direction === 'ingress') {
        const named =
          nps.some((p) => p.ingress.some(npRuleHasNamedPort)) ||
          dAnps.some((a) => a.ingress.some(anpRuleHasNamedPort)) ||
          (dBanp && !!b && b.ingress.some(anpRuleHasNamedPort));
        // Ingress rules resolve named ports against the subject; numbered rules do not need it.
        subject = c;
        if (named) key += `|${namedPortsKey(c)}`;
      }
      const keys = direction === 'egress' ? egressKeys : ingressKeys;
      let id = keys.get(key);
      if (id === undefined) {
        const vec = buildVector(ctx, direction, { nps, anps: dAnps, banp: dBanp, subject });
        const list = direction === 'egress' ? egressRows : ingressCols;
        id = list.length;
        list.push(vec);
        keys.set(key, id);
      }
      (direction === 'egress' ? egressProfileOf : ingressProfileOf)[c.index] = id;
    }
  }
  return { model, extIn, extOut, egressProfileOf, ingressProfileOf, egressRows, ingressCols };
}

/** Allowed connections from class `a` to class `b`. */
export function classConn(cx: Connectivity, a: number, b: number): ConnSet {
  const row = cx.egressRows[cx.egressProfileOf[a] as number];
  const col = cx.ingressCols[cx.ingressProfileOf[b] as number];
  const e = row ? connById(row[b] as number) : ALL;
  const i = col ? connById(col[a] as number) : ALL;
  return intersect(e, i);
}

/** Allowed connections from class `a` to external destination range `y` (index into extOut). */
export function classToExternal(cx: Connectivity, a: number, y: number): ConnSet {
  const row = cx.egressRows[cx.egressProfileOf[a] as number];
  return row ? connById(row[cx.model.classes.length + y] as number) : ALL;
}

/** Allowed connections from external source range `x` (index into extIn) to class `b`. */
export function externalToClass(cx: Connectivity, x: number, b: number): ConnSet {
  const col = cx.ingressCols[cx.ingressProfileOf[b] as number];
  return col ? connById(col[cx.model.classes.length + x] as number) : ALL;
}
