/**
 * The network model: what the connectivity computation needs from a set of Kubernetes objects.
 *
 * - Workload peers: the top-level owner of pods, printed `namespace/name[Kind]`. A Pod object is
 *   attributed to its controller ownerReference (a Node owner does not count); a bare pod is its
 *   own peer (`[Pod]`). Pod-owning kinds contribute their pod template (see model/workloads.ts).
 *   Objects without a namespace are in `default`.
 * - Pod classes: pods are grouped by (namespace, labels, named container ports, hostNetwork);
 *   everything the policies can observe about a pod is in that key, so connectivity is computed
 *   once per class pair and then attributed to workloads.
 * - Namespaces: a defined namespace gets `kubernetes.io/metadata.name` if it lacks it (the API
 *   server sets it); a namespace referenced but not defined has only that label.
 * - Policies: networking.k8s.io/v1 NetworkPolicy, policy.networking.k8s.io/v1alpha1
 *   AdminNetworkPolicy and BaselineAdminNetworkPolicy, normalised to plain data.
 * - Exposure: Services with Ingress (networking.k8s.io/v1) and OpenShift Route objects give the
 *   ports a cluster ingress controller may open to backing workloads.
 */
import type { KubeObject } from '../../core/types.js';
import type { LabelSelector, Labels } from '../../model/selectors.js';
import { isWorkloadKind, namespaceOf, podTemplateOf } from '../../model/workloads.js';
import type { Protocol } from './conn.js';
import { isProtocol } from './conn.js';
import type { IpRange } from './ip.js';
import { normaliseRanges, parseCidr, subtractRanges } from './ip.js';
import { asRecord as rec } from '../../core/records.js';

export const NS_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface NamedPort {
  protocol: Protocol;
  port: number;
}

export interface PodClass {
  index: number;
  namespace: string;
  labels: Labels;
  /** Named container ports (first definition of a name wins). */
  namedPorts: Readonly<Record<string, NamedPort>>;
  hostNetwork: boolean;
  /** Indices into `NetworkModel.workloads`. */
  workloads: number[];
  /** How many pods (or pod templates) fell into this class. */
  podCount: number;
}

export interface Workload {
  index: number;
  /** `namespace/name[Kind]`. */
  id: string;
  namespace: string;
  name: string;
  kind: string;
  /** Indices into `NetworkModel.classes`. */
  classes: number[];
  podCount: number;
}

export interface NamespaceInfo {
  name: string;
  labels: Labels;
  defined: boolean;
}

/** Peer of a NetworkPolicy rule. `podSelector`/`namespaceSelector` null means absent. */
export type NpPeer =
  | { type: 'selector'; podSelector: LabelSelector | null; namespaceSelector: LabelSelector | null }
  | { type: 'ipBlock'; cidr: string; except: string[]; ranges: IpRange[] }
  | { type: 'invalid'; reason: string };

export interface NpPort {
  protocol: Protocol;
  /** Absent: every port of the protocol. */
  port?: number | string;
  endPort?: number;
}

export interface NpRule {
  /** 0-based position in the policy's ingress or egress list. */
  index: number;
  /** null: `from`/`to` absent or empty — every peer, in and outside the cluster. */
  peers: NpPeer[] | null;
  /** null: `ports` absent or empty — every port and protocol. */
  ports: NpPort[] | null;
}

export interface NetworkPolicyInfo {
  kind: 'NetworkPolicy';
  index: number;
  namespace: string;
  name: string;
  podSelector: LabelSelector;
  affectsIngress: boolean;
  affectsEgress: boolean;
  ingress: NpRule[];
  egress: NpRule[];
}

export type AnpAction = 'Allow' | 'Deny' | 'Pass';

export type AnpPeer =
  | { type: 'namespaces'; namespaceSelector: LabelSelector }
  | { type: 'pods'; namespaceSelector: LabelSelector; podSelector: LabelSelector }
  | { type: 'networks'; cidrs: string[]; ranges: IpRange[] }
  | { type: 'unsupported'; field: string };

