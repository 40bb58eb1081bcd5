/**
 * Workloads reachable from everything: every other workload and every external address can
 * open some connection to them. Decided lazily on the network model — no connectivity matrix,
 * no workload × workload list — so that it stays cheap on large clusters:
 * - a destination nothing restricts for ingress is reachable by every source whose egress is
 *   unrestricted, so only workloads restricted for egress need a look;
 * - a destination NetworkPolicies restrict for ingress lets a source in on the ports of the
 *   rules whose peers match it. Sources no specific peer matches all get the same ports (those
 *   of the rules open to every peer, and of the rules whose peers match every pod), so they
 *   count once; only the sources some narrower peer matches, and those restricted for egress,
 *   are looked at one by one. (A port-only rule — "anyone on 8080" — used to make every
 *   destination it guards look at every workload: quadratic, minutes on large clusters.)
 * - with admin network policies in play, a restricted destination is checked source by source.
 */
import { ALL, EMPTY, connById, intersect, union, type ConnSet } from './conn.js';
import {
  directionRestricted,
  evaluateDirection,
  externalRanges,
  npRuleConn,
  npSelectsClass,
  type ConnectivityOptions,
  type Endpoint,
} from './evaluate.js';
import type { NetworkModel, NetworkPolicyInfo, PodClass, Workload } from './model.js';
import { RulePeerIndex } from './rule-peers.js';

export interface Reachable {
  workload: Workload;
  /** The connections every source can open. */
  conn: ConnSet;
}

type PodEndpoint = Endpoint & { type: 'pod' };


