/** Every rule of the catalog, sorted by id. The meta-test checks that each folder is listed here and vice versa. */
import type { Rule } from './define.js';
import allowPrivilegeEscalation from './workload/allow-privilege-escalation/rule.js';
import apiserverInsecureFlags from './control-plane/apiserver-insecure-flags/rule.js';
import automountServiceAccountToken from './workload/automount-service-account-token/rule.js';
import capabilitiesNotDropped from './workload/capabilities-not-dropped/rule.js';
import dangerousCapabilities from './workload/dangerous-capabilities/rule.js';
import dashboardClusterAdmin from './dashboard/dashboard-cluster-admin/rule.js';
import dashboardDeployed from './dashboard/dashboard-deployed/rule.js';
import dashboardExposed from './dashboard/dashboard-exposed/rule.js';
import dashboardInsecureFlags from './dashboard/dashboard-insecure-flags/rule.js';
import defaultServiceAccount from './workload/default-service-account/rule.js';
import hostNamespaces from './workload/host-namespaces/rule.js';
import hostPathVolume from './workload/host-path-volume/rule.js';
import hostPort from './workload/host-port/rule.js';
import imageDigestPinning from './image/image-digest-pinning/rule.js';
import imageLatestTag from './image/image-latest-tag/rule.js';
import imagePullPolicy from './image/image-pull-policy/rule.js';
import imageVulnerabilities from './image/image-vulnerabilities/rule.js';
import imageRegistryAllowlist from './image/image-registry-allowlist/rule.js';
import ingressExposure from './network/ingress-exposure/rule.js';
import missingApparmorProfile from './workload/missing-apparmor-profile/rule.js';
import missingResourceLimits from './workload/missing-resource-limits/rule.js';
import missingSeccompProfile from './workload/missing-seccomp-profile/rule.js';
import namespaceDefaultDeny from './network/namespace-default-deny/rule.js';
import networkReachableFromEverything from './network/network-reachable-from-everything/rule.js';
import podSecurityStandards from './pss/pod-security-standards/rule.js';
import privilegedContainer from './workload/privileged-container/rule.js';
import pssNamespaceUnenforced from './pss/pss-namespace-unenforced/rule.js';
import rbacAnonymousBinding from './rbac/rbac-anonymous-binding/rule.js';
import rbacBindEscalate from './rbac/rbac-bind-escalate/rule.js';
import rbacClusterAdminBinding from './rbac/rbac-cluster-admin-binding/rule.js';
import rbacDanglingRoleRef from './rbac/rbac-dangling-role-ref/rule.js';
import rbacEscalationChain from './rbac/rbac-escalation-chain/rule.js';
import rbacImpersonate from './rbac/rbac-impersonate/rule.js';
import rbacPodsExec from './rbac/rbac-pods-exec/rule.js';
import rbacSecretsRead from './rbac/rbac-secrets-read/rule.js';
import rbacTokenBlastRadius from './rbac/rbac-token-blast-radius/rule.js';
import rbacWildcard from './rbac/rbac-wildcard/rule.js';
import runAsRoot from './workload/run-as-root/rule.js';
import runtimeClassUndefined from './workload/runtime-class-undefined/rule.js';
import sandboxRuntimeClass from './workload/sandbox-runtime-class/rule.js';
import secretsInEnv from './workload/secrets-in-env/rule.js';
import serviceExposure from './network/service-exposure/rule.js';
import serviceExternalIps from './network/service-external-ips/rule.js';
import workloadInDefaultNamespace from './namespace/workload-in-default-namespace/rule.js';
import workloadInSystemNamespace from './namespace/workload-in-system-namespace/rule.js';
import writableRootFilesystem from './workload/writable-root-filesystem/rule.js';

export const RULES: readonly Rule[] = [
  allowPrivilegeEscalation,
  apiserverInsecureFlags,
  automountServiceAccountToken,
  capabilitiesNotDropped,
  dangerousCapabilities,
  dashboardClusterAdmin,
  dashboardDeployed,
  dashboardExposed,
  dashboardInsecureFlags,
  defaultServiceAccount,
  hostNamespaces,
  hostPathVolume,
  hostPort,
  imageDigestPinning,
  imageLatestTag,
  imagePullPolicy,
  imageRegistryAllowlist,
  imageVulnerabilities,
  ingressExposure,
  missingApparmorProfile,
  missingResourceLimits,
  missingSeccompProfile,
  namespaceDefaultDeny,
  networkReachableFromEverything,
  podSecurityStandards,
  privilegedContainer,
  pssNamespaceUnenforced,
  rbacAnonymousBinding,
  rbacBindEscalate,
  rbacClusterAdminBinding,
  rbacDanglingRoleRef,
  rbacEscalationChain,
  rbacImpersonate,
  rbacPodsExec,
  rbacSecretsRead,
  rbacTokenBlastRadius,
  rbacWildcard,
  runAsRoot,
  runtimeClassUndefined,
  sandboxRuntimeClass,
  secretsInEnv,
  serviceExposure,
  serviceExternalIps,
  workloadInDefaultNamespace,
  workloadInSystemNamespace,
  writableRootFilesystem,
];
