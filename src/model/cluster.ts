/**
 * The one in-memory model of a cluster, built from loaded resources. Engines and rules
 * read it; nothing else interprets raw objects.
 */
import type { KubeObject, Resource } from '../core/types.js';
import { mapSelectorMatches } from './selectors.js';
import { isMirrorPod, isWorkloadKind, namespaceOf, podTemplateOf, serviceAccountOf, type PodSpec, type PodTemplate, type WorkloadKind } from './workloads.js';

/** Kinds that live outside namespaces (the ones kubeward reads). */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'Node',
  'ClusterRole',
  'ClusterRoleBinding',
  'RuntimeClass',
  'PersistentVolume',
  'StorageClass',
  'CustomResourceDefinition',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'PriorityClass',
  'CertificateSigningRequest',
  'APIService',
  'IngressClass',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
]);

export interface Workload {
  resource: Resource;
  kind: WorkloadKind;
  name: string;
  namespace: string;
  template: PodTemplate;
  serviceAccount: string;
  /** True when the pod template mounts a service-account token (pod field, else the SA's, else true). */
  automountToken: boolean;
  /** Services whose selector picks this workload's pods. */
  services: ServiceInfo[];
  /**
   * True when a controller that is also in the inventory owns this object (a Deployment's
   * ReplicaSet, its Pods): matched by uid where both carry one, else by kind and name.
   */
  ownedByInventory: boolean;
  /** That controller, when it is a workload. */
  owner?: Workload;
  /**
   * True when this owned object's pods differ from its controller's template in what the rules
   * read (a sidecar, capability or hostPath a mutating webhook added to a running Pod): it is
   * then in scope too, for what its owner does not already report.
   */
  divergesFromOwner: boolean;
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol: string;
  nodePort?: number;
}

export interface ServiceInfo {
  resource: Resource;
  name: string;
  namespace: string;
  type: string;
  selector: Record<string, string> | undefined;
  ports: ServicePort[];
  externalIPs: string[];
  workloads: Workload[];
  /** Ingresses that route to this service. */
  ingresses: Resource[];
}

export interface NamespaceInfo {
  name: string;
  labels: Record<string, string>;
  resource?: Resource;
}

export interface ServiceAccountInfo {
  name: string;
  namespace: string;
  resource?: Resource;
  automount?: boolean;
  workloads: Workload[];
}

export interface ClusterModel {
  resources: Resource[];
  byKind: Map<string, Resource[]>;
  namespaces: Map<string, NamespaceInfo>;
  workloads: Workload[];
  services: ServiceInfo[];
  ingresses: Resource[];
  serviceAccounts: Map<string, ServiceAccountInfo>;
  roles: Resource[];
  clusterRoles: Resource[];
  roleBindings: Resource[];
  clusterRoleBindings: Resource[];
  networkPolicies: Resource[];
  runtimeClasses: Map<string, Resource>;
  secrets: Resource[];
  /**
   * Values derived from the model and computed once (top-level workloads, containers, engine
   * analyses), by key. A plain map on the model rather than WeakMaps keyed by it: admission
   * builds a model per request, and short-lived WeakMap keys are costly to collect.
   */
  memo: Map<string, unknown>;
}

/** A derived value of the model, computed on first use. */
export function memoised<T>(m: ClusterModel, key: string, compute: () => T): T {
  if (m.memo.has(key)) return m.memo.get(key) as T;
  const v = compute();
  m.memo.set(key, v);
  return v;
}

export function saKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) out[k] = String(x);
  return out;
}

function servicePorts(spec: Record<string, unknown>): ServicePort[] {
  const ports = Array.isArray(spec['ports']) ? (spec['ports'] as Array<Record<string, unknown>>) : [];
  return ports.map((p) => {
    const sp: ServicePort = { port: Number(p['port']), protocol: typeof p['protocol'] === 'string' ? p['protocol'] : 'TCP' };
    if (typeof p['name'] === 'string') sp.name = p['name'];
    if (typeof p['targetPort'] === 'number' || typeof p['targetPort'] === 'string') sp.targetPort = p['targetPort'];
    if (typeof p['nodePort'] === 'number') sp.nodePort = p['nodePort'];
    return sp;
  });
}