export type AnpPort =
  | { type: 'number'; protocol: Protocol; port: number }
  | { type: 'named'; name: string }
  | { type: 'range'; protocol: Protocol; start: number; end: number };

export interface AnpRule {
  index: number;
  name: string;
  action: AnpAction;
  peers: AnpPeer[];
  /** null: every port. */
  ports: AnpPort[] | null;
}

export type AnpSubject =
  | { type: 'namespaces'; namespaceSelector: LabelSelector }
  | { type: 'pods'; namespaceSelector: LabelSelector; podSelector: LabelSelector };

export interface AdminPolicyInfo {
  kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';
  index: number;
  name: string;
  /** ANP priority (lower wins); BANP has none. */
  priority: number;
  subject: AnpSubject | null;
  ingress: AnpRule[];
  egress: AnpRule[];
}

export interface ServiceInfo {
  namespace: string;
  name: string;
  selector: Record<string, string> | null;
  ports: Array<{ name?: string; port: number; protocol: Protocol; targetPort: number | string }>;
}

/** An Ingress or Route that sends traffic from the cluster's ingress controller to a Service. */
export interface ExposureInfo {
  kind: 'Ingress' | 'Route';
  namespace: string;
  name: string;
  service: string;
  /** Service port by number or name; undefined: every port of the Service. */
  servicePort?: number | string;
  /** Route only: the target port (name or number) when given. */
  routeTargetPort?: number | string;
}

export interface ModelProblem {
  object: string;
  message: string;
}

export interface NetworkModel {
  namespaces: NamespaceInfo[];
  workloads: Workload[];
  classes: PodClass[];
  policies: NetworkPolicyInfo[];
  adminPolicies: AdminPolicyInfo[];
  baselinePolicy: AdminPolicyInfo | undefined;
  services: ServiceInfo[];
  exposures: ExposureInfo[];
  problems: ModelProblem[];
}

export interface ModelOptions {
  /**
   * How hostNetwork pods are treated. `pod` (default, as common analyzers do): like any pod.
   * `node`: they share the node's network namespace, so NetworkPolicies neither select them as
   * subjects nor match them as peers — they are never isolated.
   */
  hostNetwork?: 'pod' | 'node';
}


function arr(v: unknown): unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function labelsOf(v: unknown): Record<string, string> {
  const r = rec(v);
  const out: Record<string, string> = {};
  if (!r) return out;
  for (const [k, val] of Object.entries(r)) if (val !== undefined && val !== null) out[k] = String(val);
  return out;
}

function selectorOf(v: unknown): LabelSelector | null {
  const r = rec(v);
  if (!r) return v === null || v === undefined ? null : {};
  const sel: LabelSelector = {};
  if (rec(r['matchLabels'])) sel.matchLabels = labelsOf(r['matchLabels']);
  const me = arr(r['matchExpressions']);
  if (me) {
    sel.matchExpressions = me.flatMap((e) => {
      const x = rec(e);
      if (!x) return [];
      return [{ key: String(x['key'] ?? ''), operator: String(x['operator'] ?? ''), values: (arr(x['values']) ?? []).map(String) }];
    });
  }
  return sel;
}

function protocolOf(v: unknown): Protocol | undefined {
  if (v === undefined || v === null || v === '') return 'TCP';
  const p = String(v).toUpperCase();
  return isProtocol(p) ? p : undefined;
}

function portValue(v: unknown): number | string | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return /^\d+$/.test(v) ? Number(v) : v;
  return undefined;
}

/** Flattens `List` and `*List` objects into their items. */
export function flattenObjects(objects: readonly KubeObject[]): KubeObject[] {
  const out: KubeObject[] = [];
  const visit = (o: unknown): void => {
    const r = rec(o);
    if (!r || typeof r['kind'] !== 'string') return;
    const items = arr(r['items']);
    if (items && (r['kind'] as string).endsWith('List')) {
      for (const i of items) {
        const ir = rec(i);
        if (!ir) continue;
        // Items of typed lists (PodList) often omit kind/apiVersion.
        const kind = str(ir['kind']) ?? (r['kind'] as string).slice(0, -4);
        visit({ apiVersion: ir['apiVersion'] ?? r['apiVersion'] ?? 'v1', ...ir, kind });
      }
      return;
    }
    const meta = rec(r['metadata']) ?? {};
    out.push({ ...(r as KubeObject), metadata: meta });
  };
  for (const o of objects) visit(o);
  return out;
}

