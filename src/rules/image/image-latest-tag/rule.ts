/**
 * Images referenced by `:latest` or by no tag (which means latest), unless pinned by digest:
 * what runs changes with every push, differs between nodes, and cannot be traced to a
 * scanned build.
 */
import { containerLabel, containersOf, isDigestPinned, parseImageRef, WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

export default defineRule({
  id: 'image-latest-tag',
  meta: {
    title: 'Image uses the latest tag',
    category: 'image',
    severity: 'medium',
    practice: 'image-scanning',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'An image referenced as `:latest`, or without a tag (Kubernetes then pulls `latest`), is whatever was pushed last: nodes can run different builds, rollbacks do not roll back, and a scanned version cannot be tied to what runs. A poisoned push reaches the cluster on the next pull. Images pinned by digest are exempt.',
      remediation: 'Reference an immutable version tag, or better a digest (`image@sha256:…`), set by your CI after scanning.',
    },
    references: [
      { framework: 'CIS', id: '5.5.1', title: 'Configure Image Provenance using ImagePolicyWebhook admission controller' },
      { framework: 'NSA-CISA', id: 'Pod security: building secure container images' },
      { framework: 'MITRE', id: 'T1204.003', title: 'User Execution: Malicious Image' },
    ],
    messages: {
      latestTag: '{{container}} uses image "{{image}}" with the mutable tag latest',
      noTag: '{{container}} uses image "{{image}}" without a tag (latest)',
    },
  },
  check(ctx) {
    for (const ref of containersOf(ctx.model)) {
      const image = ref.container.image;
      if (typeof image !== 'string' || image.trim() === '') continue;
      const parsed = parseImageRef(image);
      if (isDigestPinned(parsed)) continue;
      if (parsed.tag !== undefined && parsed.tag !== 'latest') continue;
      ctx.report({
        messageId: parsed.tag === undefined ? 'noTag' : 'latestTag',
        resource: ref.resource,
        pointer: `${ref.pointer}/image`,
        data: { container: containerLabel(ref), image },
      });
    }
  },
});
