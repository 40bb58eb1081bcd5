/**
 * Lateral movement through RBAC: a workload's token that, by using its powers repeatedly
 * (creating pods with another service account, binding roles, impersonating), reaches
 * cluster-admin-equivalent power.
 */
import { rbacFindingsOf, resourceOfRecord } from '../../engine-cache.js';
import { defineRule } from '../../define.js';

export default defineRule({
  id: 'rbac-escalation-chain',
  meta: {
    title: "A workload's token escalates to cluster-admin",
    category: 'rbac',
    severity: 'critical',
    practice: 'rbac',
    targets: 'Pod, Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job, CronJob',
    docs: {
      description:
        'Some RBAC powers are stepping stones: creating pods in a namespace lets an attacker run a pod as any service account there and take its token; bind and escalate let one grant any role; impersonate lets one act as anyone. This rule follows those steps from each workload\'s mounted token and reports the chain when it ends at cluster-admin-equivalent power.',
      remediation:
        'Cut the chain at its cheapest link (the message lists every step): usually stop mounting the token, or remove pod/workload creation from the first service account, or move the highly privileged service account out of namespaces where others can create pods.',
    },
    references: [
      { framework: 'MITRE', id: 'T1078', title: 'Valid Accounts' },
      { framework: 'MITRE', id: 'T1610', title: 'Deploy Container' },
      { framework: 'CIS', id: '5.1.8', title: 'Limit use of the Bind, Impersonate and Escalate permissions' },
    ],
    engine: 'rbac',
    messages: { chain: '{{detail}}' },
  },
  check(ctx) {
    for (const f of rbacFindingsOf(ctx.model, ctx.settings)) {
      if (f.ruleId !== 'rbac-escalation-chain') continue;
      const resource = resourceOfRecord(ctx.model, f.resource);
      if (resource) ctx.report({ messageId: 'chain', resource, severity: f.severity, data: { detail: f.message } });
    }
  },
});