interface PodShape {
  namespace: string;
  labels: Record<string, string>;
  namedPorts: Record<string, NamedPort>;
  hostNetwork: boolean;
}

function podShape(namespace: string, labels: unknown, spec: Record<string, unknown>): PodShape {
  // Port names such as `constructor` are valid: set and looked up as own properties only
  // (a plain object: a prototype-less one is a slow dictionary in V8).
  const namedPorts: Record<string, NamedPort> = {};
  for (const c of arr(spec['containers']) ?? []) {
    for (const p of arr(rec(c)?.['ports']) ?? []) {
      const pr = rec(p);
      const name = str(pr?.['name']);
      const num = pr?.['containerPort'];
      const protocol = protocolOf(pr?.['protocol']);
      if (name && typeof num === 'number' && protocol && !Object.hasOwn(namedPorts, name)) namedPorts[name] = { protocol, port: num };
    }
  }
  return { namespace, labels: labelsOf(labels), namedPorts, hostNetwork: spec['hostNetwork'] === true };
}

function classKey(s: PodShape): string {
  const l = Object.keys(s.labels)
    .sort()
    .map((k) => `${k}=${s.labels[k]}`)
    .join('\u0001');
  const p = Object.keys(s.namedPorts)
    .sort()
    .map((k) => `${k}:${s.namedPorts[k]?.protocol}/${s.namedPorts[k]?.port}`)
    .join(',');
  return `${s.namespace}\u0000${l}\u0000${p}\u0000${s.hostNetwork ? 1 : 0}`;
}

function parseNpPeer(v: unknown): NpPeer {
  const r = rec(v) ?? {};
  const ipb = rec(r['ipBlock']);
  const hasSel = r['podSelector'] !== undefined && r['podSelector'] !== null;
  const hasNs = r['namespaceSelector'] !== undefined && r['namespaceSelector'] !== null;
  if (ipb) {
    if (hasSel || hasNs) return { type: 'invalid', reason: 'ipBlock combined with a selector' };
    const cidr = String(ipb['cidr'] ?? '');
    const except = (arr(ipb['except']) ?? []).map(String);
    const base = parseCidr(cidr);
    if (!base) return { type: 'invalid', reason: `invalid CIDR ${cidr}` };
    const ex: IpRange[] = [];
    for (const e of except) {
      const x = parseCidr(e);
      if (!x) return { type: 'invalid', reason: `invalid except CIDR ${e}` };
      ex.push(x);
    }
    return { type: 'ipBlock', cidr, except, ranges: subtractRanges([base], ex) };
  }
  if (!hasSel && !hasNs) return { type: 'invalid', reason: 'peer without podSelector, namespaceSelector or ipBlock' };
  return { type: 'selector', podSelector: selectorOf(r['podSelector']), namespaceSelector: selectorOf(r['namespaceSelector']) };
}

function parseNpRules(v: unknown, peerField: 'from' | 'to'): NpRule[] {
  return (arr(v) ?? []).map((raw, index) => {
    const r = rec(raw) ?? {};
    const peersRaw = arr(r[peerField]);
    const portsRaw = arr(r['ports']);
    const ports: NpPort[] | null =
      portsRaw && portsRaw.length > 0
        ? portsRaw.flatMap((p): NpPort[] => {
            const pr = rec(p) ?? {};
            const protocol = protocolOf(pr['protocol']);
            if (!protocol) return [];
            const port = portValue(pr['port']);
            const out: NpPort = { protocol };
            if (port !== undefined) out.port = port;
            if (typeof pr['endPort'] === 'number') out.endPort = pr['endPort'];
            return [out];
          })
        : null;
    return { index, peers: peersRaw && peersRaw.length > 0 ? peersRaw.map(parseNpPeer) : null, ports };
  });
}

