/**
 * `allowPrivilegeEscalation` defaults to true: a setuid binary or file capability can
 * raise the process's privileges (no_new_privs is not set). A privileged container or
 * one that adds SYS_ADMIN always allows escalation, whatever the field says.
 */
import { isWindowsPod } from '../../../model/workloads.js';
import { capabilityEntries, containerLabel, containersOf, securityFieldFix, securityFieldPointer, WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

export default defineRule({
  id: 'allow-privilege-escalation',
  meta: {
    title: 'Privilege escalation allowed',
    category: 'workload',
    severity: 'medium',
    practice: 'container-escape',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'Unless `securityContext.allowPrivilegeEscalation` is explicitly false, the container process may gain more privileges than its parent through setuid/setgid binaries or file capabilities (the kernel\'s no_new_privs flag is not set). Privileged containers and containers that add CAP_SYS_ADMIN always allow escalation.',
      remediation: 'Set `securityContext.allowPrivilegeEscalation: false` on every container, and do not run privileged or with SYS_ADMIN.',
    },
    references: [
      { framework: 'PSS', id: 'restricted/allowPrivilegeEscalation', title: 'Privilege Escalation' },
      { framework: 'CIS', id: '5.2.6', title: 'Minimize the admission of containers with allowPrivilegeEscalation' },
      { framework: 'NSA-CISA', id: 'Pod security: non-root containers and rootless container engines' },
      { framework: 'MITRE', id: 'T1611', title: 'Escape to Host' },
    ],
    messages: {
      notDisabled: '{{container}} does not set allowPrivilegeEscalation: false',
      impliedByPrivileged: '{{container}} allows privilege escalation because it {{reason}}',
    },
    fixable: true,
  },
  check(ctx) {
    for (const ref of containersOf(ctx.model)) {
      if (isWindowsPod(ref.workload.template.spec)) continue;
      const sc = ref.container.securityContext;
      const privileged = sc?.['privileged'] === true;
      const sysAdmin = capabilityEntries(ref.container, 'add').find((c) => c.name === 'SYS_ADMIN' || c.name === 'ALL');
      if (privileged || sysAdmin) {
        ctx.report({
          messageId: 'impliedByPrivileged',
          resource: ref.resource,
          pointer: privileged ? `${ref.pointer}/securityContext/privileged` : `${ref.pointer}/securityContext/capabilities/add/${sysAdmin?.index ?? 0}`,
          data: { container: containerLabel(ref), reason: privileged ? 'runs privileged' : `adds capability ${sysAdmin?.name ?? ''}` },
        });
        continue;
      }
      if (sc?.['allowPrivilegeEscalation'] === false) continue;
      ctx.report({
        messageId: 'notDisabled',
        resource: ref.resource,
        pointer: securityFieldPointer(ref, 'allowPrivilegeEscalation'),
        data: { container: containerLabel(ref) },
        fix: securityFieldFix(ref, ['allowPrivilegeEscalation'], false),
      });
    }
  },
});
