/** kubeward's public library API. Re-exports only. */
export { scan, type ScanOptions, type ScanOutput } from './scan.js';
export { loadPaths, loadText, DEFAULT_LIMITS, type LoadOptions, type LoadResult, type LoadLimits } from './load/index.js';
export { buildModel, topLevelWorkloads, isInternetExposed, type ClusterModel, type Workload, type ServiceInfo } from './model/cluster.js';
export { podTemplateOf, allContainers, serviceAccountOf, WORKLOAD_KINDS, type PodSpec, type PodTemplate, type Container } from './model/workloads.js';
export { selectorMatches, mapSelectorMatches, type LabelSelector } from './model/selectors.js';
export { RULES, runRules, checkObject, getRule, defineRule, type Rule, type RuleMeta } from './rules/index.js';
export { renderJson, writeJson } from './report/json.js';
export { renderSarif, writeSarif } from './report/sarif.js';
export { renderText } from './report/text.js';
export type { ScanResult, ScanSummary, ScanError } from './report/scan-result.js';
export type { Finding, JsonPatchOp, Practice } from './core/finding.js';
export type { KubeObject, Resource, Severity, SourceRef, LoadProblem } from './core/types.js';
export { KubewardError, InputError, ConfigError, UsageError, ClusterError } from './core/errors.js';
export { memoryReader, SCAN_KINDS, type ClusterReader } from './cluster/reader.js';
export { kubernetesReader } from './cluster/kubernetes-reader.js';
export { loadCluster } from './cluster/load-cluster.js';
export { VERSION } from './version.js';