function parseAnpSubjectLike(r: Record<string, unknown> | undefined): AnpSubject | null {
  if (!r) return null;
  const ns = r['namespaces'];
  const pods = rec(r['pods']);
  if (ns !== undefined && ns !== null) return { type: 'namespaces', namespaceSelector: selectorOf(ns) ?? {} };
  if (pods) return { type: 'pods', namespaceSelector: selectorOf(pods['namespaceSelector']) ?? {}, podSelector: selectorOf(pods['podSelector']) ?? {} };
  return null;
}

function parseAnpRules(v: unknown, peerField: 'from' | 'to', baseline: boolean): AnpRule[] {
  return (arr(v) ?? []).flatMap((raw, index): AnpRule[] => {
    const r = rec(raw) ?? {};
    const action = str(r['action']);
    if (action !== 'Allow' && action !== 'Deny' && !(action === 'Pass' && !baseline)) return [];
    const peers: AnpPeer[] = [];
    for (const p of arr(r[peerField]) ?? []) {
      const pr = rec(p) ?? {};
      if (arr(pr['networks'])) {
        const cidrs = (arr(pr['networks']) ?? []).map(String);
        const ranges = normaliseRanges(cidrs.flatMap((c) => (parseCidr(c) ? [parseCidr(c) as IpRange] : [])));
        peers.push({ type: 'networks', cidrs, ranges });
        continue;
      }
      const s = parseAnpSubjectLike(pr);
      if (s) peers.push(s);
      else peers.push({ type: 'unsupported', field: Object.keys(pr).join(',') || '{}' });
    }
    const portsRaw = arr(r['ports']);
    const ports: AnpPort[] | null = portsRaw
      ? portsRaw.flatMap((p): AnpPort[] => {
          const pr = rec(p) ?? {};
          const pn = rec(pr['portNumber']);
          const range = rec(pr['portRange']);
          if (pn) {
            const protocol = protocolOf(pn['protocol']);
            return protocol && typeof pn['port'] === 'number' ? [{ type: 'number', protocol, port: pn['port'] }] : [];
          }
          if (typeof pr['namedPort'] === 'string') return [{ type: 'named', name: pr['namedPort'] }];
          if (range) {
            const protocol = protocolOf(range['protocol']);
            const start = range['start'];
            const end = range['end'];
            return protocol && typeof start === 'number' && typeof end === 'number' ? [{ type: 'range', protocol, start, end }] : [];
          }
          return [];
        })
      : null;
    return [{ index, name: str(r['name']) ?? `#${index + 1}`, action, peers, ports }];
  });
}

/**
 * The workload a Pod is counted under: its controller (a ReplicaSet's pods are one workload,
 * whether or not the ReplicaSet is in the input), or itself; a static pod's Node is no controller.
 */
export function podGroupOf(o: KubeObject): { name: string; kind: string } {
  const owner = (o.metadata.ownerReferences ?? []).find((r) => r && r.controller === true);
  return owner && owner.kind !== 'Node' && owner.name ? { name: owner.name, kind: owner.kind || 'Pod' } : { name: o.metadata.name ?? '', kind: 'Pod' };
}

/** The engine's id of a workload, `namespace/name[Kind]`. */
export function workloadId(namespace: string, name: string, kind: string): string {
  return `${namespace}/${name}[${kind}]`;
}

