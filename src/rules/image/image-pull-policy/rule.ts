/**
 * `imagePullPolicy` inconsistent with the tag: a mutable `latest` (or missing) tag with
 * IfNotPresent or Never means each node keeps running whatever build it cached first, so
 * pods of one workload differ and a fixed image never arrives. Left unset, Kubernetes
 * picks Always for those, which is fine. A digest-pinned image is immutable, so any
 * policy is consistent with it; a fixed version tag with IfNotPresent is the normal case
 * (mutability of version tags is image-digest-pinning's concern).
 */
import { containerLabel, containersOf, isDigestPinned, parseImageRef, WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

export default defineRule({
  id: 'image-pull-policy',
  meta: {
    title: 'Pull policy inconsistent with a mutable tag',
    category: 'image',
    severity: 'low',
    practice: 'image-scanning',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'With `imagePullPolicy: IfNotPresent` or `Never`, a node reuses the image it has cached. For a mutable `latest` (or missing) tag this means different nodes run different builds, a patched image is never picked up, and an image cached by another tenant\'s pod may be used without checking pull credentials. Digest-pinned images are exempt.',
      remediation: 'Pin the image by digest (then IfNotPresent is safe), or remove `imagePullPolicy` / set it to Always for mutable tags.',
    },
    references: [
      { framework: 'NSA-CISA', id: 'Pod security: building secure container images' },
      { framework: 'MITRE', id: 'T1525', title: 'Implant Internal Image' },
      { framework: 'URL', id: 'https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy' },
    ],
    messages: {
      cachedMutableTag: '{{container}} pulls the mutable image "{{image}}" with imagePullPolicy {{policy}}',
    },
    fixable: true,
  },
  check(ctx) {
    for (const ref of containersOf(ctx.model)) {
      const image = ref.container.image;
      const policy = ref.container.imagePullPolicy;
      if (typeof image !== 'string' || (policy !== 'IfNotPresent' && policy !== 'Never')) continue;
      const parsed = parseImageRef(image);
      if (isDigestPinned(parsed) || (parsed.tag !== undefined && parsed.tag !== 'latest')) continue;
      const pointer = `${ref.pointer}/imagePullPolicy`;
      ctx.report({
        messageId: 'cachedMutableTag',
        resource: ref.resource,
        pointer,
        data: { container: containerLabel(ref), image, policy },
        fix: [{ op: 'replace', path: pointer, value: 'Always' }],
      });
    }
  },
});
