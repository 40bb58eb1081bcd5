/** Settings rules read (from `.kubeward.yaml`); defaults serve a typical cluster. */
import type { KubeObject, Severity } from '../core/types.js';

export interface RuleSettings {
  /** Registries images may come from (`registry.example.com`, `ghcr.io/org`); empty = any. */
  registryAllowlist: string[];
  /** RuntimeClass handlers that count as a sandbox. */
  sandboxHandlers: string[];
  /** Namespaces whose workloads must all run sandboxed (besides internet-exposed ones). */
  sandboxNamespaces: string[];
  /** Namespaces that count as system namespaces (workloads there are flagged). */
  systemNamespaces: string[];
  /**
   * RBAC objects every cluster has (the bootstrap roles and bindings) that the manifests do not
   * list; the RBAC engine adds them to what it reads. The loader supplies them; rules never read files.
   */
  rbacDefaults: readonly KubeObject[];
  /**
   * Results of scanning the workloads' images (`kubeward scan --images`), by image reference as
   * written in the manifests. The scan layer fills it; without it, image-vulnerabilities reports nothing.
   */
  imageScans: Readonly<Record<string, ImageScanSummary>>;
}

/** What the catalog needs to know of one scanned image. */
export interface ImageScanSummary {
  digest?: string;
  /** Known vulnerabilities by severity (`unknown`: the advisory states none). */
  counts: Partial<Record<Severity | 'unknown', number>>;
  /** The worst few, with the version that fixes each. */
  top: Array<{ id: string; severity: Severity | 'unknown'; package: string; installed: string; fixed?: string }>;
  /** Set when the image could not be scanned. */
  error?: string;
}

export const DEFAULT_RULE_SETTINGS: RuleSettings = {
  registryAllowlist: [],
  sandboxHandlers: ['runsc', 'gvisor', 'kata', 'kata-qemu', 'kata-clh', 'kata-fc', 'kata-runtime'],
  sandboxNamespaces: [],
  systemNamespaces: ['kube-system', 'kube-public', 'kube-node-lease'],
  rbacDefaults: [],
  imageScans: {},
};
