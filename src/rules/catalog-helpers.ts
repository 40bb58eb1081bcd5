/** Small shared predicates for rules: where containers live and what their security context says. */
import type { Resource } from '../core/types.js';
import { topLevelWorkloads, type ClusterModel, type Workload } from '../model/cluster.js';
import { allContainers, type Container, type ContainerGroup } from '../model/workloads.js';

export interface ContainerRef {
  workload: Workload;
  resource: Resource;
  container: Container;
  group: ContainerGroup;
  index: number;
  /** JSON pointer of the container inside the workload object. */
  pointer: string;
}

/** Every container of every top-level workload, with its JSON pointer. */
export function containersOf(model: ClusterModel): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const w of topLevelWorkloads(model)) {
    for (const { container, group, index } of allContainers(w.template.spec)) {
      out.push({ workload: w, resource: w.resource, container, group, index, pointer: `${w.template.specPointer}/${group}/${index}` });
    }
  }
  return out;
}

/** A container's effective security-context field: the container's value, else the pod's. */
export function effectiveSecurityField(w: Workload, c: Container, field: string): unknown {
  const own = c.securityContext?.[field];
  if (own !== undefined && own !== null) return own;
  const pod = w.template.spec.securityContext?.[field];
  return pod === null ? undefined : pod;
}

/** Human label for a container: `container "web"`, `init container "setup"`. */
export function containerLabel(ref: ContainerRef): string {
  const kind = ref.group === 'initContainers' ? 'init container' : ref.group === 'ephemeralContainers' ? 'ephemeral container' : 'container';
  return `${kind} "${ref.container.name}"`;
}
