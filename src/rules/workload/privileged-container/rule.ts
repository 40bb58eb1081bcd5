/**
 * A privileged container has every capability and all host devices: escaping to the node
 * is a mount away. A Windows HostProcess container is the Windows equivalent: it runs as a
 * process on the host. Pod Security Standards baseline forbids both.
 */
import { containerLabel, containersOf } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

function hostProcessOf(securityContext: Record<string, unknown> | undefined): boolean | undefined {
  const w = securityContext?.['windowsOptions'];
  const v = w !== null && typeof w === 'object' ? (w as Record<string, unknown>)['hostProcess'] : undefined;
  return typeof v === 'boolean' ? v : undefined;
}

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
        'A container with securityContext.privileged: true runs with all Linux capabilities and access to every host device. A process that breaks out of it, or simply mounts the host disk, owns the node and the kubelet credentials on it. On Windows, a HostProcess container (windowsOptions.hostProcess: true, on the container or the pod) runs directly as a process on the node.',
      remediation: 'Remove `privileged: true`. Grant only the specific capabilities the workload needs, or move the task to a node-level agent.',
    },
    references: [
      { framework: 'PSS', id: 'baseline/privileged', title: 'Privileged Containers' },
      { framework: 'PSS', id: 'baseline/windowsHostProcess', title: 'HostProcess' },
      { framework: 'CIS', id: '5.2.2', title: 'Minimize the admission of privileged containers' },
      { framework: 'NSA-CISA', id: 'Pod security: non-root, immutable, privileged' },
      { framework: 'MITRE', id: 'T1611', title: 'Escape to Host' },
    ],
    messages: {
      privileged: '{{container}} runs privileged',
      hostProcess: '{{container}} runs as a Windows HostProcess container (a process on the node)',
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
      // windowsOptions.hostProcess: the container's setting, else the pod's.
      const own = hostProcessOf(ref.container.securityContext);
      const hostProcess = own ?? hostProcessOf(ref.workload.template.spec.securityContext);
      if (hostProcess === true) {
        ctx.report({
          messageId: 'hostProcess',
          resource: ref.resource,
          pointer: own === undefined ? `${ref.workload.template.specPointer}/securityContext/windowsOptions/hostProcess` : `${ref.pointer}/securityContext/windowsOptions/hostProcess`,
          data: { container: containerLabel(ref) },
        });
      }
    }
  },
});
