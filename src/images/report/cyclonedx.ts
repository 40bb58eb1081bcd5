/**
 * CycloneDX 1.5 JSON SBOM of an image scan: the image as the subject, every package instance as a
 * component (purl, location as properties), and the findings as `vulnerabilities` that point at them.
 * Pure: the timestamp is passed in; the serial number derives from the image digest.
 */
import { VERSION } from '../../version.js';
import type { ImageScanResult } from '../scan-image.js';
import type { Package } from '../types.js';

function serialFrom(digest: string, reference: string): string {
  let hex = digest.replace(/^sha256:/, '').replace(/[^0-9a-f]/g, '');
  if (hex.length < 32) {
    // No digest (directory scans): a stable FNV-1a-based filler from the reference.
    let h = 0x811c9dc5;
    for (const ch of reference) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    hex = (hex + h.toString(16).padStart(8, '0').repeat(4)).slice(0, 32);
  }
  const v = `${hex.slice(0, 12)}4${hex.slice(13, 16)}${((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 32)}`;
  return `urn:uuid:${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20, 32)}`;
}

function bomRef(p: Package): string {
  return `pkg:${p.ecosystem}/${p.name}@${p.version}?layer=${p.location.layer}&path=${p.location.path}`;
}

function ratingMethod(source: string, vector: string | undefined): string {
  if (source === 'CVSS_V3') return vector?.startsWith('CVSS:3.1') ? 'CVSSv31' : 'CVSSv3';
  if (source === 'CVSS_V2') return 'CVSSv2';
  if (source === 'CVSS_V4') return 'CVSSv4';
  return 'other';
}

export function imageScanToCycloneDx(r: ImageScanResult, timestamp: Date): unknown {
  const components = r.packages.map((p) => ({
    'bom-ref': bomRef(p),
    type: 'library',
    name: p.name,
    version: p.version,
    ...(p.purl ? { purl: p.purl } : {}),
    properties: [
      { name: 'kubeward:package:ecosystem', value: p.ecosystem },
      { name: 'kubeward:location:layer', value: p.location.layer },
      { name: 'kubeward:location:path', value: p.location.path },
      ...(p.sourceName !== undefined ? [{ name: 'kubeward:package:source', value: p.sourceName }] : []),
      ...(p.sourceVersion !== undefined ? [{ name: 'kubeward:package:sourceVersion', value: p.sourceVersion }] : []),
    ],
  }));
  if (r.image.distro) {
    components.unshift({
      'bom-ref': `os:${r.image.distro.id}@${r.image.distro.versionId}`,
      type: 'operating-system',
      name: r.image.distro.id,
      version: r.image.distro.versionId,
      properties: [],
    });
  }
  const byId = new Map<string, { id: string; f: ImageScanResult['findings'][number]; refs: Array<{ ref: string; version: string }>; fixed: Set<string> }>();
  for (const f of r.findings) {
    const e = byId.get(f.id) ?? { id: f.id, f, refs: [], fixed: new Set<string>() };
    e.refs.push({ ref: bomRef(f.package), version: f.package.version });
    if (f.fixedVersion !== undefined) e.fixed.add(`${f.package.name} ${f.fixedVersion}`);
    byId.set(f.id, e);
  }
  const vulnerabilities = [...byId.values()].map(({ id, f, refs, fixed }) => ({
    'bom-ref': `vuln:${id}`,
    id,
    source: { name: 'OSV', url: `https://osv.dev/vulnerability/${encodeURIComponent(id)}` },
    ...(f.aliases.length > 0 ? { references: f.aliases.map((a) => ({ id: a, source: { name: a.startsWith('CVE-') ? 'NVD' : 'OSV' } })) } : {}),
    ratings: [
      {
        severity: f.severity === 'unknown' ? 'unknown' : f.severity,
        ...(f.severityDetail.score !== undefined ? { score: f.severityDetail.score } : {}),
        method: ratingMethod(f.severityDetail.source, f.severityDetail.vector),
        ...(f.severityDetail.vector !== undefined ? { vector: f.severityDetail.vector } : {}),
      },
    ],
    ...(f.summary !== undefined ? { description: f.summary } : {}),
    ...(fixed.size > 0 ? { recommendation: `Upgrade: ${[...fixed].sort().join(', ')}` } : {}),
    affects: refs.map((x) => ({ ref: x.ref, versions: [{ version: x.version, status: 'affected' }] })),
  }));
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: serialFrom(r.image.digest, r.image.reference),
    version: 1,
    metadata: {
      timestamp: timestamp.toISOString(),
      tools: { components: [{ type: 'application', name: 'kubeward', version: VERSION }] },
      component: {
        'bom-ref': `image:${r.image.digest || r.image.reference}`,
        type: 'container',
        name: r.image.reference,
        ...(r.image.digest ? { version: r.image.digest } : {}),
      },
    },
    components,
    vulnerabilities,
  };
}

export function renderImageCycloneDx(r: ImageScanResult, timestamp: Date): string {
  return `${JSON.stringify(imageScanToCycloneDx(r, timestamp), null, 2)}\n`;
}
