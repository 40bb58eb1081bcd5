/**
 * NetworkPolicy engine: pure functions from Kubernetes objects to connectivity, explanations,
 * diffs, intent checks, synthesised policies and findings. No I/O.
 */
import type { KubeObject } from '../../core/types.js';
import type { Connectivity, ConnectivityOptions } from './evaluate.js';
import { computeConnectivity } from './evaluate.js';
import type { Connection } from './list.js';
import { connectionList } from './list.js';
import type { ModelOptions, NetworkModel } from './model.js';
import { buildNetworkModel } from './model.js';

export * from './conn.js';
export * from './ip.js';
export * from './model.js';
export * from './evaluate.js';
export * from './list.js';

export interface AnalyzeOptions extends ModelOptions, ConnectivityOptions {}

export interface Analysis {
  model: NetworkModel;
  connectivity: Connectivity;
  /** Every allowed workload pair: computed on first use (quadratic in workloads; `connections()` streams it). */
  readonly connections: Connection[];
}

/** Model, class-level connectivity and the workload connection list of a set of objects. */
export function analyzeObjects(objects: readonly KubeObject[], options: AnalyzeOptions = {}): Analysis {
  const model = buildNetworkModel(objects, options);
  const connectivity = computeConnectivity(model, options);
  let list: Connection[] | undefined;
  return {
    model,
    connectivity,
    get connections(): Connection[] {
      return (list ??= connectionList(connectivity));
    },
  };
}
export * from './explain.js';
export * from './diff.js';
export * from './intents.js';
export * from './suggest.js';
export * from './findings.js';
export * from './reachability.js';
