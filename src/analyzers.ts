/**
 * Engine-backed analyses that need the whole model (Pod Security Standards per namespace,
 * RBAC power, network reachability). Each turns engine verdicts into scan findings.
 */
import type { KubewardConfig } from './config/config.js';
import type { Finding } from './core/finding.js';
import type { ClusterModel } from './model/cluster.js';

export type Analyzer = (model: ClusterModel, config: KubewardConfig) => Finding[];

export function scanAnalyzers(): Analyzer[] {
  return [];
}
