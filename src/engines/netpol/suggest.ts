/**
 * Least-privilege NetworkPolicy synthesis.
 *
 * Output, per namespace that has workloads (kube-system and namespaces in `exclude` are left
 * alone): a default-deny policy for both directions, an egress allowance for DNS to kube-dns
 * (UDP and TCP 53 to pods `k8s-app=kube-dns` in kube-system), then one ingress policy per
 * destination workload and one egress policy per source workload, with one rule per needed flow.
 *
 * Needed flows come from:
 * 1. declared intents: every `allow` entry (workload to workload, or to/from external CIDRs);
 * 2. Services (heuristic, on by default): workload W needs Service S when W's containers name S
 *    in an env value, command or argument, or in a ConfigMap W reads (envFrom, configMapKeyRef
 *    or a configMap volume) — as a whole word `S` or `S.<ns>` (same namespace only), or
 *    `S.<ns>.svc` / `S.<ns>.svc.cluster.local` (any namespace). The flow goes to the workloads
 *    S selects, on S's target ports (named target ports resolved against the pods);
 * 3. exposure: workloads behind an Ingress or Route get ingress from every namespace (the
 *    ingress controller's location is unknown) on the exposed ports; behind a LoadBalancer or
 *    NodePort Service, also from every external address.
 * `deny` intents remove matching flows, `allow-only` intents remove flows from unlisted sources.
 * The result is verified by running the engine on the input plus the suggested policies.
 */
import { escapeRegExp } from '../../core/regexp.js';
import { ownValue } from '../../core/records.js';
import type { KubeObject } from '../../core/types.js';
import type { LabelSelector } from '../../model/selectors.js';
import { mapSelectorMatches } from '../../model/selectors.js';
import { allContainers, podTemplateOf } from '../../model/workloads.js';
import type { ConnSet } from './conn.js';
import { ALL, EMPTY, PROTOCOLS, connRanges, formatConn, intersect, isSubset, portRange, subtract, union } from './conn.js';
import { IPV4_ALL, formatAddress, isV6 } from './ip.js';
import type { IpRange } from './ip.js';
import type { IntentsFile } from './intents.js';
import { checkIntents, endpointMatchesWorkload } from './intents.js';
import type { Connection } from './list.js';
import { connectionList } from './list.js';
import { computeConnectivity } from './evaluate.js';
import type { NetworkModel, PodClass, Workload } from './model.js';
import { NS_NAME_LABEL, buildNetworkModel, flattenObjects } from './model.js';
import { asRecord as rec } from '../../core/records.js';

export interface SuggestOptions {
  intents?: IntentsFile;
  /** Infer flows from Services referenced by workloads (default true). */
  fromServices?: boolean;
  /** Namespaces to leave without policies (kube-system is always left alone). */
  exclude?: string[];
}

export interface SuggestedFlow {
  src: string;
  dst: string;
  conn: string;
  reason: string;
}

export interface Suggestion {
  policies: KubeObject[];
  flows: SuggestedFlow[];
  /** Flows dropped because a deny / allow-only intent forbids them. */
  dropped: SuggestedFlow[];
  verification: { ok: boolean; problems: string[] };
}

interface Flow {
  src: string; // workload id, `*` (any namespace) or an external CIDR list marker
  dst: string;
  conn: ConnSet;
  reason: string;
  srcExternal?: IpRange[];
  dstExternal?: IpRange[];
  fromAnyNamespace?: boolean;
}

const VOLATILE_LABELS = new Set(['pod-template-hash', 'controller-revision-hash', 'pod-template-generation', 'statefulset.kubernetes.io/pod-name']);


function podLabels(model: NetworkModel, w: Workload): Record<string, string> {
  const cls = model.classes[w.classes[0] as number] as PodClass;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(cls.labels)) if (!VOLATILE_LABELS.has(k)) out[k] = v;
  return out;
}

function dnsName(s: string): string {
  const n = s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return n.length > 63 ? n.slice(0, 63).replace(/-+$/, '') : n;
}

