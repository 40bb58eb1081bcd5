/** SARIF 2.1.0 rendering of an image scan: one rule per advisory, one result per finding. Pure. */
import { VERSION } from '../../version.js';
import type { ImageScanResult } from '../scan-image.js';
import type { ImageSeverity } from '../severity.js';

function level(s: ImageSeverity): 'error' | 'warning' | 'note' {
  return s === 'critical' || s === 'high' ? 'error' : s === 'medium' ? 'warning' : 'note';
}

/** GitHub code scanning reads `security-severity` (a CVSS-like number) to rank results. */
function securitySeverity(s: ImageSeverity, score: number | undefined): string {
  if (score !== undefined) return score.toFixed(1);
  return { critical: '9.5', high: '8.0', medium: '5.5', low: '2.0', info: '0.0', unknown: '0.0' }[s];
}

export function imageScanToSarif(r: ImageScanResult): unknown {
  const rules = new Map<string, unknown>();
  const results: unknown[] = [];
  for (const f of r.findings) {
    if (!rules.has(f.id)) {
      rules.set(f.id, {
        id: f.id,
        name: f.id,
        shortDescription: { text: f.summary ?? `${f.id} in ${f.matchedName}` },
        helpUri: `https://osv.dev/vulnerability/${encodeURIComponent(f.id)}`,
        properties: { tags: ['security', 'vulnerability', ...f.aliases], 'security-severity': securitySeverity(f.severity, f.severityDetail.score) },
      });
    }
    const fix = f.fixedVersion !== undefined ? ` Fixed in ${f.fixedVersion}.` : ' No fixed version is known.';
    results.push({
      ruleId: f.id,
      level: level(f.severity),
      message: { text: `${f.package.name} ${f.package.version} is affected by ${f.id} (${f.severity}).${fix}` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: f.package.location.path } },
          logicalLocations: [{ name: f.package.location.layer, kind: 'layer' }],
        },
      ],
      partialFingerprints: { packageInstance: `${r.image.digest}|${f.package.location.layer}|${f.package.location.path}|${f.package.name}|${f.id}` },
      properties: {
        image: r.image.reference,
        digest: r.image.digest,
        package: f.package.name,
        ecosystem: f.package.ecosystem,
        installedVersion: f.package.version,
        ...(f.fixedVersion !== undefined ? { fixedVersion: f.fixedVersion } : {}),
        severity: f.severity,
      },
    });
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'kubeward', version: VERSION, informationUri: 'https://github.com/kubeward/kubeward', rules: [...rules.values()] } },
        results,
      },
    ],
  };
}

export function renderImageSarif(r: ImageScanResult): string {
  return `${JSON.stringify(imageScanToSarif(r), null, 2)}\n`;
}
