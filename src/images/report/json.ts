/** JSON rendering of an image scan: stable field order, sorted findings. Pure. */
import { VERSION } from '../../version.js';
import type { ImageScanResult } from '../scan-image.js';
import { countFindings } from '../scan-image.js';

export function imageScanToJson(r: ImageScanResult): unknown {
  const { counts, fixable } = countFindings(r.findings);
  return {
    tool: { name: 'kubeward', version: VERSION },
    image: r.image,
    summary: { packages: r.packages.length, vulnerabilities: r.findings.length, bySeverity: counts, fixableBySeverity: fixable },
    findings: r.findings.map((f) => ({
      id: f.id,
      aliases: f.aliases,
      ...(f.summary !== undefined ? { summary: f.summary } : {}),
      severity: f.severity,
      severitySource: f.severityDetail.source,
      ...(f.severityDetail.score !== undefined ? { score: f.severityDetail.score } : {}),
      ...(f.severityDetail.vector !== undefined ? { vector: f.severityDetail.vector } : {}),
      package: { ecosystem: f.package.ecosystem, name: f.package.name, version: f.package.version, ...(f.package.purl ? { purl: f.package.purl } : {}) },
      matchedName: f.matchedName,
      installedVersion: f.installedVersion,
      ...(f.fixedVersion !== undefined ? { fixedVersion: f.fixedVersion } : {}),
      location: f.package.location,
      explanation: f.explanation,
    })),
    problems: r.problems,
    warnings: r.warnings,
  };
}

export function renderImageJson(r: ImageScanResult): string {
  return `${JSON.stringify(imageScanToJson(r), null, 2)}\n`;
}
