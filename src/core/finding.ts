/** A finding: what a rule reports, in the shape every report renders. */
import type { Position, ResourceId, Severity } from './types.js';

/** The seed practices kubeward checks; each rule serves one. */
export const PRACTICES = {
  'service-account-tokens': 'Service-account tokens and RBAC: a stolen token must not open the API server',
  rbac: 'RBAC: least privilege for service accounts and users',
  'api-server-firewall': 'API-server firewall and restricted kubectl access',
  'network-policies': 'Ingress and egress network policies: only the flows the application needs',
  admission: 'Admission: the API server rejects unsecured pods',
  'container-escape': 'Container escape: no privileged or host access',
  'sandboxed-pods': 'Sandboxed pods for exposed or untrusted workloads',
  'image-scanning': 'Images: known, pinned, scanned',
  dashboard: 'Kubernetes Dashboard: disabled, or never exposed or privileged',
  'resource-hygiene': 'Workload hygiene: limits, secrets handling, namespaces',
} as const;
export type Practice = keyof typeof PRACTICES;

/** One JSON Patch (RFC 6902) operation. Fixes are described, never applied by a rule. */
export type JsonPatchOp =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

export interface FindingLocation extends Position {
  file: string;
  /** For Helm-rendered input: the chart template the object came from (`helm template`'s `# Source:` comment). */
  template?: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  practice: Practice;
  title: string;
  messageId: string;
  message: string;
  resource: ResourceId;
  /** JSON pointer inside the object that the finding is about. */
  pointer: string;
  location: FindingLocation;
  fix?: JsonPatchOp[];
  /**
   * Set when an exception matched — one in the configuration, or a `kubeward.dev/ignore`
   * annotation on the object (`source: "annotation"`): the finding is kept for the record
   * but does not count.
   */
  suppressed?: { justification: string; expires?: string; source?: 'annotation' };
}

/** Sort order of findings everywhere: file, line, column, rule, resource, message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.location.file, b.location.file) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.resource.kind, b.resource.kind) ||
    cmp(a.resource.namespace ?? '', b.resource.namespace ?? '') ||
    cmp(a.resource.name, b.resource.name) ||
    cmp(a.pointer, b.pointer) ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
