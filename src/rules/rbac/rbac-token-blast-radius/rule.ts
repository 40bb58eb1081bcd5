/**
 * What a stolen token is worth: a workload that mounts a service-account token whose RBAC
 * power is dangerous (read secrets, create pods, exec, impersonate, bind/escalate, …),
 * decided by the RBAC engine exactly as the API server's authorizer would.
 */
import { rbacFindingsOf, resourceOfRecord } from '../../engine-cache.js';
import { defineRule } from '../../define.js';

export default defineRule({
  id: 'rbac-token-blast-radius',
  meta: {
    title: "A workload's mounted token grants dangerous API power",
    category: 'rbac',
    severity: 'high',
    practice: 'service-account-tokens',
    targets: 'Pod, Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job, CronJob',
    docs: {
      description:
        'Kubernetes mounts a service-account token into every pod unless told not to. Whoever compromises the container (a web bug, a malicious dependency) can use that token against the API server. This rule evaluates the token\'s effective RBAC permissions through the bindings in the manifests and the bootstrap roles, and reports workloads whose token can read secrets, create pods or workloads (and so borrow any service account of the namespace), exec into pods, impersonate, bind or escalate roles, create tokens, approve certificates, edit admission webhooks, create PersistentVolumes, or do anything at all.',
      remediation:
        'Set automountServiceAccountToken: false on workloads that do not call the API. For those that do, give them their own service account bound to a Role with only the verbs, resources and resourceNames they need (see `kubeward rbac risks` and `kubeward rbac list`).',
    },
    references: [
      { framework: 'MITRE', id: 'T1552.007', title: 'Unsecured Credentials: Container API' },
      { framework: 'CIS', id: '5.1.6', title: 'Ensure that Service Account Tokens are only mounted where necessary' },
      { framework: 'NSA-CISA', id: 'Authentication and authorization: least privilege for service accounts' },
    ],
    engine: 'rbac',
    messages: { token: '{{detail}}' },
    severities: { token: ['medium', 'high', 'critical'] },
  },
  check(ctx) {
    for (const f of rbacFindingsOf(ctx.model, ctx.settings)) {
      if (f.ruleId !== 'rbac-token-blast-radius') continue;
      const resource = resourceOfRecord(ctx.model, f.resource);
      if (resource) ctx.report({ messageId: 'token', resource, severity: f.severity, data: { detail: f.message } });
    }

  },
});
