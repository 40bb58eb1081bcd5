/**
 * Known vulnerabilities in the images workloads run, from `kubeward scan --images`: each
 * image is scanned once (OS and language packages against the OSV database) and the verdict
 * is attached to every container that runs it, with the versions that fix the worst ones.
 */
import type { Severity } from '../../../core/types.js';
import { containerLabel, containersOf, WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';
import type { ImageScanSummary } from '../../settings.js';

const ORDER: ReadonlyArray<Severity> = ['critical', 'high', 'medium', 'low', 'info'];

function worst(s: ImageScanSummary): Severity | undefined {
  return ORDER.find((sev) => (s.counts[sev] ?? 0) > 0);
}

function breakdown(s: ImageScanSummary): string {
  return [...ORDER, 'unknown' as const]
    .filter((sev) => (s.counts[sev] ?? 0) > 0)
    .map((sev) => `${s.counts[sev]} ${sev}`)
    .join(', ');
}

function fixes(s: ImageScanSummary): string {
  const parts = s.top.map((v) => `${v.package} ${v.installed} → ${v.fixed ?? 'no fix yet'} (${v.id})`);
  return parts.length > 0 ? parts.join('; ') : 'none listed';
}

export default defineRule({
  id: 'image-vulnerabilities',
  meta: {
    title: 'Image with known vulnerabilities',
    category: 'image',
    severity: 'high',
    practice: 'image-scanning',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'Running containers with known vulnerabilities exposes the whole system. With `kubeward scan --images`, every image the workloads use is pulled (each reference once), its OS packages (dpkg, apk) and language packages (npm, Python) are matched offline against the OSV advisories in the local database (`kubeward db import`), and the result is attached to each container that runs it. The finding takes the severity of the worst vulnerability; advisories that state no severity count as low.',
      remediation:
        'Rebuild the image on a patched base and upgrade the listed packages to the fixed versions (the message names them; `kubeward image scan IMAGE` lists every advisory), then pin the new image by digest. To block such images at creation, enable the admission webhook\'s image policy.',
    },
    references: [
      { framework: 'NSA-CISA', id: 'Threat detection: vulnerability scanning of images' },
      { framework: 'CIS', id: '5.5.1', title: 'Configure Image Provenance' },
      { framework: 'MITRE', id: 'T1190', title: 'Exploit Public-Facing Application' },
    ],
    messages: {
      vulnerable: '{{container}} image {{image}} has {{total}} known vulnerabilities ({{breakdown}}); fixes: {{fixes}}',
      unscanned: '{{container}} image {{image}} could not be scanned: {{error}}',
    },
    severities: { unscanned: ['info'], vulnerable: ['low', 'medium', 'high', 'critical'] },
  },
  check(ctx) {
    const scans = ctx.settings.imageScans;
    for (const ref of containersOf(ctx.model)) {
      const image = ref.container.image;
      if (typeof image !== 'string') continue;
      const s = scans[image];
      if (!s) continue;
      const pointer = `${ref.pointer}/image`;
      if (s.error !== undefined) {
        ctx.report({ messageId: 'unscanned', resource: ref.resource, pointer, severity: 'info', data: { container: containerLabel(ref), image, error: s.error } });
        continue;
      }
      const total = Object.values(s.counts).reduce((a, b) => a + (b ?? 0), 0);
      if (total === 0) continue;
      ctx.report({
        messageId: 'vulnerable',
        resource: ref.resource,
        pointer,
        severity: worst(s) ?? 'low',
        data: { container: containerLabel(ref), image, total, breakdown: breakdown(s), fixes: fixes(s) },
      });
    }
  },
});