/** Backend service names an Ingress routes to. */
export function ingressBackends(obj: KubeObject): string[] {
  const names = new Set<string>();
  const spec = (obj['spec'] ?? {}) as Record<string, unknown>;
  const add = (b: unknown): void => {
    const be = b as { service?: { name?: string }; serviceName?: string } | undefined;
    const n = be?.service?.name ?? be?.serviceName;
    if (typeof n === 'string') names.add(n);
  };
  add(spec['defaultBackend'] ?? spec['backend']);
  for (const rule of (Array.isArray(spec['rules']) ? spec['rules'] : []) as Array<Record<string, unknown>>) {
    const http = rule['http'] as { paths?: Array<{ backend?: unknown }> } | undefined;
    for (const p of http?.paths ?? []) add(p.backend);
  }
  return [...names].sort();
}

/** Builds the model. Pure: the same resources always give the same model. */
export function buildModel(resources: Resource[]): ClusterModel {
  const m: ClusterModel = {
    resources,
    byKind: new Map(),
    namespaces: new Map(),
    workloads: [],
    services: [],
    ingresses: [],
    serviceAccounts: new Map(),
    roles: [],
    clusterRoles: [],
    roleBindings: [],
    clusterRoleBindings: [],
    networkPolicies: [],
    runtimeClasses: new Map(),
    secrets: [],
    memo: new Map(),
  };
  const ensureNs = (name: string): NamespaceInfo => {
    let ns = m.namespaces.get(name);
    if (!ns) {
      ns = { name, labels: { 'kubernetes.io/metadata.name': name } };
      m.namespaces.set(name, ns);
    }
    return ns;
  };
  const ensureSa = (namespace: string, name: string): ServiceAccountInfo => {
    const key = saKey(namespace, name);
    let sa = m.serviceAccounts.get(key);
    if (!sa) {
      sa = { name, namespace, workloads: [] };
      m.serviceAccounts.set(key, sa);
    }
    return sa;
  };
  const owners = new Map<string, string | undefined>();
  for (const r of resources) {
    const o = r.object;
    let list = m.byKind.get(o.kind);
    if (!list) m.byKind.set(o.kind, (list = []));
    list.push(r);
    if (!CLUSTER_SCOPED_KINDS.has(o.kind)) ensureNs(namespaceOf(o));
    if (o.metadata.name) owners.set(`${namespaceOf(o)}/${o.kind}/${o.metadata.name}`, typeof o.metadata.uid === 'string' ? o.metadata.uid : undefined);
  }
  // The per-kind lists are byKind's own (same order, never mutated).
  const ofKind = (kind: string): Resource[] => m.byKind.get(kind) ?? [];
  m.roles = ofKind('Role');
  m.clusterRoles = ofKind('ClusterRole');
  m.roleBindings = ofKind('RoleBinding');
  m.clusterRoleBindings = ofKind('ClusterRoleBinding');
  m.networkPolicies = ofKind('NetworkPolicy');
  m.secrets = ofKind('Secret');
  m.ingresses = ofKind('Ingress');
  for (const r of resources) {
    const o = r.object;
    const ns = namespaceOf(o);
    switch (o.kind) {
      case 'Namespace': {
        const info = ensureNs(o.metadata.name ?? '');
        info.resource = r;
        info.labels = { ...stringMap(o.metadata.labels), 'kubernetes.io/metadata.name': o.metadata.name ?? '' };
        break;
      }
      case 'ServiceAccount': {
        const sa = ensureSa(ns, o.metadata.name ?? '');
        sa.resource = r;
        if (typeof o['automountServiceAccountToken'] === 'boolean') sa.automount = o['automountServiceAccountToken'];
        break;
      }
      case 'RuntimeClass':
        if (o.metadata.name) m.runtimeClasses.set(o.metadata.name, r);
        break;
      case 'Service': {
        const spec = (o['spec'] ?? {}) as Record<string, unknown>;
        const sel = spec['selector'];
        m.services.push({
          resource: r,
          name: o.metadata.name ?? '',
          namespace: ns,
          type: typeof spec['type'] === 'string' ? spec['type'] : 'ClusterIP',
          selector: sel && typeof sel === 'object' ? stringMap(sel) : undefined,
          ports: servicePorts(spec),
          externalIPs: Array.isArray(spec['externalIPs']) ? (spec['externalIPs'] as unknown[]).map(String) : [],
          workloads: [],
          ingresses: [],
        });
        break;
      }
      default:
        break;
    }
  }
  for (const r of resources) {
    const o = r.object;
    if (!isWorkloadKind(o.kind)) continue;
    const template = podTemplateOf(o);
    if (!template) continue;
    const ns = namespaceOf(o);
    const saName = serviceAccountOf(template.spec);
    const sa = ensureSa(ns, saName);
    const podAuto = template.spec.automountServiceAccountToken;
    const controller = (o.metadata.ownerReferences ?? []).find((ref) => ref.controller);
    const w: Workload = {
      resource: r,
      kind: o.kind,
      name: o.metadata.name ?? o.metadata.generateName ?? '',
      namespace: ns,
      template,
      serviceAccount: saName,
      automountToken: !isMirrorPod(o) && (typeof podAuto === 'boolean' ? podAuto : sa.automount ?? true),
      services: [],
      ownedByInventory: controller !== undefined && ownedBy(owners, `${ns}/${controller.kind}/${controller.name}`, controller.uid),
      divergesFromOwner: false,
    };
    sa.workloads.push(w);
    m.workloads.push(w);
  }
  // Services → the workloads whose pod labels they select. Candidates come from an index
  // on (namespace, label=value), so large clusters avoid a services × workloads scan.
  const byLabel = new Map<string, Workload[]>();
  for (const w of m.workloads) {
    for (const [k, v] of Object.entries(w.template.metadata.labels ?? {})) {
      const key = `${w.namespace}\0${k}\0${String(v)}`;
      let l = byLabel.get(key);
      if (!l) byLabel.set(key, (l = []));
      l.push(w);
    }
  }
  for (const s of m.services) {
    const first = s.selector ? Object.entries(s.selector)[0] : undefined;
    if (!first) continue;
    for (const w of byLabel.get(`${s.namespace}\0${first[0]}\0${first[1]}`) ?? []) {
      if (mapSelectorMatches(s.selector, w.template.metadata.labels)) {
        s.workloads.push(w);
        w.services.push(s);
      }
    }
  }
  linkOwners(m.workloads);
  const svcByKey = new Map(m.services.map((s) => [`${s.namespace}/${s.name}`, s]));
  for (const ing of m.ingresses) {
    for (const b of ingressBackends(ing.object)) svcByKey.get(`${namespaceOf(ing.object)}/${b}`)?.ingresses.push(ing);
  }
  return m;
}

