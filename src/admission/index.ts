/** The admission webhook's public surface (re-exports only). */
export { ADMISSION_API_VERSIONS, buildReviewResponse, encodePatch, forbidden, parseAdmissionReview, requestFor } from './review.js';
export type { AdmissionRequest, AdmissionResponse, AdmissionReviewRequest, AdmissionReviewResponse, ParseResult, Status, Verdict } from './review.js';
export { mutate, mutationEnabled, namespaceLevels, PSS_ENGINE, validate } from './decide.js';
export type { DecideDeps, LevelVersion, NamespaceLevels, PssEvaluator, PssFailure } from './decide.js';
export { ADMISSION_RULE_IDS, compilePolicy, defaultPolicy, loadPolicyFile, parsePolicy, PolicyFileWatcher, POLICY_SCHEMA } from './policy.js';
export type { AdmissionPolicy, AdmissionRuleId, CompiledPolicy, Level, Mode, ReloadEvent, RuleMode } from './policy.js';
export type { AdmissionCheck, CheckContext, Violation } from './checks.js';
export { mutationPatch, USES_API_ANNOTATION, usesKubernetesApi } from './mutate.js';
export { applyJsonPatch, escapeSegment, JsonPatchError, parsePointer, PatchBuilder, toPointer } from './json-patch.js';
export { inCluster, kubeNamespaceWatch, StaticNamespaceSource, WatchedNamespaceSource } from './namespace-watch.js';
export type { NamespaceEvent, NamespaceSource, NamespaceWatch } from './namespace-watch.js';
export { AdmissionServer, createAdmissionServer, createMetrics, DECISION_BUCKETS, MAX_BODY_BYTES } from './server.js';
export type { AdmissionMetrics, AdmissionServerOptions, PolicyProvider } from './server.js';
export { generateCertificates, serviceDnsNames, writeCertificates } from './certs.js';
export type { CertificateBundle, CertificateOptions } from './certs.js';
export { DEFAULT_POLICY_TEXT, renderManifests } from './manifests.js';
export type { ManifestOptions } from './manifests.js';
