/**
 * A well-hardened Deployment (non-root, seccomp RuntimeDefault, drop ALL, read-only root,
 * no token, resources, digest-pinned image, own namespace with default-deny policies)
 * must get no high or critical finding from any rule of the catalog; and each hardening
 * taken away must be noticed by the rule that guards it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { severityRank } from '../core/types.js';
import { loadText } from '../load/index.js';
import { buildModel } from '../model/cluster.js';
import { RULES } from './registry.js';
import { runRules } from './run.js';

const DIGEST = 'sha256:3c4b5e1f0a9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b';

const HARDENED = `
apiVersion: v1
kind: Namespace
metadata:
  name: payments
  labels:
    pod-security.kubernetes.io/enforce: restricted
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: payments
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: payments
  namespace: payments
automountServiceAccountToken: false
---
apiVersion: v1
kind: Service
metadata:
  name: payments
  namespace: payments
spec:
  selector: {app: payments}
  ports:
    - port: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: payments
  namespace: payments
spec:
  replicas: 2
  selector:
    matchLabels: {app: payments}
  template:
    metadata:
      labels: {app: payments}
    spec:
      serviceAccountName: payments
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: payments
          image: registry.example.com/payments/api@${DIGEST}
          ports:
            - containerPort: 8080
          env:
            - name: DB_PASSWORD_FILE
              value: /run/secrets/db/password
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: 500m, memory: 256Mi}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
            appArmorProfile: {type: RuntimeDefault}
          volumeMounts:
            - {name: tmp, mountPath: /tmp}
            - {name: db, mountPath: /run/secrets/db, readOnly: true}
      volumes:
        - name: tmp
          emptyDir: {}
        - name: db
          secret: {secretName: payments-db}
`;

function scan(text: string): Array<{ ruleId: string; severity: string; message: string }> {
  const loaded = loadText(text, 'hardened.yaml');
  assert.deepEqual(loaded.problems, []);
  return runRules(buildModel(loaded.resources), RULES, { settings: { registryAllowlist: ['registry.example.com'] } }).map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
  }));
}

test('a hardened Deployment has no high or critical finding', () => {
  const findings = scan(HARDENED);
  assert.deepEqual(findings.filter((f) => severityRank(f.severity as 'info') >= severityRank('high')), []);
});

test('a hardened Deployment has no finding above low at all', () => {
  // Only hygiene advice may remain (e.g. no AppArmor on some container); nothing medium+.
  const findings = scan(HARDENED);
  assert.deepEqual(findings.filter((f) => severityRank(f.severity as 'info') >= severityRank('medium')), []);
});

const WEAKENINGS: Array<[string, string, string]> = [
  ['runAsNonRoot: true\n        runAsUser: 10001', 'runAsUser: 0', 'run-as-root'],
  ['seccompProfile: {type: RuntimeDefault}', 'seccompProfile: {type: Unconfined}', 'missing-seccomp-profile'],
  ['drop: [ALL]', 'drop: [NET_RAW]', 'capabilities-not-dropped'],
  ['readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false', 'writable-root-filesystem'],
  ['allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true', 'allow-privilege-escalation'],
  ['automountServiceAccountToken: false\n      securityContext', 'automountServiceAccountToken: true\n      securityContext', 'automount-service-account-token'],
  [`api@${DIGEST}`, 'api:latest', 'image-latest-tag'],
  ['policyTypes: [Ingress, Egress]', 'policyTypes: [Ingress]', 'namespace-default-deny'],
  ['limits: {cpu: 500m, memory: 256Mi}', 'limits: {cpu: 500m}', 'missing-resource-limits'],
  ['serviceAccountName: payments', 'serviceAccountName: default', 'default-service-account'],
  ['registry.example.com/payments', 'docker.io/payments', 'image-registry-allowlist'],
];

for (const [from, to, ruleId] of WEAKENINGS) {
  test(`weakening "${to.split('\n')[0]}" is reported by ${ruleId}`, () => {
    assert.ok(HARDENED.includes(from), `fixture text contains ${from}`);
    const findings = scan(HARDENED.replace(from, to));
    assert.ok(findings.some((f) => f.ruleId === ruleId), `${ruleId} reports; got ${JSON.stringify(findings)}`);
  });
}
