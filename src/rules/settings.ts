/** Settings rules read (from `.kubeward.yaml`); defaults serve a typical cluster. */
import type { KubeObject } from '../core/types.js';

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
}

export const DEFAULT_RULE_SETTINGS: RuleSettings = {
  registryAllowlist: [],
  sandboxHandlers: ['runsc', 'gvisor', 'kata', 'kata-qemu', 'kata-clh', 'kata-fc', 'kata-runtime'],
  sandboxNamespaces: [],
  systemNamespaces: ['kube-system', 'kube-public', 'kube-node-lease'],
  rbacDefaults: [],
};
