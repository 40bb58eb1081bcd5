/** Shared data types. Plain data only: no I/O, no classes with behaviour beyond errors. */

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function isSeverity(s: unknown): s is Severity {
  return typeof s === 'string' && (SEVERITIES as readonly string[]).includes(s);
}

/** A position in a source file: 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/** Where a Kubernetes object came from. */
export interface SourceRef extends Position {
  /** Path as given by the user, or `<stdin>`, or `cluster:<context>`. */
  file: string;
  /** Index of the YAML document in the file (0-based); for List items, the item index is in `itemIndex`. */
  docIndex: number;
  itemIndex?: number;
  /** For Helm-rendered YAML: the chart template the document was rendered from (its `# Source:` comment). */
  template?: string;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  ownerReferences?: Array<{ apiVersion?: string; kind?: string; name?: string; uid?: string; controller?: boolean }>;
  [key: string]: unknown;
}

/** Any Kubernetes object, as parsed from JSON or YAML. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** Identity of an object as reports show it. */
export interface ResourceId {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * A loaded object with its source. `locate` maps a JSON pointer inside the object
 * (e.g. `/spec/containers/0/securityContext/privileged`) to a file position; it is
 * computed lazily because most objects never need one.
 */
export interface Resource {
  object: KubeObject;
  source: SourceRef;
  locate: (pointer: string) => Position;
}

export function resourceId(o: KubeObject): ResourceId {
  const id: ResourceId = { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name ?? o.metadata.generateName ?? '' };
  if (o.metadata.namespace !== undefined) id.namespace = o.metadata.namespace;
  return id;
}

/** `Kind namespace/name` (or `Kind name` for cluster-scoped objects), as reports name a resource. */
export function resourceLabel(id: ResourceId): string {
  return `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}`;
}

/** A problem found while loading input: malformed YAML, a non-Kubernetes document, a limit hit. */
export interface LoadProblem {
  file: string;
  line: number;
  column: number;
  message: string;
  /** `error` problems make the run exit 2; `warning` problems are reported only. */
  level: 'error' | 'warning';
  code: string;
}
