/**
 * Containers keep the runtime's default capability set (CHOWN, DAC_OVERRIDE, FOWNER,
 * SETUID, SETGID, NET_RAW on many runtimes, …) unless they drop ALL. Pod Security
 * Standards restricted requires `drop: [ALL]`. Windows pods are exempt (no capabilities).
 */
import { isWindowsPod } from '../../../model/workloads.js';
import { capabilityEntries, containerLabel, containersOf, securityFieldFix, WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

export default defineRule({
  id: 'capabilities-not-dropped',
  meta: {
    title: 'Capabilities not dropped',
    category: 'workload',
    severity: 'medium',
    practice: 'container-escape',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'Unless a container drops ALL capabilities, it runs with the container runtime\'s default set, which includes CHOWN, DAC_OVERRIDE, SETUID/SETGID and often NET_RAW (ARP and DNS spoofing on the pod network). These widen what an attacker can do after compromising the process and are rarely needed.',
      remediation: 'Add `securityContext.capabilities.drop: ["ALL"]` to every container, and add back only capabilities the process needs (NET_BIND_SERVICE for ports below 1024).',
    },
    references: [
      { framework: 'PSS', id: 'restricted/capabilities', title: 'Capabilities (restricted)' },
      { framework: 'CIS', id: '5.2.10', title: 'Minimize the admission of containers with capabilities assigned' },
      { framework: 'NSA-CISA', id: 'Pod security: hardening container environments' },
      { framework: 'MITRE', id: 'T1611', title: 'Escape to Host' },
    ],
    messages: {
      notDropped: '{{container}} does not drop ALL capabilities',
    },
    fixable: true,
  },
  check(ctx) {
    for (const ref of containersOf(ctx.model)) {
      if (isWindowsPod(ref.workload.template.spec)) continue;
      const drop = capabilityEntries(ref.container, 'drop');
      if (drop.some((d) => d.name === 'ALL')) continue;
      const caps = ref.container.securityContext?.['capabilities'] as { drop?: unknown } | undefined;
      const hasDrop = Array.isArray(caps?.drop);
      ctx.report({
        messageId: 'notDropped',
        resource: ref.resource,
        pointer: hasDrop ? `${ref.pointer}/securityContext/capabilities/drop` : ref.container.securityContext ? `${ref.pointer}/securityContext` : ref.pointer,
        data: { container: containerLabel(ref) },
        fix: hasDrop
          ? [{ op: 'add', path: `${ref.pointer}/securityContext/capabilities/drop/-`, value: 'ALL' }]
          : securityFieldFix(ref, ['capabilities', 'drop'], ['ALL']),
      });
    }
  },
});