function cidrsOf(r: IpRange): string[] {
  // Decompose a range into CIDRs.
  const out: string[] = [];
  const v6 = isV6(r.lo);
  const off = v6 ? 1n << 32n : 0n;
  const bits = v6 ? 128n : 32n;
  let lo = r.lo - off;
  const hi = r.hi - off;
  while (lo <= hi) {
    let size = 0n;
    while (size < bits && (lo & ((1n << (size + 1n)) - 1n)) === 0n && lo + (1n << (size + 1n)) - 1n <= hi) size++;
    out.push(`${formatAddress(lo + off)}/${bits - size}`);
    lo += 1n << size;
  }
  return out;
}

function npPorts(c: ConnSet): Array<Record<string, unknown>> | undefined {
  if (c === ALL) return undefined;
  const out: Array<Record<string, unknown>> = [];
  const r = connRanges(c);
  for (const p of PROTOCOLS)
    for (const [lo, hi] of r[p]) {
      if (lo === 1 && hi === 65535) out.push({ protocol: p });
      else if (lo === hi) out.push({ protocol: p, port: lo });
      else out.push({ protocol: p, port: lo, endPort: hi });
    }
  return out;
}

/** Text a workload's containers use to find other services. */
function referenceText(obj: KubeObject, configMaps: Map<string, string>): string {
  const tpl = podTemplateOf(obj);
  if (!tpl) return '';
  const ns = obj.metadata.namespace || 'default';
  const parts: string[] = [];
  for (const { container } of allContainers(tpl.spec)) {
    for (const e of container.env ?? []) {
      if (typeof e.value === 'string') parts.push(e.value);
      const cm = rec(rec(e.valueFrom)?.['configMapKeyRef']);
      if (cm && typeof cm['name'] === 'string') parts.push(configMaps.get(`${ns}/${cm['name']}`) ?? '');
    }
    for (const ef of container.envFrom ?? []) {
      const cm = rec(ef['configMapRef']);
      if (cm && typeof cm['name'] === 'string') parts.push(configMaps.get(`${ns}/${cm['name']}`) ?? '');
    }
    parts.push(...(container.command ?? []), ...(container.args ?? []));
  }
  for (const v of tpl.spec.volumes ?? []) {
    const cm = rec(v['configMap']);
    if (cm && typeof cm['name'] === 'string') parts.push(configMaps.get(`${ns}/${cm['name']}`) ?? '');
  }
  return parts.join('\n');
}

const HOST_CHARS = /^[A-Za-z0-9.-]+$/;

/**
 * Every string a host name can be found as in `text`: a run of `[A-Za-z0-9.-]` (what precedes
 * it is something else), or such a run cut just before one of its dots. A name is mentioned
 * exactly when it is one of these: the set is built once per text instead of one regular
 * expression per Service.
 */
export function hostCandidates(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/[A-Za-z0-9.-]+/g)) {
    const run = m[0];
    out.add(run);
    for (let i = run.indexOf('.'); i !== -1; i = run.indexOf('.', i + 1)) if (i > 0) out.add(run.slice(0, i));
  }
  return out;
}

/**
 * A lookup of the Services a text mentions (by the names a workload in `fromNs` would use:
 * `svc.ns.svc.cluster.local`, `svc.ns.svc`, and in its own namespace `svc.ns` and `svc`),
 * returning their indices in `services` in order. Names that are DNS labels are found through
 * the text's host-name candidates; any other name through its expression.
 */
