/**
 * Internet-exposed workloads, and every workload in `settings.sandboxNamespaces`, should run
 * in a sandboxed runtime (gVisor, Kata): a kernel or runtime escape then lands in a guest
 * kernel, not on the node. A pod is sandboxed when its `runtimeClassName` names a
 * RuntimeClass whose `handler` is in `settings.sandboxHandlers`; when that RuntimeClass is
 * not in the inventory, the name itself must be one of the handlers.
 */
import { WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';
import { isInternetExposed, topLevelWorkloads, type ClusterModel } from '../../../model/cluster.js';
import { sharesHostNamespaces } from '../../../model/workloads.js';
import type { RuleSettings } from '../../settings.js';

/** True when `runtimeClassName` selects a sandbox handler. */
export function isSandboxed(model: ClusterModel, settings: RuleSettings, runtimeClassName: string | undefined): boolean {
  if (!runtimeClassName) return false;
  const rc = model.runtimeClasses.get(runtimeClassName);
  const handler = rc ? rc.object['handler'] : runtimeClassName;
  return typeof handler === 'string' && settings.sandboxHandlers.includes(handler);
}

export default defineRule({
  id: 'sandbox-runtime-class',
  meta: {
    title: 'Exposed or untrusted workload not sandboxed',
    category: 'workload',
    severity: 'medium',
    practice: 'sandboxed-pods',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'Containers share the node\'s kernel, so one kernel or runtime vulnerability turns a compromised pod into a compromised node. Workloads that face the internet (LoadBalancer, NodePort, externalIPs, Ingress, host network or host port) and workloads in namespaces configured as untrusted (`sandboxNamespaces`) should run under a sandboxed RuntimeClass (gVisor `runsc`, Kata Containers; see `sandboxHandlers`). Node agents that share the node\'s network, PID or IPC namespace cannot be sandboxed and are left to the host-namespaces rule, unless they run in a sandbox namespace.',
      remediation:
        'Install a sandboxed runtime on (a pool of) nodes, create a RuntimeClass for it (handler `runsc` or `kata`) with a node selector, and set `runtimeClassName` in the pod spec.',
    },
    references: [
      { framework: 'NSA-CISA', id: 'Pod security: hardening container environments (sandboxed runtimes)' },
      { framework: 'MITRE', id: 'T1611', title: 'Escape to Host' },
      { framework: 'MITRE', id: 'T1190', title: 'Exploit Public-Facing Application' },
      { framework: 'URL', id: 'https://kubernetes.io/docs/concepts/containers/runtime-class/' },
    ],
    messages: {
      notSandboxed: '{{pods}} run without a sandboxed RuntimeClass (runtimeClassName: {{runtimeClass}})',
    },
    fixable: true,
  },
  check(ctx) {
    const sandboxClasses = [...ctx.model.runtimeClasses.entries()]
      .filter(([, r]) => typeof r.object['handler'] === 'string' && ctx.settings.sandboxHandlers.includes(r.object['handler']))
      .map(([name]) => name)
      .sort();
    for (const w of topLevelWorkloads(ctx.model)) {
      const inNs = ctx.settings.sandboxNamespaces.includes(w.namespace);
      if (!inNs && !isInternetExposed(w)) continue;
      // A node agent sharing the node's namespaces (node-exporter, kube-proxy, CNI agents)
      // cannot run in a sandbox, whose point is its own kernel: host-namespaces reports it.
      if (!inNs && sharesHostNamespaces(w.template.spec)) continue;
      const rcName = w.template.spec.runtimeClassName;
      if (isSandboxed(ctx.model, ctx.settings, rcName)) continue;
      const spec = w.template.specPointer;
      const first = sandboxClasses[0];
      ctx.report({
        messageId: 'notSandboxed',
        resource: w.resource,
        pointer: rcName ? `${spec}/runtimeClassName` : spec,
        data: { pods: inNs ? `pods in sandbox namespace "${w.namespace}"` : 'internet-exposed pods', runtimeClass: rcName ? `"${rcName}"` : 'none' },
        ...(first !== undefined ? { fix: [{ op: 'add' as const, path: `${spec}/runtimeClassName`, value: first }] } : {}),
      });
    }
  },
});
