/**
 * Which workloads a NetworkPolicy rule's selector peers match (ipBlock peers match no pod),
 * and whether they match every pod off the host network. Classes are matched once per
 * distinct peer — policies in many namespaces repeat the same selectors — and namespaces
 * once per namespace selector.
 */
import { selectorMatches } from '../../model/selectors.js';
import { npPeerMatches, type Endpoint } from './evaluate.js';
import type { NetworkModel, NetworkPolicyInfo, NpPeer, NpRule, PodClass } from './model.js';

export interface RulePeers {
  /** The peers match every pod class off the host network. */
  universal: boolean;
  /** Indices of the workloads with a matched class (may repeat). */
  workloads: readonly number[];
}

type SelectorPeer = NpPeer & { type: 'selector' };

export class RulePeerIndex {
  private readonly classesByNs = new Map<string, number[]>();
  private readonly nsLabels: Map<string, Record<string, string>>;
  private readonly nonHostClasses: number;
  private readonly namespacesOf = new Map<string, string[]>();
  private readonly classesOfPeer = new Map<string, number[]>();
  private readonly byRule = new Map<NpRule, RulePeers>();
  private readonly stamp: Int32Array;
  private round = 0;

  /** `endpoints[i]` is class i as a pod endpoint (with its namespace's labels). */
  constructor(
    private readonly model: NetworkModel,
    private readonly endpoints: ReadonlyArray<Endpoint & { type: 'pod' }>,
  ) {
    for (const c of model.classes) {
      const l = this.classesByNs.get(c.namespace);
      if (l) l.push(c.index);
      else this.classesByNs.set(c.namespace, [c.index]);
    }
    this.nsLabels = new Map(model.namespaces.map((n) => [n.name, n.labels]));
    this.nonHostClasses = model.classes.filter((c) => !c.hostNetwork).length;
    this.stamp = new Int32Array(model.classes.length);
  }

  /** What the peers of `rule` (a rule of `policy`) match. */
  of(policy: NetworkPolicyInfo, rule: NpRule, peers: NonNullable<NpRule['peers']>): RulePeers {
    const hit = this.byRule.get(rule);
    if (hit) return hit;
    this.round++;
    let matched = 0;
    const workloads: number[] = [];
    for (const peer of peers) {
      if (peer.type !== 'selector') continue;
      for (const ci of this.peerClasses(policy.namespace, peer)) {
        if (this.stamp[ci] === this.round) continue;
        this.stamp[ci] = this.round;
        matched++;
        for (const wi of (this.model.classes[ci] as PodClass).workloads) workloads.push(wi);
      }
    }
    const r: RulePeers = { universal: matched === this.nonHostClasses, workloads };
    this.byRule.set(rule, r);
    return r;
  }

  private peerClasses(policyNs: string, peer: SelectorPeer): number[] {
    const nsSel = peer.namespaceSelector;
    const nsKey = nsSel === null ? `=${policyNs}` : JSON.stringify(nsSel);
    const key = `${nsKey}|${JSON.stringify(peer.podSelector)}`;
    let hit = this.classesOfPeer.get(key);
    if (hit) return hit;
    let namespaces = this.namespacesOf.get(nsKey);
    if (!namespaces) {
      namespaces =
        nsSel === null
          ? [policyNs]
          : [...this.classesByNs.keys()].filter((ns) => selectorMatches(nsSel, this.nsLabels.get(ns) ?? { 'kubernetes.io/metadata.name': ns }));
      this.namespacesOf.set(nsKey, namespaces);
    }
    hit = [];
    for (const ns of namespaces) for (const ci of this.classesByNs.get(ns) ?? []) if (npPeerMatches(policyNs, peer, this.endpoints[ci] as Endpoint)) hit.push(ci);
    this.classesOfPeer.set(key, hit);
    return hit;
  }
}
