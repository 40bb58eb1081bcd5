/**
 * A container without an effective seccomp profile runs with every syscall available
 * (Kubernetes defaults to Unconfined). The profile is the container's
 * `securityContext.seccompProfile`, else the pod's, else the legacy annotations
 * (`container.seccomp.security.alpha.kubernetes.io/<name>`, then `seccomp.security.alpha.kubernetes.io/pod`).
 * RuntimeDefault and Localhost pass; none is medium; an explicit Unconfined is high.
 */
import { isWindowsPod } from '../../../model/workloads.js';
import { containerLabel, containersOf, effectiveProfile, securityFieldFix, type ContainerRef, type ProfileSetting, WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

/** The effective seccomp profile (see effectiveProfile), with the legacy annotations. */
export function effectiveSeccomp(ref: ContainerRef): ProfileSetting | undefined {
  return effectiveProfile(ref, 'seccompProfile', [`container.seccomp.security.alpha.kubernetes.io/${ref.container.name}`, 'seccomp.security.alpha.kubernetes.io/pod']);
}

export default defineRule({
  id: 'missing-seccomp-profile',
  meta: {
    title: 'No seccomp profile',
    category: 'workload',
    severity: 'medium',
    practice: 'container-escape',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'Kubernetes runs containers Unconfined by default: every system call is available, including the rarely used ones behind most kernel privilege-escalation exploits. The container runtime\'s RuntimeDefault profile blocks those at negligible cost. A missing profile is medium, an explicit Unconfined profile is high.',
      remediation: 'Set `securityContext.seccompProfile.type: RuntimeDefault` at pod level (or Localhost with a reviewed profile); remove Unconfined.',
    },
    references: [
      { framework: 'PSS', id: 'baseline/seccomp', title: 'Seccomp' },
      { framework: 'PSS', id: 'restricted/seccomp', title: 'Seccomp (restricted)' },
      { framework: 'CIS', id: '5.7.2', title: 'Ensure that the seccomp profile is set to docker/default in your Pod definitions' },
      { framework: 'NSA-CISA', id: 'Pod security: hardening container environments' },
      { framework: 'MITRE', id: 'T1611', title: 'Escape to Host' },
    ],
    messages: {
      missing: '{{container}} has no seccomp profile (runs Unconfined)',
      unconfined: '{{container}} runs with seccomp profile Unconfined',
    },
    severities: { unconfined: ['high'] },
    fixable: true,
  },
  check(ctx) {
    for (const ref of containersOf(ctx.model)) {
      if (isWindowsPod(ref.workload.template.spec)) continue;
      const p = effectiveSeccomp(ref);
      if (p && !p.unconfined) continue;
      if (p) {
        ctx.report({ messageId: 'unconfined', resource: ref.resource, pointer: p.pointer, data: { container: containerLabel(ref) }, severity: 'high' });
        continue;
      }
      ctx.report({
        messageId: 'missing',
        resource: ref.resource,
        pointer: ref.pointer,
        data: { container: containerLabel(ref) },
        fix: securityFieldFix(ref, ['seccompProfile'], { type: 'RuntimeDefault' }),
      });
    }
  },
});