export function serviceReferences(services: ReadonlyArray<{ name: string; namespace: string }>): (text: string, fromNs: string) => number[] {
  const LABEL = /^[A-Za-z0-9-]+$/;
  const byKey = new Map<string, number>();
  const others: number[] = [];
  services.forEach((svc, i) => {
    const key = `${svc.namespace}/${svc.name}`;
    if (LABEL.test(svc.name) && LABEL.test(svc.namespace) && !byKey.has(key)) byKey.set(key, i);
    else others.push(i);
  });
  const LONG = '.svc.cluster.local';
  return (text, fromNs) => {
    const candidates = hostCandidates(text);
    const found = new Set<number>();
    for (const c of candidates) {
      const qualified = c.endsWith(LONG) ? c.slice(0, -LONG.length) : c.endsWith('.svc') ? c.slice(0, -4) : undefined;
      const base = qualified ?? c;
      const dot = base.indexOf('.');
      let hit: number | undefined;
      if (dot === -1) hit = qualified === undefined ? byKey.get(`${fromNs}/${base}`) : undefined;
      else if (base.indexOf('.', dot + 1) === -1) {
        const ns = base.slice(dot + 1);
        if (qualified !== undefined || ns === fromNs) hit = byKey.get(`${ns}/${base.slice(0, dot)}`);
      }
      if (hit !== undefined) found.add(hit);
    }
    for (const i of others) {
      const svc = services[i] as { name: string; namespace: string };
      if (mentions(text, candidates, svc.name, svc.namespace, fromNs)) found.add(i);
    }
    return [...found].sort((a, b) => a - b);
  };
}

/** Whether `text` names Service `svc` of `svcNs` as a workload in `fromNs` would reach it. */
function mentions(text: string, candidates: Set<string>, svc: string, svcNs: string, fromNs: string): boolean {
  const names = [`${svc}.${svcNs}.svc.cluster.local`, `${svc}.${svcNs}.svc`];
  if (svcNs === fromNs) names.push(`${svc}.${svcNs}`, svc);
  return names.some((n) =>
    HOST_CHARS.test(n) ? candidates.has(n) : new RegExp(`(^|[^A-Za-z0-9.-])${escapeRegExp(n)}($|[^A-Za-z0-9-])`).test(text),
  );
}

function serviceTargetConn(svc: NetworkModel['services'][number], cls: PodClass): ConnSet {
  let c = EMPTY;
  for (const p of svc.ports) {
    if (typeof p.targetPort === 'number') c = union(c, portRange(p.protocol, p.targetPort, p.targetPort));
    else {
      const np = ownValue(cls.namedPorts, p.targetPort);
      if (np) c = union(c, portRange(np.protocol, np.port, np.port));
    }
  }
  return c;
}

function peerFor(model: NetworkModel, w: Workload, policyNs: string): Record<string, unknown> {
  const peer: Record<string, unknown> = { podSelector: { matchLabels: podLabels(model, w) } };
  if (w.namespace !== policyNs) peer['namespaceSelector'] = { matchLabels: { [NS_NAME_LABEL]: w.namespace } };
  return peer;
}