/** Whether `key` names an object of the inventory that is the owner a reference with `uid` means. */
function ownedBy(owners: ReadonlyMap<string, string | undefined>, key: string, uid: string | undefined): boolean {
  if (!owners.has(key)) return false;
  const ownerUid = owners.get(key);
  return !uid || !ownerUid || uid === ownerUid;
}

/** Names of the volumes the API server adds to every pod for its service-account token. */
const TOKEN_VOLUME = /^(kube-api-access-[a-z0-9]+|.+-token-[a-z0-9]{5})$/;

/**
 * What the rules read of a pod spec, for comparing a running Pod with its controller's
 * template: containers without their mounts, pod-level security fields and volumes, less
 * what the API server adds to every pod (the token volume, the defaulted service account).
 */
function templateShape(spec: PodSpec): string {
  const containers = (group: 'initContainers' | 'containers' | 'ephemeralContainers'): unknown[] =>
    (Array.isArray(spec[group]) ? (spec[group] as unknown[]) : []).map((c) => {
      if (c === null || typeof c !== 'object') return c;
      const { volumeMounts: _mounts, ...rest } = c as Record<string, unknown>;
      return rest;
    });
  const volumes = (Array.isArray(spec.volumes) ? spec.volumes : []).filter((v) => !(v && typeof v === 'object' && typeof v.name === 'string' && TOKEN_VOLUME.test(v.name)));
  return JSON.stringify([
    containers('initContainers'),
    containers('containers'),
    containers('ephemeralContainers'),
    volumes,
    serviceAccountOf(spec),
    ...['automountServiceAccountToken', 'hostNetwork', 'hostPID', 'hostIPC', 'hostUsers', 'shareProcessNamespace', 'securityContext', 'runtimeClassName'].map((k) => spec[k] ?? null),
  ]);
}

