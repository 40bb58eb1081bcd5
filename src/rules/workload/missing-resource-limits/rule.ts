/**
 * Containers without a memory limit can exhaust the node (medium); without a CPU limit or
 * without requests they starve neighbours and defeat scheduling (low). Ephemeral
 * containers cannot set resources and are skipped. A namespace LimitRange may supply
 * defaults at admission; that is not visible per manifest, so it is not assumed.
 */
import { containerLabel, containersOf, WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

function has(map: Record<string, unknown> | undefined, key: string): boolean {
  const v = map?.[key];
  return v !== undefined && v !== null && v !== '';
}

export default defineRule({
  id: 'missing-resource-limits',
  meta: {
    title: 'Missing resource limits or requests',
    category: 'workload',
    severity: 'medium',
    practice: 'resource-hygiene',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'A container without a memory limit can consume all of the node\'s memory and get neighbouring pods (or node daemons) OOM-killed; without a CPU limit it can starve them; without requests the scheduler overcommits the node. A compromised or buggy workload becomes a denial of service for the whole node.',
      remediation: 'Set `resources.requests.cpu`, `resources.requests.memory` and `resources.limits.memory` (and a CPU limit where fairness matters) on every container; add a LimitRange and ResourceQuota per namespace.',
    },
    references: [
      { framework: 'NSA-CISA', id: 'Network separation and hardening: resource policies' },
      { framework: 'MITRE', id: 'T1499', title: 'Endpoint Denial of Service' },
    ],
    messages: {
      missingMemoryLimit: '{{container}} has no memory limit',
      missingCpuLimit: '{{container}} has no CPU limit',
      missingRequests: '{{container}} has no {{which}} request',
    },
  },
  check(ctx) {
    for (const ref of containersOf(ctx.model)) {
      if (ref.group === 'ephemeralContainers') continue;
      const res = ref.container.resources;
      const limits = res?.limits;
      const requests = res?.requests;
      const at = (sub: 'limits' | 'requests'): string =>
        res?.[sub] ? `${ref.pointer}/resources/${sub}` : res ? `${ref.pointer}/resources` : ref.pointer;
      const data = { container: containerLabel(ref) };
      if (!has(limits, 'memory')) ctx.report({ messageId: 'missingMemoryLimit', resource: ref.resource, pointer: at('limits'), data });
      if (!has(limits, 'cpu')) ctx.report({ messageId: 'missingCpuLimit', resource: ref.resource, pointer: at('limits'), data, severity: 'low' });
      // A limit without a request defaults the request to the limit.
      const missing = (['cpu', 'memory'] as const).filter((k) => !has(requests, k) && !has(limits, k));
      if (missing.length > 0) {
        ctx.report({ messageId: 'missingRequests', resource: ref.resource, pointer: at('requests'), data: { ...data, which: missing.join(' and ') }, severity: 'low' });
      }
    }
  },
});
