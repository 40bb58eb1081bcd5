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
export { sarCaseOf, sarToQuery, type SarCase } from './sar.js';
export { RISKS, RISK_BY_ID, subjectRisks, describeGrant, type RiskId, type RiskDefinition, type RiskGrant, type Technique } from './risks.js';
export {
  analyseEscalation,
  tokenBlastRadius,
  tokenMount,
  formatChain,
  displayIdentity,
  EscalationAnalysis,
  CLUSTER_ADMIN,
  type WorkloadBlastRadius,
  type EscalationStep,
  type TokenMount,
  type WorkloadRef,
} from './blast-radius.js';
export { rbacFindings, type RbacFinding, type RbacRuleId } from './findings.js';
export { parseResourceArg, type ParsedResourceArg } from './resource-arg.js';
