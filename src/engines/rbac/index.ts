/** Public entry of the RBAC engine: re-exports only. */
export * from './types.js';
export { buildRbac, RbacIndex, compareSubjects, compareBindingRefs, type BuildOptions, type CompiledBinding } from './rbac-index.js';
export {
  verbMatches,
  apiGroupMatches,
  resourceMatches,
  resourceNameMatches,
  nonResourceURLMatches,
  resourceRuleAllows,
  nonResourceRuleAllows,
  normaliseRule,
  normaliseRules,
  formatRule,
} from './match.js';
export { aggregateClusterRoles, type AggregatableRole } from './aggregate.js';
export {
  serviceAccountSubject,
  serviceAccountUsername,
  serviceAccountGroups,
  anonymousSubject,
  impersonatedSubject,
  parseServiceAccountUsername,
  parseSubjectString,
  bindingSubjectApplies,
  formatBindingSubject,
} from './subjects.js';
export { sarToQuery, type SarCase } from './sar.js';