/** Links owned workloads to their controllers and marks the ones whose pods have drifted from them. */
function linkOwners(workloads: readonly Workload[]): void {
  const byKey = new Map<string, Workload>();
  for (const w of workloads) if (w.resource.object.metadata.name) byKey.set(`${w.namespace}/${w.kind}/${w.resource.object.metadata.name}`, w);
  // Each template's shape once: a Deployment's is compared with each of its ReplicaSets'.
  const shapes = new Map<Workload, string>();
  const shapeOf = (w: Workload): string => {
    let shape = shapes.get(w);
    if (shape === undefined) shapes.set(w, (shape = templateShape(w.template.spec)));
    return shape;
  };
  for (const w of workloads) {
    if (!w.ownedByInventory) continue;
    const ref = (w.resource.object.metadata.ownerReferences ?? []).find((r) => r.controller);
    const owner = ref ? byKey.get(`${w.namespace}/${ref.kind}/${ref.name}`) : undefined;
    if (!owner) continue;
    w.owner = owner;
    // A controller scaled to zero (a Deployment's previous ReplicaSets) runs no pods: nothing to add.
    w.divergesFromOwner = !scaledToZero(w) && shapeOf(w) !== shapeOf(owner);
  }
}

/**
 * Workloads in scope for findings: top-level objects (a Deployment, not also its ReplicaSet
 * and Pods), and owned objects that have drifted from their controller's template (see
 * `divergesFromOwner`; `withoutInheritedFindings` then drops what their owner reports).
 * Computed once per model.
 */
export function topLevelWorkloads(m: ClusterModel): readonly Workload[] {
  return memoised(m, 'topLevelWorkloads', () => m.workloads.filter((w) => (!w.ownedByInventory || w.divergesFromOwner) && !isRetiredRevision(w)));
}

/**
 * A Deployment's previous ReplicaSet, scaled to zero and kept for rollbacks (`kubectl get all`
 * always lists them): it runs no pods, whether or not its Deployment is in the input.
 */
function isRetiredRevision(w: Workload): boolean {
  return w.kind === 'ReplicaSet' && scaledToZero(w) && (w.resource.object.metadata.ownerReferences ?? []).some((r) => r && r.controller === true && r.kind === 'Deployment');
}

/** A controller whose `spec.replicas` is 0: it runs no pods. */
function scaledToZero(w: Workload): boolean {
  return (w.resource.object['spec'] as Record<string, unknown> | undefined)?.['replicas'] === 0;
}

/** Whether findings about `r` are reported: any object but a workload that is not in scope (see topLevelWorkloads). */
export function reportedResource(m: ClusterModel, r: Resource): boolean {
  const owned = memoised(m, 'outOfScopeWorkloads', () => {
    const inScope = new Set(topLevelWorkloads(m));
    return new Set(m.workloads.filter((w) => !inScope.has(w)).map((w) => w.resource));
  });
  return !owned.has(r);
}

/** The nearest controller of `w` whose findings are reported (itself when it is top-level). */
export function reportingOwner(w: Workload): Workload | undefined {
  let o = w.owner;
  while (o && o.ownedByInventory && !o.divergesFromOwner && o.owner) o = o.owner;
  return o;
}

/** True when a workload is reachable from outside the cluster: LoadBalancer/NodePort/externalIPs service, an Ingress, or hostNetwork/hostPort. */
export function isInternetExposed(w: Workload): boolean {
  if (w.template.spec.hostNetwork === true) return true;
  for (const c of w.template.spec.containers) if ((c.ports ?? []).some((p) => typeof p.hostPort === 'number' && p.hostPort > 0)) return true;
  return w.services.some((s) => s.type === 'LoadBalancer' || s.type === 'NodePort' || s.externalIPs.length > 0 || s.ingresses.length > 0);
}
