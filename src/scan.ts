/** The scan pipeline as a library call: load → model → rules (+ engines) → config → result. */
import { applyConfig, DEFAULT_CONFIG, selectRules, type KubewardConfig } from './config/config.js';
import { annotationExceptions, applyAnnotationExceptions } from './config/annotation-exceptions.js';
import type { Finding } from './core/finding.js';
import { compareFindings } from './core/finding.js';
import type { Resource } from './core/types.js';
import { loadPaths, type LoadOptions, type LoadResult } from './load/index.js';
import { buildModel, CLUSTER_SCOPED_KINDS, type ClusterModel } from './model/cluster.js';
import type { Rule } from './rules/define.js';
import { RULES } from './rules/registry.js';
import { loadBootstrapRbac } from './load/bootstrap-rbac.js';
import { analyseEngines } from './analysis/offload.js';
import { primeEngineResults } from './rules/engine-cache.js';
import { containersOf } from './rules/catalog-helpers.js';
import type { ImageScanSummary } from './rules/settings.js';
import { runRules, withoutInheritedFindings } from './rules/run.js';
import { summarise, toScanError, type ScanResult } from './report/scan-result.js';
import { VERSION } from './version.js';

export interface ScanOptions extends LoadOptions {
  paths: readonly string[];
  /** Objects already loaded (from a live cluster, for instance); `paths` are then not read. */
  preloaded?: LoadResult;
  config?: KubewardConfig;
  /** Run only these rule ids. */
  only?: readonly string[];
  /** Skip these rule ids. */
  skip?: readonly string[];
  /** Keep only findings about these namespaces. */
  namespaces?: readonly string[];
  /** Drop findings about these namespaces (cluster-scoped objects are kept). */
  excludeNamespaces?: readonly string[];
  /** Today's date, `YYYY-MM-DD` (for exception expiry); defaults to the system clock. */
  today?: string;
  /** The catalog to draw rules from (defaults to every rule). */
  catalog?: readonly Rule[];
  /**
   * Add the Kubernetes bootstrap RBAC roles and bindings (cluster-admin, admin, edit, view,
   * system:*) that every cluster has but manifests do not list. Default: true.
   */
  defaultRoles?: boolean;
  /**
   * Scans the images the workloads run (`--images`): given every image reference, returns a
   * summary per reference for the image-vulnerabilities rule.
   */
  scanImages?: (refs: string[]) => Promise<Record<string, ImageScanSummary>>;
}

export interface ScanOutput {
  result: ScanResult;
  model: ClusterModel;
  resources: Resource[];
}

function inNamespaces(f: Finding, namespaces: readonly string[]): boolean {
  if (f.resource.kind === 'Namespace') return namespaces.includes(f.resource.name);
  if (CLUSTER_SCOPED_KINDS.has(f.resource.kind)) return false;
  return namespaces.includes(f.resource.namespace || 'default');
}

/** Every image reference the top-level workloads run, once each, sorted. */
export function workloadImages(model: ClusterModel): string[] {
  const refs = new Set<string>();
  for (const ref of containersOf(model)) if (typeof ref.container.image === 'string' && ref.container.image !== '') refs.add(ref.container.image);
  return [...refs].sort();
}

export async function scan(options: ScanOptions): Promise<ScanOutput> {
  const config = options.config ?? DEFAULT_CONFIG;
  const loadOptions: LoadOptions = {};
  if (options.limits) loadOptions.limits = options.limits;
  if (options.readStdin) loadOptions.readStdin = options.readStdin;
  const loaded = options.preloaded ?? (await loadPaths(options.paths, loadOptions));
  const model = buildModel(loaded.resources);
  const rules = selectRules(options.catalog ?? RULES, config, options.only, options.skip);
  const imageScans = options.scanImages ? await options.scanImages(workloadImages(model)) : {};
  const settings = { ...config.settings, rbacDefaults: options.defaultRoles === false ? [] : loadBootstrapRbac(), imageScans };
  // Whole-cluster engine analyses run on a second thread while the rest of the catalog runs here.
  const engines = [...new Set(rules.map((r) => r.meta.engine).filter((e): e is 'rbac' | 'netpol' => e !== undefined))];
  const objects = loaded.resources.map((r) => r.object);
  const pending = analyseEngines(objects, settings.rbacDefaults, engines);
  let findings = runRules(
    model,
    rules.filter((r) => r.meta.engine === undefined),
    { settings, sort: false },
  );
  primeEngineResults(model, settings, await pending);
  for (const f of runRules(model, rules.filter((r) => r.meta.engine !== undefined), { settings, sort: false })) findings.push(f);
  findings = withoutInheritedFindings(model, findings);
  if (options.namespaces && options.namespaces.length > 0) {
    const ns = options.namespaces;
    findings = findings.filter((f) => inNamespaces(f, ns));
  }
  if (options.excludeNamespaces && options.excludeNamespaces.length > 0) {
    const ns = options.excludeNamespaces;
    findings = findings.filter((f) => !inNamespaces(f, ns));
  }
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const applied = applyConfig(findings, config, today);
  const annotated = annotationExceptions(objects, new Set((options.catalog ?? RULES).map((r) => r.id)));
  const sorted = applyAnnotationExceptions(applied.findings, annotated.byResource).sort(compareFindings);
  const files = new Set(loaded.resources.map((r) => r.source.file));
  for (const p of loaded.problems) files.add(p.file);
  const result: ScanResult = {
    schemaVersion: '1',
    tool: { name: 'kubeward', version: VERSION },
    findings: sorted,
    errors: loaded.problems.filter((p) => p.level === 'error').map(toScanError),
    warnings: loaded.problems.filter((p) => p.level === 'warning').map(toScanError),
    summary: summarise(sorted, loaded.problems, loaded.resources.length, files.size),
    notices: [...applied.notices, ...annotated.notices],
  };
  return { result, model, resources: loaded.resources };
}
