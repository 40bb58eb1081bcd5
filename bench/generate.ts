/**
 * A deterministic synthetic cluster: namespaces with three-tier apps (Deployments,
 * StatefulSets, CronJobs, DaemonSets), Services, ServiceAccounts, RBAC and NetworkPolicies,
 * a mix of secure and insecure settings. Shared by every benchmark.
 */
import type { KubeObject } from '../src/core/types.js';

/** Small, fast, seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GenerateOptions {
  /** Total objects to produce (approximately; rounded up to whole apps). */
  objects: number;
  namespaces?: number;
  seed?: number;
  /** Fraction of NetworkPolicies among objects (default ~0.08). */
  policyShare?: number;
}

const TIERS = ['web', 'api', 'db', 'cache', 'worker'] as const;

function container(r: () => number, name: string, insecure: boolean): Record<string, unknown> {
  const c: Record<string, unknown> = {
    name,
    image: insecure && r() < 0.5 ? `nginx:latest` : `registry.example.com/${name}:1.${Math.floor(r() * 20)}.${Math.floor(r() * 10)}`,
    ports: [{ name: 'http', containerPort: 8000 + Math.floor(r() * 100), protocol: 'TCP' }],
    env: [{ name: 'LOG_LEVEL', value: 'info' }],
  };
  if (!insecure) {
    c['resources'] = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } };
    c['securityContext'] = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } };
  } else if (r() < 0.3) {
    c['securityContext'] = { privileged: r() < 0.5, capabilities: { add: ['NET_ADMIN'] } };
  }
  return c;
}

export function generateCluster(options: GenerateOptions): KubeObject[] {
  const r = rng(options.seed ?? 42);
  const nsCount = options.namespaces ?? Math.max(1, Math.round(options.objects / 250));
  const out: KubeObject[] = [];
  const policyShare = options.policyShare ?? 0.08;
  for (let n = 0; n < nsCount; n++) {
    const ns = `team-${n}`;
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { team: `t${n % 17}`, env: n % 3 === 0 ? 'prod' : 'dev' } } });
  }
  let i = 0;
  while (out.length < options.objects) {
    const ns = `team-${i % nsCount}`;
    const tier = TIERS[i % TIERS.length] as string;
    const app = `${tier}-${i}`;
    const insecure = r() < 0.4;
    const labels = { app, tier, team: `t${i % 17}` };
    const podSpec: Record<string, unknown> = {
      serviceAccountName: app,
      containers: [container(r, tier, insecure)],
    };
    if (!insecure) {
      podSpec['automountServiceAccountToken'] = false;
      podSpec['securityContext'] = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
    } else if (r() < 0.1) podSpec['hostNetwork'] = true;
    const kind = tier === 'db' ? 'StatefulSet' : tier === 'worker' ? (r() < 0.5 ? 'CronJob' : 'Deployment') : 'Deployment';
    const template = { metadata: { labels }, spec: podSpec };
    const spec: Record<string, unknown> =
      kind === 'CronJob'
        ? { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { ...template, spec: { ...podSpec, restartPolicy: 'OnFailure' } } } } }
        : { replicas: 1 + Math.floor(r() * 3), selector: { matchLabels: { app } }, template };
    out.push({ apiVersion: kind === 'CronJob' ? 'batch/v1' : 'apps/v1', kind, metadata: { name: app, namespace: ns, labels }, spec });
    out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: app, namespace: ns } });
    out.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: app, namespace: ns },
      spec: { type: tier === 'web' && r() < 0.3 ? 'LoadBalancer' : 'ClusterIP', selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    out.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: app, namespace: ns },
      rules: [{ apiGroups: [''], resources: insecure ? ['secrets', 'configmaps'] : ['configmaps'], verbs: insecure ? ['get', 'list'] : ['get'] }],
    });
    out.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: app, namespace: ns },
      subjects: [{ kind: 'ServiceAccount', name: app, namespace: ns }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: app },
    });
    if (r() < policyShare * 6) {
      const peer = `${TIERS[(i + 4) % TIERS.length] as string}-${Math.max(0, i - 1)}`;
      out.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: `${app}-ingress`, namespace: ns },
        spec: {
          podSelector: { matchLabels: { app } },
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ podSelector: { matchLabels: { app: peer } } }, { namespaceSelector: { matchLabels: { team: `t${(i + 1) % 17}` } } }], ports: [{ protocol: 'TCP', port: 'http' }] }],
        },
      });
    }
    i++;
  }
  return out.slice(0, options.objects);
}