/** Synthesises least-privilege policies for `objects` (see the module comment). */
export function suggestPolicies(input: readonly KubeObject[], options: SuggestOptions = {}): Suggestion {
  const objects = flattenObjects(input);
  const model = buildNetworkModel(objects);
  const byId = new Map(model.workloads.map((w) => [w.id, w]));
  const flows: Flow[] = [];
  const exclude = new Set(['kube-system', ...(options.exclude ?? [])]);

  // 1. Intents.
  for (const i of options.intents?.intents ?? []) {
    if (i.kind !== 'allow') continue;
    const srcs = model.workloads.filter((w) => i.from.some((s) => endpointMatchesWorkload(model, s, w)));
    const dsts = model.workloads.filter((w) => i.to.some((s) => endpointMatchesWorkload(model, s, w)));
    const reason = `intent allow[${i.index}]`;
    for (const s of srcs) for (const d of dsts) if (s !== d) flows.push({ src: s.id, dst: d.id, conn: i.ports, reason });
    for (const e of i.from) if (e.type === 'external') for (const d of dsts) flows.push({ src: e.text, dst: d.id, conn: i.ports, reason, srcExternal: e.ranges });
    for (const e of i.to) if (e.type === 'external') for (const s of srcs) flows.push({ src: s.id, dst: e.text, conn: i.ports, reason, dstExternal: e.ranges });
  }

  // 2. Services referenced by workloads; 3. exposure.
  const configMaps = new Map<string, string>();
  for (const o of objects) {
    if (o.kind !== 'ConfigMap') continue;
    const data = rec(o['data']) ?? {};
    configMaps.set(`${o.metadata.namespace || 'default'}/${o.metadata.name ?? ''}`, Object.values(data).map(String).join('\n'));
  }
  const backing = (svc: NetworkModel['services'][number]): Array<{ w: Workload; conn: ConnSet }> => {
    const out = new Map<number, ConnSet>();
    for (const c of model.classes) {
      if (c.namespace !== svc.namespace || !mapSelectorMatches(svc.selector, c.labels)) continue;
      for (const wi of c.workloads) out.set(wi, union(out.get(wi) ?? EMPTY, serviceTargetConn(svc, c)));
    }
    return [...out].map(([wi, conn]) => ({ w: model.workloads[wi] as Workload, conn }));
  };
  const referencedServices = serviceReferences(model.services);
  if (options.fromServices !== false) {
    for (const o of objects) {
      const tpl = podTemplateOf(o);
      if (!tpl) continue;
      const ns = o.metadata.namespace || 'default';
      const owners = o.kind === 'Pod' ? model.workloads.filter((w) => w.namespace === ns && (w.name === o.metadata.name || (o.metadata.ownerReferences ?? []).some((r) => r.name === w.name))) : [byId.get(`${ns}/${o.metadata.name}[${o.kind}]`)];
      const text = referenceText(o, configMaps);
      if (!text) continue;
      for (const si of referencedServices(text, ns)) {
        const svc = model.services[si] as NetworkModel['services'][number];
        if (!svc.selector) continue;
        for (const { w: d, conn } of backing(svc))
          for (const s of owners) if (s && s !== d && conn !== EMPTY) flows.push({ src: s.id, dst: d.id, conn, reason: `references Service ${svc.namespace}/${svc.name}` });
      }
    }
    const exposedSvc = new Set(model.exposures.map((e) => `${e.namespace}/${e.service}`));
    for (const o of objects) {
      if (o.kind !== 'Service') continue;
      const type = String(rec(o['spec'])?.['type'] ?? 'ClusterIP');
      const key = `${o.metadata.namespace || 'default'}/${o.metadata.name ?? ''}`;
      const svc = model.services.find((s) => `${s.namespace}/${s.name}` === key);
      if (!svc) continue;
      const external = type === 'LoadBalancer' || type === 'NodePort';
      if (!external && !exposedSvc.has(key)) continue;
      for (const { w: d, conn } of backing(svc)) {
        if (conn === EMPTY) continue;
        if (exposedSvc.has(key)) flows.push({ src: '*', dst: d.id, conn, reason: `exposed by Ingress/Route via Service ${key}`, fromAnyNamespace: true });
        if (external) flows.push({ src: '0.0.0.0/0', dst: d.id, conn, reason: `${type} Service ${key}`, srcExternal: [IPV4_ALL] });
      }
    }
  }

  // Deny / allow-only intents remove flows.
  const kept: Flow[] = [];
  const dropped: SuggestedFlow[] = [];
  for (const f of flows) {
    let conn = f.conn;
    const sw = byId.get(f.src);
    const dw = byId.get(f.dst);
    for (const i of options.intents?.intents ?? []) {
      if (i.kind === 'allow' || !dw || !i.to.some((e) => endpointMatchesWorkload(model, e, dw))) continue;
      const srcMatches = sw ? i.from.some((e) => endpointMatchesWorkload(model, e, sw)) : i.from.some((e) => e.type === 'external' && !!f.srcExternal);
      if (i.kind === 'deny' ? srcMatches : !srcMatches) conn = subtract(conn, i.ports);
    }
    if (conn === EMPTY) dropped.push({ src: f.src, dst: f.dst, conn: formatConn(f.conn), reason: `${f.reason}; forbidden by an intent` });
    else kept.push({ ...f, conn });
  }

  // Merge flows per (src, dst).
  const merged = new Map<string, Flow>();
  for (const f of kept) {
    const k = `${f.src}\u0000${f.dst}`;
    const prev = merged.get(k);
    merged.set(k, prev ? { ...prev, conn: union(prev.conn, f.conn), reason: prev.reason.includes(f.reason) ? prev.reason : `${prev.reason}; ${f.reason}` } : f);
  }
  const finalFlows = [...merged.values()].sort((a, b) => (a.src + a.dst < b.src + b.dst ? -1 : 1));

  // Policies.
  const policies: KubeObject[] = [];
  const np = (ns: string, name: string, spec: Record<string, unknown>): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: dnsName(name), namespace: ns, labels: { 'app.kubernetes.io/managed-by': 'kubeward' } },
    spec,
  });
  const namespaces = [...new Set(model.workloads.map((w) => w.namespace))].filter((n) => !exclude.has(n)).sort();
  for (const ns of namespaces) {
    policies.push(np(ns, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
    policies.push(
      np(ns, 'allow-dns-egress', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { [NS_NAME_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      }),
    );
  }
  const ingressRules = new Map<string, Array<Record<string, unknown>>>();
  const egressRules = new Map<string, Array<Record<string, unknown>>>();
  const push = (m: Map<string, Array<Record<string, unknown>>>, k: string, r: Record<string, unknown>): void => {
    const l = m.get(k);
    if (l) l.push(r);
    else m.set(k, [r]);
  };
  const withPorts = (r: Record<string, unknown>, c: ConnSet): Record<string, unknown> => {
    const p = npPorts(c);
    return p ? { ...r, ports: p } : r;
  };
  for (const f of finalFlows) {
    const sw = byId.get(f.src);
    const dw = byId.get(f.dst);
    if (dw && !exclude.has(dw.namespace)) {
      let from: Array<Record<string, unknown>>;
      if (sw) from = [peerFor(model, sw, dw.namespace)];
      else if (f.fromAnyNamespace) from = [{ namespaceSelector: {} }];
      else from = (f.srcExternal ?? []).flatMap((r) => cidrsOf(r)).map((cidr) => ({ ipBlock: { cidr } }));
      push(ingressRules, dw.id, withPorts({ from }, f.conn));
    }
    if (sw && !exclude.has(sw.namespace)) {
      let to: Array<Record<string, unknown>>;
      if (dw) to = [peerFor(model, dw, sw.namespace)];
      else to = (f.dstExternal ?? []).flatMap((r) => cidrsOf(r)).map((cidr) => ({ ipBlock: { cidr } }));
      push(egressRules, sw.id, withPorts({ to }, f.conn));
    }
  }
  for (const [id, rules] of [...ingressRules].sort()) {
    const w = byId.get(id) as Workload;
    policies.push(np(w.namespace, `allow-ingress-${w.name}`, { podSelector: { matchLabels: podLabels(model, w) } as LabelSelector, policyTypes: ['Ingress'], ingress: rules }));
  }
  for (const [id, rules] of [...egressRules].sort()) {
    const w = byId.get(id) as Workload;
    policies.push(np(w.namespace, `allow-egress-${w.name}`, { podSelector: { matchLabels: podLabels(model, w) } as LabelSelector, policyTypes: ['Egress'], egress: rules }));
  }

  // Verification with the engine itself.
  const problems: string[] = [];
  const after = buildNetworkModel([...objects.filter((o) => !(o.kind === 'NetworkPolicy' && namespaces.includes(o.metadata.namespace || 'default'))), ...policies]);
  const list: Connection[] = connectionList(computeConnectivity(after));
  const conns = new Map(list.map((c) => [`${c.src}\u0000${c.dst}`, c.conn]));
  for (const f of finalFlows) {
    if (!byId.has(f.src) || !byId.has(f.dst)) continue;
    const have = conns.get(`${f.src}\u0000${f.dst}`) ?? EMPTY;
    if (!isSubset(f.conn, have)) problems.push(`flow ${f.src} => ${f.dst} (${formatConn(f.conn)}) is not allowed after applying the suggestion (${formatConn(intersect(f.conn, have))})`);
  }
  if (options.intents) {
    const check = checkIntents(after, list, options.intents);
    for (const v of check.violations) problems.push(v.message);
  }
  const shown = (f: Flow): SuggestedFlow => ({ src: f.src, dst: f.dst, conn: formatConn(f.conn), reason: f.reason });
  return { policies, flows: finalFlows.map(shown), dropped, verification: { ok: problems.length === 0, problems } };
}

