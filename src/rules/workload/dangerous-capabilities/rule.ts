/**
 * Capabilities in `securityContext.capabilities.add` that open a way to the node or the
 * network: SYS_ADMIN, SYS_MODULE and ALL are critical (mount, load kernel modules, every
 * capability); the rest are high. Names are compared case-insensitively, with or without
 * the `CAP_` prefix.
 */
import { capabilityEntries, containerLabel, containersOf, WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

export const DANGEROUS_CAPABILITIES = new Set([
  'ALL',
  'SYS_ADMIN',
  'SYS_MODULE',
  'NET_ADMIN',
  'SYS_PTRACE',
  'DAC_READ_SEARCH',
  'NET_RAW',
  'SYS_RAWIO',
  'BPF',
  'PERFMON',
  'SYS_BOOT',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
]);
const CRITICAL = new Set(['ALL', 'SYS_ADMIN', 'SYS_MODULE']);

export default defineRule({
  id: 'dangerous-capabilities',
  meta: {
    title: 'Dangerous capability added',
    category: 'workload',
    severity: 'high',
    practice: 'container-escape',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'Linux capabilities split root\'s power; some pieces are enough to leave the container. SYS_ADMIN allows mounts and most of the known escapes, SYS_MODULE loads kernel code, SYS_PTRACE and DAC_READ_SEARCH read other processes and host files, SYS_RAWIO, BPF and PERFMON reach kernel memory and tracing, SYS_BOOT reboots the node, MAC_ADMIN and MAC_OVERRIDE change or bypass AppArmor/SELinux confinement, NET_ADMIN and NET_RAW reconfigure or spoof traffic on the pod network. ALL grants all of them.',
      remediation: 'Remove the capability from `securityContext.capabilities.add`; drop ALL and add back only what the process provably needs (typically nothing, or NET_BIND_SERVICE).',
    },
    references: [
      { framework: 'PSS', id: 'baseline/capabilities', title: 'Capabilities' },
      { framework: 'CIS', id: '5.2.8', title: 'Minimize the admission of containers with the NET_RAW capability' },
      { framework: 'CIS', id: '5.2.9', title: 'Minimize the admission of containers with added capabilities' },
      { framework: 'NSA-CISA', id: 'Pod security: hardening container environments' },
      { framework: 'MITRE', id: 'T1611', title: 'Escape to Host' },
    ],
    messages: {
      dangerousCapability: '{{container}} adds capability {{capability}}',
    },
    severities: { dangerousCapability: ['high', 'critical'] },
    fixable: true,
  },
  check(ctx) {
    for (const ref of containersOf(ctx.model)) {
      for (const { name, index } of capabilityEntries(ref.container, 'add')) {
        if (!DANGEROUS_CAPABILITIES.has(name)) continue;
        const pointer = `${ref.pointer}/securityContext/capabilities/add/${index}`;
        ctx.report({
          messageId: 'dangerousCapability',
          resource: ref.resource,
          pointer,
          data: { container: containerLabel(ref), capability: name },
          severity: CRITICAL.has(name) ? 'critical' : 'high',
          fix: [{ op: 'remove', path: pointer }],
        });
      }
    }
  },
});
