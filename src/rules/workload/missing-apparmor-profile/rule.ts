/**
 * A container's AppArmor profile is its `securityContext.appArmorProfile`, else the pod's,
 * else the `container.apparmor.security.beta.kubernetes.io/<name>` annotation. None set is
 * low (the runtime may apply its default on AppArmor nodes, but nothing guarantees it);
 * an explicit Unconfined (`unconfined` annotation) is medium.
 */
import { isWindowsPod } from '../../../model/workloads.js';
import { containerLabel, containersOf, effectiveProfile, securityFieldFix, type ContainerRef, type ProfileSetting, WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

/** The effective AppArmor profile (see effectiveProfile), with the legacy per-container annotation. */
export function effectiveAppArmor(ref: ContainerRef): ProfileSetting | undefined {
  return effectiveProfile(ref, 'appArmorProfile', [`container.apparmor.security.beta.kubernetes.io/${ref.container.name}`]);
}

export default defineRule({
  id: 'missing-apparmor-profile',
  meta: {
    title: 'No AppArmor profile',
    category: 'workload',
    severity: 'low',
    practice: 'container-escape',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'AppArmor confines what files, mounts and capabilities a process may use even when it runs as root. Without a profile in the manifest the container gets whatever the node\'s runtime defaults to, which is nothing on nodes without AppArmor; an explicit Unconfined profile turns confinement off on purpose.',
      remediation: 'Set `securityContext.appArmorProfile.type: RuntimeDefault` (Kubernetes 1.30+) or the annotation `container.apparmor.security.beta.kubernetes.io/<container>: runtime/default`; never Unconfined.',
    },
    references: [
      { framework: 'PSS', id: 'baseline/appArmorProfile', title: 'AppArmor' },
      { framework: 'CIS', id: '5.7.3', title: 'Apply SecurityContext to your Pods and Containers' },
      { framework: 'NSA-CISA', id: 'Pod security: hardening container environments' },
      { framework: 'MITRE', id: 'T1611', title: 'Escape to Host' },
    ],
    messages: {
      missing: '{{container}} has no AppArmor profile',
      unconfined: '{{container}} runs with AppArmor profile Unconfined',
    },
    severities: { unconfined: ['medium'] },
    fixable: true,
  },
  check(ctx) {
    for (const ref of containersOf(ctx.model)) {
      if (isWindowsPod(ref.workload.template.spec)) continue;
      const p = effectiveAppArmor(ref);
      if (p && !p.unconfined) continue;
      if (p) {
        ctx.report({ messageId: 'unconfined', resource: ref.resource, pointer: p.pointer, data: { container: containerLabel(ref) }, severity: 'medium' });
        continue;
      }
      ctx.report({
        messageId: 'missing',
        resource: ref.resource,
        pointer: ref.pointer,
        data: { container: containerLabel(ref) },
        fix: securityFieldFix(ref, ['appArmorProfile'], { type: 'RuntimeDefault' }),
      });
    }
  },
});