export function reachableFromEverything(model: NetworkModel, options: ConnectivityOptions = {}): Reachable[] {
  const out: Reachable[] = [];
  if (model.workloads.length < 2) return out;
  const nsLabels = new Map(model.namespaces.map((n) => [n.name, n.labels]));
  const policiesByNs = new Map<string, NetworkPolicyInfo[]>();
  for (const p of model.policies) {
    const l = policiesByNs.get(p.namespace);
    if (l) l.push(p);
    else policiesByNs.set(p.namespace, [p]);
  }
  const endpoints: PodEndpoint[] = model.classes.map((cls) => ({
    type: 'pod',
    cls,
    nsLabels: nsLabels.get(cls.namespace) ?? { 'kubernetes.io/metadata.name': cls.namespace },
  }));
  const nsPoliciesOf = (e: Endpoint): NetworkPolicyInfo[] => (e.type === 'pod' ? (policiesByNs.get(e.cls.namespace) ?? []) : []);
  const restricted = (direction: 'ingress' | 'egress', c: number): boolean => {
    const ep = endpoints[c] as PodEndpoint;
    return directionRestricted(model, direction, ep.cls, ep.nsLabels, nsPoliciesOf(ep));
  };
  const egressRestricted = model.classes.map((c) => restricted('egress', c.index));
  const ingressRestricted = model.classes.map((c) => restricted('ingress', c.index));
  // Workloads whose every class is restricted for egress: the only sources that can fail an unrestricted destination.
  const egressOnlyRestricted = model.workloads.filter((w) => w.classes.length > 0 && w.classes.every((c) => egressRestricted[c]));
  const { extIn } = externalRanges(model, options);

  /** What `o` can open to `w`, pair by pair: egress ∩ ingress, or egress alone to an `open` destination. */
  const connFrom = (o: Workload, w: Workload, open: boolean): ConnSet => {
    let c: ConnSet = EMPTY;
    for (const s of o.classes) {
      const src = endpoints[s] as PodEndpoint;
      for (const dc of w.classes) {
        const d = endpoints[dc] as PodEndpoint;
        const egress = evaluateDirection(model, 'egress', src, d, nsPoliciesOf(src)).allowed;
        c = union(c, open ? egress : intersect(egress, evaluateDirection(model, 'ingress', d, src, nsPoliciesOf(d)).allowed));
        if (c === ALL) return c;
      }
    }
    return c;
  };

  // Sources sorted by what the shortcut needs of them.
  const W = model.workloads.length;
  const hasEgressRestriction = new Uint8Array(W);
  let zeroClass = 0;
  let plainNonHost = 0;
  let plainAllHost = 0;
  const allHost = (o: Workload): boolean => o.classes.every((c) => (model.classes[c] as PodClass).hostNetwork);
  for (const o of model.workloads) {
    if (o.classes.length === 0) zeroClass++;
    else if (o.classes.some((c) => egressRestricted[c])) hasEgressRestriction[o.index] = 1;
    else if (allHost(o)) plainAllHost++;
    else plainNonHost++;
  }
  const explicitSources = model.workloads.filter((o) => hasEgressRestriction[o.index] === 1);
  const adminInPlay = model.adminPolicies.length > 0 || model.baselinePolicy !== undefined;

  const peerIndex = new RulePeerIndex(model, endpoints);
  // Per destination: which sources some narrower peer matches (stamped), and their extra ports.
  const sourceStamp = new Int32Array(W);
  const sourceExtra = new Int32Array(W);
  let sourceRound = 0;

  /**
   * What every source other than `w` can open to `w`, a destination NetworkPolicies restrict
   * (no admin policies in play). Starts from `start` and stops once it is empty.
   */
  const fromEverySource = (w: Workload, start: ConnSet): ConnSet => {
    if (zeroClass > 0) return EMPTY;
    let common = start;
    // A source unrestricted for egress gets what the destination classes' ingress rules give
    // it: the rules open to every peer, those whose peers match every pod (unless all its
    // pods are on the host network), and those whose peers match it.
    let anyOpenClass = false;
    let baseAll = EMPTY; // to a source with a pod off the host network
    let baseNone = EMPTY; // to a source whose pods are all on the host network
    const self = w.index;
    sourceRound++;
    // Sources a narrower peer matches. Peers match only pods off the host network, so every
    // one of these has such a pod.
    const specific: number[] = [];
    for (const dc of w.classes) {
      const d = model.classes[dc] as PodClass;
      const policies = (policiesByNs.get(d.namespace) ?? []).filter((p) => p.affectsIngress && npSelectsClass(p, d));
      if (policies.length === 0) {
        anyOpenClass = true;
        break;
      }
      for (const p of policies) {
        for (const rule of p.ingress) {
          const conn = npRuleConn(rule, d);
          if (rule.peers === null) {
            baseNone = union(baseNone, conn);
            baseAll = union(baseAll, conn);
            continue;
          }
          if (conn === EMPTY) continue;
          const peers = peerIndex.of(p, rule, rule.peers);
          if (peers.universal) {
            baseAll = union(baseAll, conn);
            continue;
          }
          for (const wi of peers.workloads) {
            if (wi === self || hasEgressRestriction[wi] === 1) continue;
            if (sourceStamp[wi] !== sourceRound) {
              sourceStamp[wi] = sourceRound;
              sourceExtra[wi] = conn.id;
              specific.push(wi);
            } else sourceExtra[wi] = union(connById(sourceExtra[wi] as number), conn).id;
          }
        }
      }
    }
    if (!anyOpenClass) {
      let nonHost = plainNonHost - specific.length;
      let host = plainAllHost;
      if (hasEgressRestriction[self] === 0) {
        if (allHost(w)) host--;
        else nonHost--;
      }
      // Sources no narrower peer matches get their base; the others baseAll and those rules'
      // ports, which matter only when no plain source off the host network bounds the result
      // to baseAll already.
      if (nonHost > 0) common = intersect(common, baseAll);
      if (host > 0) common = intersect(common, baseNone);
      if (nonHost === 0) for (const wi of specific) common = intersect(common, union(baseAll, connById(sourceExtra[wi] as number)));
      if (common === EMPTY) return EMPTY;
    }
    for (const o of explicitSources) {
      if (o === w) continue;
      common = intersect(common, connFrom(o, w, false));
      if (common === EMPTY) return EMPTY;
    }
    return common;
  };

  for (const w of model.workloads) {
    if (w.classes.length === 0) continue;
    const dsts = w.classes.map((c) => endpoints[c] as Endpoint);
    let common: ConnSet = ALL;
    // External sources.
    for (const range of extIn) {
      const src: Endpoint = { type: 'ip', range };
      let c: ConnSet = EMPTY;
      for (const d of dsts) c = union(c, evaluateDirection(model, 'ingress', d, src, nsPoliciesOf(d)).allowed);
      common = intersect(common, c);
      if (common === EMPTY) break;
    }
    if (common === EMPTY) continue;
    const open = w.classes.every((c) => !ingressRestricted[c]);
    if (open || adminInPlay) {
      const sources = open ? egressOnlyRestricted : model.workloads;
      for (const o of sources) {
        if (o === w) continue;
        common = intersect(common, connFrom(o, w, open));
        if (common === EMPTY) break;
      }
    } else {
      common = fromEverySource(w, common);
    }
    if (common !== EMPTY) out.push({ workload: w, conn: common });
  }
  return out;
}
