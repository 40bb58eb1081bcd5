/**
 * A container without an effective seccomp profile runs with every syscall available
 * (Kubernetes defaults to Unconfined). The profile is the container's
 * `securityContext.seccompProfile`, else the pod's, else the legacy annotations
 * (`container.seccomp.security.alpha.kubernetes.io/<name>`, then `seccomp.security.alpha.kubernetes.io/pod`).
 * RuntimeDefault and Localhost pass; none is medium; an explicit Unconfined is high.
 */
import { containerLabel, containersOf, securityFieldFix, type ContainerRef, WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { escapeSegment } from '../../../core/json-pointer.js';
import { defineRule } from '../../define.js';

type Profile = { kind: 'confined' | 'unconfined'; pointer: string } | undefined;

function fieldProfile(sc: Record<string, unknown> | undefined, pointer: string): Profile {
  const p = sc?.['seccompProfile'] as { type?: unknown } | undefined;
  if (!p || typeof p !== 'object' || typeof p.type !== 'string') return undefined;
  return { kind: p.type === 'Unconfined' ? 'unconfined' : 'confined', pointer: `${pointer}/seccompProfile/type` };
}

function annotationProfile(ref: ContainerRef, key: string): Profile {
  const v = ref.workload.template.metadata.annotations?.[key];
  if (typeof v !== 'string') return undefined;
  return { kind: v === 'unconfined' ? 'unconfined' : 'confined', pointer: `${ref.workload.template.metadataPointer}/annotations/${escapeSegment(key)}` };
}

export function effectiveSeccomp(ref: ContainerRef): Profile {
  const spec = ref.workload.template.spec;
  return (
    fieldProfile(ref.container.securityContext, `${ref.pointer}/securityContext`) ??
    fieldProfile(spec.securityContext, `${ref.workload.template.specPointer}/securityContext`) ??
    annotationProfile(ref, `container.seccomp.security.alpha.kubernetes.io/${ref.container.name}`) ??
    annotationProfile(ref, 'seccomp.security.alpha.kubernetes.io/pod')
  );
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
    fixable: true,
  },
  check(ctx) {
    for (const ref of containersOf(ctx.model)) {
      if (ref.workload.template.spec.os?.name === 'windows') continue;
      const p = effectiveSeccomp(ref);
      if (p?.kind === 'confined') continue;
      if (p?.kind === 'unconfined') {
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
