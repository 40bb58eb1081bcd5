/**
 * Everything needed to install the webhook, as Kubernetes objects: Namespace, ServiceAccount
 * and (when namespace labels are watched) the minimal RBAC, the policy ConfigMap, the TLS
 * Secret, a hardened Deployment (2 replicas, anti-affinity, `restricted`), its
 * PodDisruptionBudget and Service, and the Validating/MutatingWebhookConfigurations.
 */
import { DEFAULT_TIMEOUT_SECONDS, requestTimeoutMsFor } from './timeouts.js';
import type { KubeObject } from '../core/types.js';
import { VERSION } from '../version.js';

export interface ManifestOptions {
  namespace?: string;
  name?: string;
  image?: string;
  replicas?: number;
  /** PEM: the CA that signed the serving certificate (becomes caBundle). */
  caCert: string;
  tlsCert: string;
  tlsKey: string;
  /** Watch namespaces' Pod Security labels through the API (needs RBAC and a token). */
  watchNamespaces?: boolean;
  /** failurePolicy of the validating webhook (the mutating one always Ignores failures). */
  failurePolicy?: 'Fail' | 'Ignore';
  timeoutSeconds?: number;
  /** Text of the policy file shipped in the ConfigMap. */
  policyText?: string;
}

export const DEFAULT_POLICY_TEXT = `apiVersion: kubeward.dev/v1alpha1
kind: AdmissionPolicy
# Namespaces without Pod Security labels get this level.
defaults: { level: restricted, version: latest, mode: enforce }
workloads: enforce
rules:
  automount-service-account-token: warn
  image-digest-pinning: warn
exemptions:
  namespaces: []
  usernames: []
  groups: []
  runtimeClasses: []
mutation:
  enabled: false
  namespaces: []
`;

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

export function renderManifests(o: ManifestOptions): KubeObject[] {
  const ns = o.namespace ?? 'kubeward-system';
  const name = o.name ?? 'kubeward-admission';
  const watch = o.watchNamespaces ?? true;
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'kubeward', 'app.kubernetes.io/version': VERSION };
  const selector = { 'app.kubernetes.io/name': name };
  const timeoutSeconds = o.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const replicas = o.replicas ?? 2;
  const out: KubeObject[] = [];

  out.push({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: ns,
      labels: { ...labels, 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest', 'pod-security.kubernetes.io/warn': 'restricted' },
    },
  });
  out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns, labels }, automountServiceAccountToken: false });
  if (watch) {
    out.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name, labels },
      rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] }],
    });
    out.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: ns }],
    });
  }
  out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-policy`, namespace: ns, labels }, data: { 'policy.yaml': o.policyText ?? DEFAULT_POLICY_TEXT } });
  out.push({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `${name}-tls`, namespace: ns, labels },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': b64(o.tlsCert), 'tls.key': b64(o.tlsKey), 'ca.crt': b64(o.caCert) },
  });

  const podSpec: Record<string, unknown> = {
    serviceAccountName: name,
    // No automounted token. When namespace labels are watched, the API token is needed: it is
    // projected explicitly instead (10-minute expiry, refreshed by the kubelet), into this one
    // container, for an account that may only get/list/watch namespaces.
    automountServiceAccountToken: false,
    // fsGroup: the kubelet writes Secret files root-owned; the group makes the 0440 key readable.
    securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' }, appArmorProfile: { type: 'RuntimeDefault' } },
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: selector }, topologyKey: 'kubernetes.io/hostname' } },
        ],
      },
    },
    terminationGracePeriodSeconds: 30,
    containers: [
      {
        name: 'webhook',
        image: o.image ?? `ghcr.io/kubeward/kubeward:${VERSION}`,
        imagePullPolicy: 'IfNotPresent',
        args: ['admission', 'serve', '--cert', '/tls/tls.crt', '--key', '/tls/tls.key', '--port', '8443', '--policy', '/policy/policy.yaml', '--namespace-source', watch ? 'cluster' : 'policy', '--request-timeout', String(requestTimeoutMsFor(timeoutSeconds))],
        ports: [{ name: 'https', containerPort: 8443, protocol: 'TCP' }],
        readinessProbe: { httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' }, periodSeconds: 5 },
        livenessProbe: { httpGet: { path: '/healthz', port: 'https', scheme: 'HTTPS' }, periodSeconds: 10, failureThreshold: 3 },
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } },
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, capabilities: { drop: ['ALL'] } },
        volumeMounts: [
          { name: 'tls', mountPath: '/tls', readOnly: true },
          { name: 'policy', mountPath: '/policy', readOnly: true },
          ...(watch ? [{ name: 'api-token', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }] : []),
        ],
      },
    ],
    volumes: [
      { name: 'tls', secret: { secretName: `${name}-tls`, defaultMode: 0o440 } },
      { name: 'policy', configMap: { name: `${name}-policy` } },
      ...(watch
        ? [
            {
              name: 'api-token',
              projected: {
                defaultMode: 0o444,
                sources: [
                  { serviceAccountToken: { path: 'token', expirationSeconds: 600 } },
                  { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
                  { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
                ],
              },
            },
          ]
        : []),
    ],
  };
  out.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels },
    spec: {
      replicas,
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: { metadata: { labels }, spec: podSpec },
    },
  });
  // Network: deny everything in the namespace, then let the API server reach the webhook
  // (its source address is not knowable in general) and the webhook reach the API server.
  out.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'default-deny', namespace: ns, labels },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
  out.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns, labels },
    spec: {
      podSelector: { matchLabels: selector },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ ports: [{ protocol: 'TCP', port: 8443 }] }],
      egress: watch ? [{ ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] }] : [],
    },
  });
  // With one replica a budget of minAvailable 1 would block every node drain: none then.
  if (replicas >= 2) out.push({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: ns, labels }, spec: { minAvailable: 1, selector: { matchLabels: selector } } });
  out.push({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels },
    spec: { type: 'ClusterIP', selector, ports: [{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }] },
  });

  const rules = [
    { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods', 'pods/ephemeralcontainers', 'replicationcontrollers', 'podtemplates'], scope: 'Namespaced' },
    { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'], scope: 'Namespaced' },
    { apiGroups: ['batch'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['jobs', 'cronjobs'], scope: 'Namespaced' },
  ];
  const namespaceSelector = { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [ns, 'kube-system'] }] };
  // Namespaces too, for validation: Pod Security labels with invalid values are refused, as PSA does.
  const namespaceRule = { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['namespaces'], scope: 'Cluster' };
  const webhook = (hookName: string, path: string, failurePolicy: 'Fail' | 'Ignore') => ({
    name: hookName,
    admissionReviewVersions: ['v1'],
    clientConfig: { service: { namespace: ns, name, path, port: 443 }, caBundle: b64(o.caCert) },
    rules: path === '/validate' ? [...rules, namespaceRule] : rules,
    failurePolicy,
    matchPolicy: 'Equivalent',
    namespaceSelector,
    sideEffects: 'None',
    timeoutSeconds,
  });
  out.push({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name, labels },
    webhooks: [{ ...webhook(`mutate.${name}.kubeward.dev`, '/mutate', 'Ignore'), reinvocationPolicy: 'IfNeeded' }],
  });
  out.push({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name, labels },
    webhooks: [webhook(`validate.${name}.kubeward.dev`, '/validate', o.failurePolicy ?? 'Fail')],
  });
  return out;
}
