/**
 * RBAC findings for the scan report, as plain records (the scan adapts them into its
 * findings). Grants that come only from the bootstrap defaults are not reported: every
 * cluster has them.
 *
 * - `rbac-dangerous-power`: a subject named in a binding holds a catalogued power (risks.ts);
 * - `rbac-anonymous-access`: a binding grants anything to `system:anonymous` / `system:unauthenticated`;
 * - `rbac-token-blast-radius`: a workload mounts a token that holds a dangerous power;
 * - `rbac-escalation-chain`: a workload's token reaches cluster-admin-equivalent power;
 * - `rbac-dangling-role-ref`: a binding names a role that does not exist.
 */
import { severityRank, type Severity } from '../../core/types.js';
import { analyseEscalation, formatChain, type EscalationStep, type WorkloadRef } from './blast-radius.js';
import type { RbacIndex } from './rbac-index.js';
import { describeGrant, subjectRisks, type Technique } from './risks.js';
import { formatBindingSubject, impersonatedSubject, serviceAccountSubject } from './subjects.js';
import type { BindingRef, BindingSubject, Subject } from './types.js';
import type { KubeObject } from '../../core/types.js';

export type RbacRuleId = 'rbac-dangerous-power' | 'rbac-anonymous-access' | 'rbac-token-blast-radius' | 'rbac-escalation-chain' | 'rbac-dangling-role-ref';

export interface RbacFinding {
  ruleId: RbacRuleId;
  severity: Severity;
  message: string;
  /** The subject the finding is about (subject findings). */
  subject?: BindingSubject;
  /** The object the finding is about: the workload, or the binding that grants. */
  resource?: { kind: string; name: string; namespace?: string };
  binding?: BindingRef;
  technique?: Technique;
  chain?: EscalationStep[];
}

function subjectOf(s: BindingSubject): Subject {
  if (s.kind === 'ServiceAccount') return serviceAccountSubject(s.namespace ?? '', s.name);
  if (s.kind === 'Group') return { user: '', groups: [s.name] };
  return impersonatedSubject(s.name);
}

function maxSeverity(list: Severity[]): Severity {
  return list.reduce<Severity>((m, s) => (severityRank(s) > severityRank(m) ? s : m), 'info');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const ANONYMOUS_SUBJECTS = new Set(['User\u0000system:anonymous', 'Group\u0000system:unauthenticated']);

/** Findings for every subject and workload, sorted. Pure. */
export function rbacFindings(index: RbacIndex, objects: readonly KubeObject[], options: { only?: readonly RbacRuleId[] } = {}): RbacFinding[] {
  const out: RbacFinding[] = [];
  const wanted = (id: RbacRuleId): boolean => !options.only || options.only.includes(id);
  for (const s of wanted('rbac-dangerous-power') ? index.allBindingSubjects() : []) {
    // A Group subject is evaluated on its own; a User or ServiceAccount with its implied groups.
    const subject = s.kind === 'Group' ? { user: '', groups: [s.name] } : subjectOf(s);
    const grants = subjectRisks(index, subject).filter((g) => !g.reason.binding.isDefault);
    // Holding * on * says it all: one finding rather than one per power.
    const admin = grants.find((g) => g.risk === 'cluster-admin' && g.scope === '*');
    for (const g of admin ? [admin] : grants) {
      const grantsVia = g.reason.subject.kind !== s.kind || g.reason.subject.name !== s.name;
      if (grantsVia && s.kind !== 'Group') continue; // reported on the group itself
      out.push({
        ruleId: 'rbac-dangerous-power',
        severity: g.severity,
        message: `${formatBindingSubject(s)} ${describeGrant(g)} (${g.technique.id} ${g.technique.name}) via ${g.reason.binding.kind} ${g.reason.binding.namespace ? `${g.reason.binding.namespace}/` : ''}${g.reason.binding.name} → ${g.reason.role.kind} ${g.reason.role.name}`,
        subject: s,
        binding: g.reason.binding,
        technique: g.technique,
      });
    }
  }
  const bindings = wanted('rbac-anonymous-access') ? [...index.clusterRoleBindings, ...[...index.roleBindings.values()].flat()] : [];
  for (const b of bindings) {
    if (b.ref.isDefault || !b.compiled) continue;
    for (const s of b.subjects) {
      if (!ANONYMOUS_SUBJECTS.has(`${s.kind}\u0000${s.name}`)) continue;
      out.push({
        ruleId: 'rbac-anonymous-access',
        severity: 'critical',
        message: `${formatBindingSubject(s)} (unauthenticated requests) is granted ${b.role.kind} ${b.role.name} by ${b.ref.kind} ${b.ref.namespace ? `${b.ref.namespace}/` : ''}${b.ref.name}`,
        subject: s,
        binding: b.ref,
        resource: { kind: b.ref.kind, name: b.ref.name, ...(b.ref.namespace ? { namespace: b.ref.namespace } : {}) },
      });
    }
  }
  const workloadFindings = wanted('rbac-token-blast-radius') || wanted('rbac-escalation-chain');
  for (const b of workloadFindings ? analyseEscalation(index, objects).blastRadius() : []) {
    if (!b.token.mounted || b.grants.length === 0) continue;
    const resource: WorkloadRef = b.workload;
    const severity = b.clusterAdminEquivalent ? 'critical' : maxSeverity(b.grants.map((g) => g.severity));
    if (wanted('rbac-token-blast-radius')) out.push({
      ruleId: 'rbac-token-blast-radius',
      severity,
      message: `${b.workload.kind} ${b.workload.namespace}/${b.workload.name} mounts the token of ServiceAccount ${b.serviceAccount.namespace}/${b.serviceAccount.name}, which ${b.summary.filter((x) => !x.startsWith('escalates')).join('; ')}`,
      resource,
    });
    if (b.chain.length > 1 && wanted('rbac-escalation-chain')) {
      out.push({
        ruleId: 'rbac-escalation-chain',
        severity: 'critical',
        message: `${b.workload.kind} ${b.workload.namespace}/${b.workload.name}: a stolen token escalates to cluster-admin: ${formatChain(b.chain)}`,
        resource,
        chain: b.chain,
      });
    }
  }
  for (const p of wanted('rbac-dangling-role-ref') ? index.problems : []) {
    if (p.code !== 'roleNotFound') continue;
    out.push({ ruleId: 'rbac-dangling-role-ref', severity: 'low', message: p.message, resource: p.object });
  }
  return out.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      cmp(a.ruleId, b.ruleId) ||
      cmp(a.resource?.namespace ?? a.subject?.namespace ?? '', b.resource?.namespace ?? b.subject?.namespace ?? '') ||
      cmp(a.resource?.name ?? a.subject?.name ?? '', b.resource?.name ?? b.subject?.name ?? '') ||
      cmp(a.message, b.message),
  );
}
