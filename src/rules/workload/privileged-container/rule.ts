/**
 * A privileged container has every capability and all host devices: escaping to the node
 * is a mount away. Pod Security Standards baseline forbids it.
 */
import { containerLabel, containersOf } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

export default defineRule({
  id: 'privileged-container',
  meta: {
    title: 'Privileged container',
    category: 'workload',
    severity: 'critical',
    practice: 'container-escape',
    targets: 'Pod, Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job, CronJob',
    docs: {
      description:
        'A container with securityContext.privileged: true runs with all Linux capabilities and access to every host device. A process that breaks out of it, or simply mounts the host disk, owns the node and the kubelet credentials on it.',
      remediation: 'Remove `privileged: true`. Grant only the specific capabilities the workload needs, or move the task to a node-level agent.',
    },
    references: [
      { framework: 'PSS', id: 'baseline/privileged', title: 'Privileged Containers' },
      { framework: 'CIS', id: '5.2.2', title: 'Minimize the admission of privileged containers' },
      { framework: 'NSA-CISA', id: 'Pod security: non-root, immutable, privileged' },
      { framework: 'MITRE', id: 'T1611', title: 'Escape to Host' },
    ],
    messages: {
      privileged: '{{container}} runs privileged',
    },
    fixable: true,
  },
  check(ctx) {
    for (const ref of containersOf(ctx.model)) {
      if (ref.container.securityContext?.['privileged'] === true) {
        ctx.report({
          messageId: 'privileged',
          resource: ref.resource,
          pointer: `${ref.pointer}/securityContext/privileged`,
          data: { container: containerLabel(ref) },
          fix: [{ op: 'replace', path: `${ref.pointer}/securityContext/privileged`, value: false }],
        });
      }
    }
  },
});
