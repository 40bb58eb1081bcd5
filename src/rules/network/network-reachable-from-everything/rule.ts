/**
 * A workload that every other workload and every external address can connect to, as
 * computed by the NetworkPolicy engine: nothing segments it, so any compromised pod (or the
 * internet, where a route exists) reaches it directly.
 */
import { netpolFindingsOf, parseWorkloadId, resourceOfRecord } from '../../engine-cache.js';
import { defineRule } from '../../define.js';
import { reportedResource, type ClusterModel } from '../../../model/cluster.js';
import { podGroupOf, workloadId } from '../../../engines/netpol/model.js';
import type { Resource } from '../../../core/types.js';

/** The first Pod of each controller, under the network engine's id for the group it counts the Pod in. */
function podsByAbsentOwner(model: ClusterModel): Map<string, Resource> {
  const out = new Map<string, Resource>();
  for (const w of model.workloads) {
    if (w.kind !== 'Pod') continue;
    const group = podGroupOf(w.resource.object);
    if (group.kind === 'Pod') continue;
    const id = workloadId(w.namespace, group.name, group.kind);
    if (!out.has(id)) out.set(id, w.resource);
  }
  return out;
}

export default defineRule({
  id: 'network-reachable-from-everything',
  meta: {
    title: 'Workload reachable from everything',
    category: 'network',
    severity: 'medium',
    practice: 'network-policies',
    targets: 'Pod, Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job, CronJob',
    docs: {
      description:
        'Left to its defaults, pod-to-pod traffic in Kubernetes is open. This rule computes connectivity exactly as a conformant CNI enforces NetworkPolicy (both the source\'s egress and the destination\'s ingress must allow) and reports workloads that every other workload and every external address can connect to — for example a database that the web tier can reach directly.',
      remediation:
        'Add a default-deny ingress policy to the namespace and allow only the flows the application needs (`kubeward netpol suggest` writes them; `kubeward netpol explain SRC DST` shows why a flow is open).',
    },
    references: [
      { framework: 'NSA-CISA', id: 'Network separation and hardening' },
      { framework: 'CIS', id: '5.3.2', title: 'Ensure that all Namespaces have Network Policies defined' },
      { framework: 'MITRE', id: 'T1046', title: 'Network Service Discovery' },
    ],
    engine: 'netpol',
    messages: { open: '{{detail}}' },
  },
  check(ctx) {
    let podsByOwner: Map<string, Resource> | undefined;
    for (const f of netpolFindingsOf(ctx.model)) {
      if (f.ruleId !== 'netpol-workload-reachable-from-everything' || !f.workload) continue;
      // Pods whose controller is not in the input (`kubectl get pods -o json`) are grouped
      // under it by the engine: the finding goes to the first of them.
      const resource = resourceOfRecord(ctx.model, parseWorkloadId(f.workload)) ?? (podsByOwner ??= podsByAbsentOwner(ctx.model)).get(f.workload);
      // The network engine groups pods by their controller's name: a ReplicaSet its Deployment owns is reported there.
      if (resource && reportedResource(ctx.model, resource)) ctx.report({ messageId: 'open', resource, severity: f.severity, data: { detail: f.message } });
    }
  },
});
