/**
 * Images from outside `settings.registryAllowlist` (only when the list is non-empty).
 * References are normalised as container runtimes do: `nginx` is
 * `docker.io/library/nginx`, `index.docker.io` is `docker.io`. An entry allows its exact
 * repository and everything below it: `ghcr.io/acme` allows `ghcr.io/acme/app` but not
 * `ghcr.io/acmecorp/app`.
 */
import { containerLabel, containersOf, parseImageRef, registryAllows, WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

export default defineRule({
  id: 'image-registry-allowlist',
  meta: {
    title: 'Image from a registry outside the allowlist',
    category: 'image',
    severity: 'high',
    practice: 'image-scanning',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'Images pulled from arbitrary registries bypass the organisation\'s scanning, signing and mirroring, and are one typo-squatted name away from a malicious image. When `registryAllowlist` is configured, every container image must come from one of its registries or repository prefixes.',
      remediation: 'Mirror the image into an allowed registry (after scanning it) and reference the mirror; or, if the source is trusted, add it to `registryAllowlist` in .kubeward.yaml.',
    },
    references: [
      { framework: 'CIS', id: '5.5.1', title: 'Configure Image Provenance using ImagePolicyWebhook admission controller' },
      { framework: 'NSA-CISA', id: 'Pod security: building secure container images' },
      { framework: 'MITRE', id: 'T1204.003', title: 'User Execution: Malicious Image' },
    ],
    messages: {
      notAllowed: '{{container}} image "{{image}}" ({{repository}}) is not from an allowed registry ({{allowlist}})',
    },
  },
  check(ctx) {
    const allow = ctx.settings.registryAllowlist;
    if (allow.length === 0) return;
    for (const ref of containersOf(ctx.model)) {
      const image = typeof ref.container.image === 'string' ? ref.container.image : '';
      const parsed = parseImageRef(image);
      if (image !== '' && allow.some((e) => registryAllows(e, parsed))) continue;
      ctx.report({
        messageId: 'notAllowed',
        resource: ref.resource,
        pointer: `${ref.pointer}/image`,
        data: { container: containerLabel(ref), image, repository: parsed.repository, allowlist: allow.join(', ') },
      });
    }
  },
});
