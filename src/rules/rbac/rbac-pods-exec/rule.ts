/**
 * Roles that can run commands in pods (`pods/exec`, `pods/attach`, adding an ephemeral
 * container) or create pods, directly or through a workload controller. exec and attach are
 * authorised as `create` (SPDY) and, until Kubernetes 1.31, `get` (WebSocket upgrades), so
 * both count. Creating pods is as strong: a new pod can run as any service account of the
 * namespace and mount its secrets; a Deployment, Job or DaemonSet makes its controller create
 * them, and patching or updating one rewrites the pods it runs.
 */
import { effectiveRoleRules, grantsInNamespaceOnly, oncePerDerived, ruleGrants } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';
import type { Resource } from '../../../core/types.js';
import { RISK_BY_ID } from '../../../engines/rbac/risks.js';

/** Resources whose controllers create pods from a template, with their name in messages (`deployments.apps`). */
const POD_CONTROLLERS = (
  [
    ['apps', 'deployments'],
    ['apps', 'replicasets'],
    ['apps', 'statefulsets'],
    ['apps', 'daemonsets'],
    ['batch', 'jobs'],
    ['batch', 'cronjobs'],
    ['', 'replicationcontrollers'],
  ] as const
).map(([group, resource]) => ({ group, resource, name: group ? `${resource}.${group}` : resource }));

/**
 * Controllers whose pod template can be rewritten in place, as the RBAC engine's
 * workload-create power lists them (a Job's template is immutable).
 */
const REWRITABLE = new Set((RISK_BY_ID.get('workload-create')?.anyOf ?? []).filter((q) => q.verb === 'patch').map((q) => `${q.apiGroup ?? ''}/${q.resource}`));
const REWRITABLE_CONTROLLERS = POD_CONTROLLERS.filter((c) => REWRITABLE.has(`${c.group}/${c.resource}`));

export default defineRule({
  id: 'rbac-pods-exec',
  meta: {
    title: 'Exec into or create pods',
    category: 'rbac',
    severity: 'high',
    practice: 'rbac',
    targets: 'Role, ClusterRole (with the rules it aggregates), RoleBinding and ClusterRoleBinding to a built-in ClusterRole',
    docs: {
      description:
        '`pods/exec` and `pods/attach` give a shell in running containers: their service-account tokens, mounted secrets and network position. Creating pods is equivalent: a pod can run as any service account in the namespace, mount any Secret or ConfigMap, and (without admission policy) host paths. Both are lateral-movement primitives.',
      remediation: 'Remove exec/attach from application roles; grant it only to on-call humans through a separate, audited role. Give pod creation only to controllers and CI identities, and enforce Pod Security admission where it is granted.',
    },
    references: [
      { framework: 'CIS', id: '5.1.4', title: 'Minimize access to create pods' },
      { framework: 'NSA-CISA', id: 'Authentication and authorization: role-based access control' },
      { framework: 'MITRE', id: 'T1609', title: 'Container Administration Command' },
      { framework: 'MITRE', id: 'T1610', title: 'Deploy Container' },
    ],
    messages: {
      exec: '{{role}} rule {{rule}} can exec into pods (pods/exec)',
      attach: '{{role}} rule {{rule}} can attach to pods (pods/attach)',
      createPods: '{{role}} rule {{rule}} can create pods',
      ephemeral: '{{role}} rule {{rule}} can add ephemeral containers to running pods (pods/ephemeralcontainers)',
      nodesProxy: '{{role}} rule {{rule}} can reach the kubelet API of nodes (nodes/proxy): exec into any pod on them',
      createWorkloads: '{{role}} rule {{rule}} can create pods through workload controllers ({{kinds}})',
      changeWorkloads: '{{role}} rule {{rule}} can rewrite the pod templates of workload controllers ({{kinds}}): their pods then run what it writes',
    },
    severities: { nodesProxy: ['critical'] },
  },
  check(ctx) {
    const once = oncePerDerived();
    const names = (set: ReadonlySet<string>) => POD_CONTROLLERS.filter((c) => set.has(c.name)).map((c) => c.name).join(', ');
    const report = (r: Resource, pointer: string, data: { role: string; rule: number }, create: ReadonlySet<string>, change: ReadonlySet<string>): void => {
      if (create.size > 0) ctx.report({ messageId: 'createWorkloads', resource: r, pointer, data: { ...data, kinds: names(create) } });
      // Patching what it can create anyway adds nothing to say.
      const only = new Set([...change].filter((k) => !create.has(k)));
      if (only.size > 0) ctx.report({ messageId: 'changeWorkloads', resource: r, pointer, data: { ...data, kinds: names(only) } });
    };
    const workloads = new Map<Resource, { pointer: string; data: { role: string; rule: number }; create: Set<string>; change: Set<string> }>();
    for (const ref of effectiveRoleRules(ctx.model, ctx.settings.rbacDefaults)) {
      const { resource: r, role, rule, index, pointer } = ref;
      const data = { role, rule: index };
      if (ruleGrants(rule, ['create', 'get'], '', 'pods/exec') && once(ref, 'exec')) ctx.report({ messageId: 'exec', resource: r, pointer, data });
      if (ruleGrants(rule, ['create', 'get'], '', 'pods/attach') && once(ref, 'attach')) ctx.report({ messageId: 'attach', resource: r, pointer, data });
      if (ruleGrants(rule, ['create'], '', 'pods') && once(ref, 'createPods')) ctx.report({ messageId: 'createPods', resource: r, pointer, data });
      // nodes are cluster-scoped: only a ClusterRole can grant nodes/proxy.
      if (!grantsInNamespaceOnly(ref) && ruleGrants(rule, ['get', 'create'], '', 'nodes/proxy') && once(ref, 'nodesProxy')) {
        ctx.report({ messageId: 'nodesProxy', resource: r, pointer, data, severity: 'critical' });
      }
      if (ruleGrants(rule, ['patch', 'update'], '', 'pods/ephemeralcontainers') && once(ref, 'ephemeral')) ctx.report({ messageId: 'ephemeral', resource: r, pointer, data });
      const creates = POD_CONTROLLERS.filter((c) => ruleGrants(rule, ['create'], c.group, c.resource));
      const changes = REWRITABLE_CONTROLLERS.filter((c) => ruleGrants(rule, ['patch', 'update'], c.group, c.resource));
      if (creates.length === 0 && changes.length === 0) continue;
      const create = new Set(creates.map((c) => c.name));
      const change = new Set(changes.map((c) => c.name));
      if (!ref.derived) {
        report(r, pointer, data, create, change);
        continue;
      }
      // A built-in or aggregated role spreads these over several rules: one finding with them all.
      const seen = workloads.get(r);
      if (seen) {
        for (const k of create) seen.create.add(k);
        for (const k of change) seen.change.add(k);
      } else workloads.set(r, { pointer, data, create, change });
    }
    for (const [r, w] of workloads) report(r, w.pointer, w.data, w.create, w.change);
  },
});
