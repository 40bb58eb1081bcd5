/** Images not pinned by a content digest (`@sha256:` and 64 hex digits, or sha384/sha512). */
import { containerLabel, containersOf, isDigestPinned, parseImageRef, WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

export default defineRule({
  id: 'image-digest-pinning',
  meta: {
    title: 'Image not pinned by digest',
    category: 'image',
    severity: 'low',
    practice: 'image-scanning',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'Tags are mutable: whoever can push to the repository can change what `app:1.4.2` means, and nodes pull the new content on their next pull. Only a digest (`@sha256:…`) guarantees that the image that runs is the one that was built, scanned and signed.',
      remediation: 'Reference images by digest (`registry/app:1.4.2@sha256:…`); let CI or a tool such as Renovate update digests, and verify signatures at admission.',
    },
    references: [
      { framework: 'CIS', id: '5.5.1', title: 'Configure Image Provenance using ImagePolicyWebhook admission controller' },
      { framework: 'NSA-CISA', id: 'Pod security: building secure container images' },
      { framework: 'MITRE', id: 'T1525', title: 'Implant Internal Image' },
    ],
    messages: {
      notPinned: '{{container}} image "{{image}}" is not pinned by digest',
    },
  },
  check(ctx) {
    for (const ref of containersOf(ctx.model)) {
      const image = typeof ref.container.image === 'string' ? ref.container.image : '';
      if (image !== '' && isDigestPinned(parseImageRef(image))) continue;
      ctx.report({ messageId: 'notPinned', resource: ref.resource, pointer: image !== '' ? `${ref.pointer}/image` : ref.pointer, data: { container: containerLabel(ref), image } });
    }
  },
});