/** Builds the network model from Kubernetes objects (Lists are flattened). Never throws on bad data. */
export function buildNetworkModel(input: readonly KubeObject[], options: ModelOptions = {}): NetworkModel {
  const objects = flattenObjects(input);
  const problems: ModelProblem[] = [];
  const nsDefined = new Map<string, Record<string, string>>();
  const nsUsed = new Set<string>();
  const workloadById = new Map<string, { ns: string; name: string; kind: string; shapes: PodShape[] }>();
  const policies: NetworkPolicyInfo[] = [];
  const adminPolicies: AdminPolicyInfo[] = [];
  let baselinePolicy: AdminPolicyInfo | undefined;
  const services: ServiceInfo[] = [];
  const exposures: ExposureInfo[] = [];

  const addPods = (ns: string, name: string, kind: string, shape: PodShape): void => {
    const id = workloadId(ns, name, kind);
    let w = workloadById.get(id);
    if (!w) {
      w = { ns, name, kind, shapes: [] };
      workloadById.set(id, w);
    }
    w.shapes.push(shape);
    nsUsed.add(ns);
  };

  for (const o of objects) {
    const kind = o.kind;
    const api = String(o.apiVersion ?? '');
    const name = o.metadata.name ?? '';
    const label = `${kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${name}`;
    if (kind === 'Namespace' && !api.includes('/')) {
      const labels = labelsOf(o.metadata.labels);
      if (!(NS_NAME_LABEL in labels)) labels[NS_NAME_LABEL] = name;
      nsDefined.set(name, labels);
      continue;
    }
    if (kind === 'Pod') {
      const ns = namespaceOf(o);
      const group = podGroupOf(o);
      addPods(ns, group.name, group.kind, podShape(ns, o.metadata.labels, rec(o['spec']) ?? {}));
      continue;
    }
    if (isWorkloadKind(kind)) {
      const tpl = podTemplateOf(o);
      if (!tpl) {
        problems.push({ object: label, message: 'workload without a pod template' });
        continue;
      }
      addPods(namespaceOf(o), name, kind, podShape(namespaceOf(o), tpl.metadata.labels, tpl.spec));
      continue;
    }
    if (kind === 'NetworkPolicy' && api.startsWith('networking.k8s.io/')) {
      const spec = rec(o['spec']) ?? {};
      const types = arr(spec['policyTypes'])?.map(String);
      const ingress = parseNpRules(spec['ingress'], 'from');
      const egress = parseNpRules(spec['egress'], 'to');
      const hasEgress = (arr(spec['egress']) ?? []).length > 0;
      const np: NetworkPolicyInfo = {
        kind: 'NetworkPolicy',
        index: policies.length,
        namespace: namespaceOf(o),
        name,
        podSelector: selectorOf(spec['podSelector']) ?? {},
        affectsIngress: types && types.length > 0 ? types.includes('Ingress') : true,
        affectsEgress: types && types.length > 0 ? types.includes('Egress') : hasEgress,
        ingress,
        egress,
      };
      for (const r of [...ingress, ...egress])
        for (const p of r.peers ?? []) if (p.type === 'invalid') problems.push({ object: label, message: p.reason });
      policies.push(np);
      continue;
    }
    if ((kind === 'AdminNetworkPolicy' || kind === 'BaselineAdminNetworkPolicy') && api.startsWith('policy.networking.k8s.io/')) {
      const spec = rec(o['spec']) ?? {};
      const baseline = kind === 'BaselineAdminNetworkPolicy';
      const info: AdminPolicyInfo = {
        kind,
        index: baseline ? 0 : adminPolicies.length,
        name,
        priority: typeof spec['priority'] === 'number' ? spec['priority'] : 0,
        subject: parseAnpSubjectLike(rec(spec['subject'])),
        ingress: parseAnpRules(spec['ingress'], 'from', baseline),
        egress: parseAnpRules(spec['egress'], 'to', baseline),
      };
      if (!info.subject) problems.push({ object: label, message: 'subject must set exactly one of namespaces or pods' });
      for (const r of [...info.ingress, ...info.egress])
        for (const p of r.peers)
          if (p.type === 'unsupported') problems.push({ object: label, message: `rule ${r.name}: peer field ${p.field} is not evaluated` });
      if (baseline) {
        if (baselinePolicy) problems.push({ object: label, message: 'more than one BaselineAdminNetworkPolicy; the first is used' });
        else baselinePolicy = info;
      } else adminPolicies.push(info);
      continue;
    }
    if (kind === 'Service' && !api.includes('/')) {
      const spec = rec(o['spec']) ?? {};
      const sel = rec(spec['selector']);
      services.push({
        namespace: namespaceOf(o),
        name,
        selector: sel ? labelsOf(sel) : null,
        ports: (arr(spec['ports']) ?? []).flatMap((p) => {
          const pr = rec(p) ?? {};
          const port = pr['port'];
          const protocol = protocolOf(pr['protocol']);
          if (typeof port !== 'number' || !protocol) return [];
          const out: ServiceInfo['ports'][number] = { port, protocol, targetPort: portValue(pr['targetPort']) ?? port };
          if (typeof pr['name'] === 'string') out.name = pr['name'];
          return [out];
        }),
      });
      continue;
    }
    if (kind === 'Ingress' && api.startsWith('networking.k8s.io/')) {
      const spec = rec(o['spec']) ?? {};
      const backends: unknown[] = [];
      if (spec['defaultBackend']) backends.push(spec['defaultBackend']);
      for (const rule of arr(spec['rules']) ?? []) for (const p of arr(rec(rec(rule)?.['http'])?.['paths']) ?? []) backends.push(rec(p)?.['backend']);
      for (const b of backends) {
        const svc = rec(rec(b)?.['service']);
        if (!svc || typeof svc['name'] !== 'string') continue;
        const port = rec(svc['port']);
        const e: ExposureInfo = { kind: 'Ingress', namespace: namespaceOf(o), name, service: svc['name'] };
        const sp = port ? (typeof port['number'] === 'number' ? port['number'] : str(port['name'])) : undefined;
        if (sp !== undefined) e.servicePort = sp;
        exposures.push(e);
      }
      continue;
    }
    if (kind === 'Route' && api.startsWith('route.openshift.io/')) {
      const spec = rec(o['spec']) ?? {};
      const targets = [rec(spec['to']), ...(arr(spec['alternateBackends']) ?? []).map(rec)];
      const tp = portValue(rec(spec['port'])?.['targetPort']);
      for (const t of targets) {
        if (!t || typeof t['name'] !== 'string' || (t['kind'] !== undefined && t['kind'] !== 'Service')) continue;
        const e: ExposureInfo = { kind: 'Route', namespace: namespaceOf(o), name, service: t['name'] };
        if (tp !== undefined) e.routeTargetPort = tp;
        exposures.push(e);
      }
      continue;
    }
  }

  for (const p of policies) nsUsed.add(p.namespace);
  const nsNames = [...new Set([...nsDefined.keys(), ...nsUsed])].sort();
  const namespaces: NamespaceInfo[] = nsNames.map((n) => ({
    name: n,
    labels: nsDefined.get(n) ?? { [NS_NAME_LABEL]: n },
    defined: nsDefined.has(n),
  }));

  const classes: PodClass[] = [];
  const classByKey = new Map<string, PodClass>();
  const workloads: Workload[] = [];
  const hostAsNode = options.hostNetwork === 'node';
  for (const id of [...workloadById.keys()].sort()) {
    const w = workloadById.get(id);
    if (!w) continue;
    const wl: Workload = { index: workloads.length, id, namespace: w.ns, name: w.name, kind: w.kind, classes: [], podCount: w.shapes.length };
    workloads.push(wl);
    for (const s of w.shapes) {
      const shape = hostAsNode ? s : { ...s, hostNetwork: false };
      const key = classKey(shape);
      let c = classByKey.get(key);
      if (!c) {
        c = { index: classes.length, namespace: shape.namespace, labels: shape.labels, namedPorts: shape.namedPorts, hostNetwork: shape.hostNetwork, workloads: [], podCount: 0 };
        classByKey.set(key, c);
        classes.push(c);
      }
      c.podCount++;
      if (!c.workloads.includes(wl.index)) c.workloads.push(wl.index);
      if (!wl.classes.includes(c.index)) wl.classes.push(c.index);
    }
  }
  adminPolicies.sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  adminPolicies.forEach((a, i) => (a.index = i));
  return { namespaces, workloads, classes, policies, adminPolicies, baselinePolicy, services, exposures, problems };
}
