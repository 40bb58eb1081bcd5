/**
 * Roles that let a subject act as another identity: the `impersonate` verb (or `*`) on users,
 * groups, service accounts, UIDs or user extras; minting service-account tokens
 * (`serviceaccounts/token`); approving certificate signing requests (a client certificate for
 * any name and group, system:masters included, where a signer issues it).
 */
import { effectiveRoleRules, grantsInNamespaceOnly, oncePerDerived, ruleGrants } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

const TARGETS: Array<[string, string]> = [
  ['', 'users'],
  ['', 'groups'],
  ['', 'serviceaccounts'],
  ['authentication.k8s.io', 'uids'],
  ['authentication.k8s.io', 'userextras/scopes'],
];

export default defineRule({
  id: 'rbac-impersonate',
  meta: {
    title: 'Impersonation or identity minting allowed',
    category: 'rbac',
    severity: 'high',
    practice: 'rbac',
    targets: 'Role, ClusterRole (with the rules it aggregates), RoleBinding and ClusterRoleBinding to a built-in ClusterRole',
    docs: {
      description:
        'The impersonate verb lets a subject act as another user, group or service account (`kubectl --as`). Impersonating a privileged identity, or the group system:masters, grants its permissions outright; audit logs show the impersonated user. Creating `serviceaccounts/token` mints a token for any service account of the namespace, and approving CertificateSigningRequests lets a subject have client certificates issued for any identity: both are the same power by other means.',
      remediation: 'Remove impersonate from roles; where a proxy genuinely needs it, restrict it with resourceNames to the specific identities and bind it only to that proxy.',
    },
    references: [
      { framework: 'CIS', id: '5.1.8', title: 'Limit use of the Bind, Impersonate and Escalate permissions in the Kubernetes cluster' },
      { framework: 'NSA-CISA', id: 'Authentication and authorization: role-based access control' },
      { framework: 'MITRE', id: 'T1078', title: 'Valid Accounts' },
    ],
    messages: {
      impersonate: '{{role}} rule {{rule}} can impersonate {{targets}}',
      tokenCreate: '{{role}} rule {{rule}} can mint tokens for service accounts (serviceaccounts/token)',
      csrApprove: '{{role}} rule {{rule}} can approve certificate signing requests (client certificates for any identity)',
    },
    severities: { tokenCreate: ['medium', 'high'] },
  },
  check(ctx) {
    const once = oncePerDerived();
    const refs = effectiveRoleRules(ctx.model, ctx.settings.rbacDefaults);
    // Approving a CSR also takes `approve` on its signer (the CertificateApproval admission
    // plugin): the role (with what it aggregates) must hold both.
    const approvesSigners = new Set(refs.filter((ref) => ruleGrants(ref.rule, ['approve'], 'certificates.k8s.io', 'signers')).map((ref) => ref.resource));
    for (const ref of refs) {
      const { resource: r, role, rule, index, pointer } = ref;
      // The API server authorises impersonating users, groups, UIDs and extras with no
      // namespace: a Role (or a RoleBinding) can only grant impersonating service accounts.
      const namespaced = grantsInNamespaceOnly(ref);
      const targets = TARGETS.filter(([g, res]) => (!namespaced || res === 'serviceaccounts') && ruleGrants(rule, ['impersonate'], g, res)).map(([, res]) => res.split('/')[0]);
      // Limited to named accounts, it mints only theirs: medium.
      if (ruleGrants(rule, ['create'], '', 'serviceaccounts/token') && once(ref, 'tokenCreate')) {
        ctx.report({ messageId: 'tokenCreate', resource: r, pointer, data: { role, rule: index }, ...(rule.resourceNames.length > 0 ? { severity: 'medium' as const } : {}) });
      }
      if (!namespaced && approvesSigners.has(r) && ruleGrants(rule, ['update', 'patch'], 'certificates.k8s.io', 'certificatesigningrequests/approval') && once(ref, 'csrApprove')) {
        ctx.report({ messageId: 'csrApprove', resource: r, pointer, data: { role, rule: index } });
      }
      if (targets.length === 0 || !once(ref, 'impersonate')) continue;
      ctx.report({ messageId: 'impersonate', resource: r, pointer, data: { role, rule: index, targets: [...new Set(targets)].join(', ') } });
    }
  },
});
