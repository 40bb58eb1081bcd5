/**
 * Containers without a memory limit can exhaust the node (medium); without a CPU limit or
 * without requests they starve neighbours and defeat scheduling (low). Ephemeral
 * containers cannot set resources and are skipped. What the admission chain fills in is
 * taken into account when it is among the scanned objects: a LimitRange of the namespace
 * (`type: Container` items: `default`, `defaultRequest`, and `max` and `min`, which the API
 * server defaults them from), and pod-level `spec.resources`, which bounds all containers.
 */
import { containerLabel, containersOf, WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { asRecord } from '../../../core/records.js';
import type { Resource } from '../../../core/types.js';
import { defineRule } from '../../define.js';

/**
 * Per namespace, the container limits and requests its LimitRanges fill in (as the API server
 * defaults a LimitRange: `default` from `max`, `defaultRequest` from `default`).
 */
function limitRangeDefaults(ranges: readonly Resource[]): Map<string, { limits: Record<string, unknown>; requests: Record<string, unknown> }> {
  const out = new Map<string, { limits: Record<string, unknown>; requests: Record<string, unknown> }>();
  for (const r of ranges) {
    const limits = asRecord(r.object['spec'])?.['limits'];
    if (!Array.isArray(limits)) continue;
    const ns = r.object.metadata.namespace || 'default';
    let d = out.get(ns);
    if (!d) out.set(ns, (d = { limits: {}, requests: {} }));
    for (const item of limits) {
      const it = asRecord(item);
      if (!it || (it['type'] !== undefined && it['type'] !== 'Container')) continue;
      const limit = { ...asRecord(it['max']), ...asRecord(it['default']) };
      Object.assign(d.limits, limit);
      // defaultRequest defaults from default, else from min (SetDefaults_LimitRangeItem).
      Object.assign(d.requests, asRecord(it['min']), limit, asRecord(it['defaultRequest']));
    }
  }
  return out;
}

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
    severities: { missingCpuLimit: ['low'], missingRequests: ['low'] },
  },
  check(ctx) {
    const defaults = limitRangeDefaults(ctx.model.byKind.get('LimitRange') ?? []);
    for (const ref of containersOf(ctx.model)) {
      if (ref.group === 'ephemeralContainers') continue;
      const res = ref.container.resources;
      const podLevel = asRecord(ref.workload.template.spec['resources']);
      const namespace = defaults.get(ref.workload.namespace);
      const limits = { ...namespace?.limits, ...asRecord(podLevel?.['limits']), ...res?.limits };
      const requests = { ...namespace?.requests, ...asRecord(podLevel?.['requests']), ...res?.requests };
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
