/**
 * Data types of the RBAC engine. Plain data: the engine takes Role / ClusterRole /
 * RoleBinding / ClusterRoleBinding objects and answers questions in these shapes.
 */

/** A PolicyRule, normalised: every list present (possibly empty). */
export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

/** Who is asking, as in a SubjectAccessReview spec (user plus the groups the authenticator gave it). */
export interface Subject {
  user: string;
  groups: string[];
}

/** A resource request. Empty strings mean "not set", as in a SubjectAccessReview. */
export interface ResourceAttributes {
  verb: string;
  apiGroup?: string;
  resource: string;
  subresource?: string;
  name?: string;
  namespace?: string;
}

/** A non-resource request (`/healthz`, `/metrics`, …). Always cluster-wide. */
export interface NonResourceAttributes {
  verb: string;
  path: string;
}

export type RequestAttributes = ResourceAttributes | NonResourceAttributes;

export function isNonResource(a: RequestAttributes): a is NonResourceAttributes {
  return 'path' in a && typeof a.path === 'string';
}

/** A subject as written in a binding (`subjects[]`). */
export interface BindingSubject {
  kind: string;
  name: string;
  /** For ServiceAccount subjects: the namespace (a RoleBinding's own namespace when the subject leaves it empty). */
  namespace?: string;
}

export interface BindingRef {
  kind: 'ClusterRoleBinding' | 'RoleBinding';
  name: string;
  namespace?: string;
  /** True for a bootstrap binding: from the defaults (`defaultRoles`), or labelled kubernetes.io/bootstrapping=rbac-defaults in the inputs. */
  isDefault?: true;
}

export interface RoleRef {
  kind: string;
  name: string;
  /** Set for a Role (the binding's namespace). */
  namespace?: string;
}

/** Why a request is allowed: this binding, via this subject entry, grants this role, whose rule matched. */
export interface Reason {
  binding: BindingRef;
  subject: BindingSubject;
  role: RoleRef;
  ruleIndex: number;
  rule: PolicyRule;
}

export interface Decision {
  allowed: boolean;
  reasons: Reason[];
}

/** One grant found by who-can: which subject, through which binding and role. */
export interface WhoCanEntry {
  subject: BindingSubject;
  binding: BindingRef;
  role: RoleRef;
  ruleIndex: number;
}

/** One effective rule of a subject (like `kubectl auth can-i --list`), with where it comes from. */
export interface EffectiveRule {
  rule: PolicyRule;
  binding: BindingRef;
  role: RoleRef;
  ruleIndex: number;
  /** Namespace where the rule applies, or undefined for cluster-wide (ClusterRoleBinding). */
  namespace?: string;
}

/** A problem found while indexing (missing role, unsupported subject kind, …). Never thrown. */
export interface RbacProblem {
  code: 'roleNotFound' | 'unsupportedRoleRefKind' | 'unsupportedSubjectKind' | 'serviceAccountWithoutNamespace' | 'invalidAggregationSelector';
  message: string;
  object: { kind: string; name: string; namespace?: string };
}
