/**
 * The cluster boundary: the one interface through which kubeward reads a live cluster.
 * `kubernetesReader` implements it over @kubernetes/client-node; tests use
 * `memoryReader`. Reading never changes anything in the cluster.
 */
import type { KubeObject } from '../core/types.js';

export interface ClusterReader {
  /** Context name, used in sources (`cluster:<context>`). */
  readonly context: string;
  /** Every object of a kind, across namespaces, with apiVersion and kind set on each. */
  list(apiVersion: string, kind: string): Promise<KubeObject[]>;
}

/** The kinds a scan reads from a cluster, in the order they are fetched. */
export const SCAN_KINDS: ReadonlyArray<readonly [apiVersion: string, kind: string]> = [
  ['v1', 'Namespace'],
  ['v1', 'Pod'],
  ['v1', 'ReplicationController'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'ReplicaSet'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'DaemonSet'],
  ['batch/v1', 'Job'],
  ['batch/v1', 'CronJob'],
  ['v1', 'Service'],
  ['v1', 'ServiceAccount'],
  ['v1', 'Secret'],
  ['networking.k8s.io/v1', 'Ingress'],
  ['networking.k8s.io/v1', 'NetworkPolicy'],
  ['rbac.authorization.k8s.io/v1', 'Role'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
  ['node.k8s.io/v1', 'RuntimeClass'],
];

/** An in-memory cluster: objects given up front, listed by apiVersion and kind. */
export function memoryReader(objects: readonly KubeObject[], context = 'memory'): ClusterReader {
  return {
    context,
    list(apiVersion, kind) {
      return Promise.resolve(objects.filter((o) => o.apiVersion === apiVersion && o.kind === kind).map((o) => structuredClone(o)));
    },
  };
}
