/**
 * A namespace that runs workloads should tell Pod Security Admission what to enforce.
 * Without an `enforce` label the API server admits any pod, privileged ones included.
 */
import { namespacePolicy, PSS_LABEL_PREFIX } from '../../../engines/pss/index.js';
import { topLevelWorkloads } from '../../../model/cluster.js';
import { defineRule } from '../../define.js';

export default defineRule({
  id: 'pss-namespace-unenforced',
  meta: {
    title: 'Namespace enforces no Pod Security level',
    category: 'pss',
    severity: 'medium',
    practice: 'admission',
    targets: 'Namespace',
    docs: {
      description:
        'Pod Security Admission enforces what a namespace\'s pod-security.kubernetes.io/enforce label says. A namespace with workloads and no enforce label (or enforce=privileged) lets the API server admit any pod, including privileged pods with host access. Invalid labels are reported too: the admission controller reads an invalid enforce level as restricted and an invalid version as latest.',
      remediation:
        'Label the namespace, e.g. `kubectl label ns NAME pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/enforce-version=latest` (baseline where restricted is not yet possible), or set a cluster-wide default in the PodSecurity admission configuration.',
    },
    references: [
      { framework: 'PSS', id: 'admission', title: 'Pod Security Admission' },
      { framework: 'CIS', id: '5.2.1', title: 'Ensure that the cluster has at least one active policy control mechanism in place' },
      { framework: 'URL', id: 'https://kubernetes.io/docs/concepts/security/pod-security-admission/' },
    ],
    messages: {
      unlabelled: 'namespace {{namespace}} runs {{count}} workload(s) but enforces no Pod Security level',
      privileged: 'namespace {{namespace}} enforces the privileged Pod Security level (anything is admitted)',
      invalid: 'namespace {{namespace}} has an invalid Pod Security label: {{error}}',
    },
  },
  check(ctx) {
    const counts = new Map<string, number>();
    for (const w of topLevelWorkloads(ctx.model)) counts.set(w.namespace, (counts.get(w.namespace) ?? 0) + 1);
    for (const [name, ns] of ctx.model.namespaces) {
      const count = counts.get(name) ?? 0;
      if (!ns.resource) continue;
      const policy = namespacePolicy(ns.labels);
      for (const error of policy.errors) ctx.report({ messageId: 'invalid', resource: ns.resource, pointer: '/metadata/labels', data: { namespace: name, error } });
      if (count === 0) continue;
      const explicit = ns.labels[`${PSS_LABEL_PREFIX}enforce`];
      if (explicit === undefined) ctx.report({ messageId: 'unlabelled', resource: ns.resource, pointer: '/metadata', data: { namespace: name, count } });
      else if (policy.enforce.level === 'privileged') {
        ctx.report({ messageId: 'privileged', resource: ns.resource, pointer: '/metadata/labels/pod-security.kubernetes.io~1enforce', data: { namespace: name } });
      }
    }
  },
});
