/**
 * Pod Security Standards, as the namespace's Pod Security Admission labels apply them: a
 * workload whose pods violate the namespace's `enforce` level will have those pods rejected
 * by the API server; a violation of `audit`/`warn` is recorded and warned about. Where the
 * namespace sets no level, the workload is checked against `restricted` as advice.
 */
import { namespacePolicy, evaluatePod, formatFailures, LATEST_PSS_VERSION, PSS_LABEL_PREFIX, type NamespacePssPolicy, type PssModePolicy } from '../../../engines/pss/index.js';
import { topLevelWorkloads } from '../../../model/cluster.js';
import { defineRule } from '../../define.js';

function label(p: PssModePolicy): string {
  return `${p.level}:${p.version}`;
}

export default defineRule({
  id: 'pod-security-standards',
  meta: {
    title: 'Pod Security Standards violation',
    category: 'pss',
    severity: 'high',
    practice: 'admission',
    targets: 'Pod, Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job, CronJob',
    docs: {
      description:
        "Evaluates every pod template with kubeward's Pod Security Standards engine, which gives the same verdicts as the API server's Pod Security Admission at each policy version. A violation of the namespace's enforce level means the API server rejects the pods (a Deployment is accepted, but its ReplicaSet cannot create pods); audit and warn levels are recorded and shown to users. Namespaces without a level are checked against restricted as advice.",
      remediation:
        'Fix the failing checks listed in the message (each names the field and container), or, if the workload truly needs the access, run it in a namespace whose Pod Security level allows it and document why.',
    },
    references: [
      { framework: 'PSS', id: 'baseline+restricted', title: 'Pod Security Standards' },
      { framework: 'CIS', id: '5.2.1', title: 'Ensure that the cluster has at least one active policy control mechanism in place' },
      { framework: 'NSA-CISA', id: 'Pod security' },
      { framework: 'URL', id: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/' },
    ],
    messages: {
      enforce: 'pods will be rejected by Pod Security Admission (enforce {{policy}}): {{failures}}',
      auditWarn: 'pods violate the namespace\'s {{mode}} level {{policy}}: {{failures}}',
      advice: 'pods do not meet restricted:{{version}} (namespace sets no Pod Security level): {{failures}}',
    },
    severities: { advice: ['low'], auditWarn: ['medium'] },
  },
  check(ctx) {
    // What a namespace's labels say, read once per namespace rather than once per workload.
    const namespaces = new Map<string, { policy: NamespacePssPolicy; hasLevel: boolean }>();
    const nsPolicy = (name: string): { policy: NamespacePssPolicy; hasLevel: boolean } => {
      let p = namespaces.get(name);
      if (!p) {
        const labels = ctx.model.namespaces.get(name)?.labels ?? {};
        const hasLevel = Object.keys(labels).some((k) => k.startsWith(PSS_LABEL_PREFIX) && !k.endsWith('-version'));
        namespaces.set(name, (p = { policy: namespacePolicy(labels), hasLevel }));
      }
      return p;
    };
    for (const w of topLevelWorkloads(ctx.model)) {
      const { policy, hasLevel } = nsPolicy(w.namespace);
      const pointer = w.template.specPointer;
      if (!hasLevel) {
        const r = evaluatePod(w.template.metadata, w.template.spec, 'restricted', 'latest');
        if (!r.allowed) {
          ctx.report({ messageId: 'advice', resource: w.resource, pointer, severity: 'low', data: { version: LATEST_PSS_VERSION, failures: formatFailures(r.failures) } });
        }
        continue;
      }
      const enforce = evaluatePod(w.template.metadata, w.template.spec, policy.enforce.level, policy.enforce.version);
      if (!enforce.allowed) {
        ctx.report({ messageId: 'enforce', resource: w.resource, pointer, data: { policy: label(policy.enforce), failures: formatFailures(enforce.failures) } });
        continue;
      }
      // A level and version that already passed pass again: evaluate each distinct one once.
      const passed = [label(policy.enforce)];
      for (const mode of ['audit', 'warn'] as const) {
        if (passed.includes(label(policy[mode]))) continue;
        const r = evaluatePod(w.template.metadata, w.template.spec, policy[mode].level, policy[mode].version);
        if (!r.allowed) {
          ctx.report({ messageId: 'auditWarn', resource: w.resource, pointer, severity: 'medium', data: { mode, policy: label(policy[mode]), failures: formatFailures(r.failures) } });
          break;
        }
        passed.push(label(policy[mode]));
      }
    }
  },
});
