/**
 * hostPID, hostIPC and hostNetwork put the pod in the node's namespaces: it sees (and can
 * signal or ptrace) host processes, reads host shared memory, or binds and sniffs on the
 * node's interfaces. Pod Security Standards baseline forbids all three.
 */
import { WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';
import { topLevelWorkloads } from '../../../model/cluster.js';

const FIELDS = ['hostPID', 'hostIPC', 'hostNetwork'] as const;

export default defineRule({
  id: 'host-namespaces',
  meta: {
    title: 'Pod shares host namespaces',
    category: 'workload',
    severity: 'high',
    practice: 'container-escape',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'hostPID: true lets the containers see and signal every process on the node (and read their environment through /proc); hostIPC: true shares the node\'s System V IPC and POSIX shared memory; hostNetwork: true attaches the pod to the node\'s network stack, bypassing NetworkPolicy and exposing node-local services such as the kubelet and cloud metadata.',
      remediation: 'Remove hostPID, hostIPC and hostNetwork (or set them to false). Node agents that need them belong in a dedicated, tightly controlled namespace.',
    },
    references: [
      { framework: 'PSS', id: 'baseline/hostNamespaces', title: 'Host Namespaces' },
      { framework: 'CIS', id: '5.2.3', title: 'Minimize the admission of containers wishing to share the host process ID namespace' },
      { framework: 'CIS', id: '5.2.4', title: 'Minimize the admission of containers wishing to share the host IPC namespace' },
      { framework: 'CIS', id: '5.2.5', title: 'Minimize the admission of containers wishing to share the host network namespace' },
      { framework: 'NSA-CISA', id: 'Pod security: hardening container environments' },
      { framework: 'MITRE', id: 'T1611', title: 'Escape to Host' },
    ],
    messages: {
      hostPID: 'pods share the host PID namespace (hostPID: true)',
      hostIPC: 'pods share the host IPC namespace (hostIPC: true)',
      hostNetwork: 'pods share the host network namespace (hostNetwork: true)',
    },
    fixable: true,
  },
  check(ctx) {
    for (const w of topLevelWorkloads(ctx.model)) {
      for (const field of FIELDS) {
        if (w.template.spec[field] !== true) continue;
        const pointer = `${w.template.specPointer}/${field}`;
        ctx.report({ messageId: field, resource: w.resource, pointer, fix: [{ op: 'replace', path: pointer, value: false }] });
      }
    }
  },
});
