/**
 * A container may run as root unless `runAsNonRoot: true` or a non-zero `runAsUser` is
 * in effect (container value, else pod value). An explicit `runAsUser: 0` is worse (high):
 * it is root by design. The image's USER is not visible in a manifest, so an unset user
 * counts as possibly root, as the kubelet would allow it.
 */
import { isWindowsPod } from '../../../model/workloads.js';
import { containerLabel, containersOf, effectiveSecurityField, securityFieldFix, securityFieldPointer, WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

export default defineRule({
  id: 'run-as-root',
  meta: {
    title: 'Container may run as root',
    category: 'workload',
    severity: 'medium',
    practice: 'container-escape',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'A process running as UID 0 in a container is root on the node\'s kernel: any escape (a kernel bug, a writable host mount, a runtime vulnerability) lands as root. Kubernetes only prevents it when `runAsNonRoot: true` is set or a non-zero `runAsUser` is given, at container or pod level. `runAsUser: 0` is reported with high severity.',
      remediation: 'Set `securityContext.runAsNonRoot: true` and a non-zero `runAsUser` (pod level covers every container); build images with a non-root USER.',
    },
    references: [
      { framework: 'PSS', id: 'restricted/runAsNonRoot', title: 'Running as Non-root' },
      { framework: 'PSS', id: 'restricted/runAsUser', title: 'Running as Non-root user' },
      { framework: 'CIS', id: '5.2.7', title: 'Minimize the admission of root containers' },
      { framework: 'NSA-CISA', id: 'Pod security: non-root containers and rootless container engines' },
      { framework: 'MITRE', id: 'T1611', title: 'Escape to Host' },
    ],
    messages: {
      mayRunAsRoot: '{{container}} may run as root (no runAsNonRoot: true and no non-zero runAsUser)',
      runsAsUid0: '{{container}} runs as UID 0 (runAsUser: 0)',
    },
    severities: { runsAsUid0: ['high'] },
    fixable: true,
  },
  check(ctx) {
    for (const ref of containersOf(ctx.model)) {
      const w = ref.workload;
      if (isWindowsPod(w.template.spec)) continue;
      const user = effectiveSecurityField(w, ref.container, 'runAsUser');
      if (user === 0) {
        const own = ref.container.securityContext?.['runAsUser'] === 0;
        ctx.report({
          messageId: 'runsAsUid0',
          resource: ref.resource,
          pointer: own ? `${ref.pointer}/securityContext/runAsUser` : `${w.template.specPointer}/securityContext/runAsUser`,
          data: { container: containerLabel(ref) },
          severity: 'high',
        });
        continue;
      }
      if (typeof user === 'number' && user > 0) continue;
      if (effectiveSecurityField(w, ref.container, 'runAsNonRoot') === true) continue;
      ctx.report({
        messageId: 'mayRunAsRoot',
        resource: ref.resource,
        pointer: securityFieldPointer(ref, 'runAsNonRoot'),
        data: { container: containerLabel(ref) },
        fix: securityFieldFix(ref, ['runAsNonRoot'], true),
      });
    }
  },
});
