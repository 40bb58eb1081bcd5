/** Terminal rendering of an image scan: one line per finding, then a summary. Pure. */
import type { ImageScanResult } from '../scan-image.js';
import { countFindings } from '../scan-image.js';
import { IMAGE_SEVERITIES } from '../severity.js';

function layerLabel(layer: string): string {
  return layer.startsWith('sha256:') ? layer.slice(7, 19) : layer;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

export function renderImageText(r: ImageScanResult): string {
  const out: string[] = [];
  const distro = r.image.distro ? ` (${r.image.distro.prettyName ?? `${r.image.distro.id} ${r.image.distro.versionId}`})` : '';
  out.push(`${r.image.reference}${distro}`);
  if (r.image.digest) out.push(`digest ${r.image.digest}`);
  out.push(`${r.packages.length} packages, ${r.findings.length} vulnerabilities`);
  if (r.findings.length > 0) {
    out.push('');
    const rows = [['SEVERITY', 'PACKAGE', 'INSTALLED', 'FIXED', 'ADVISORY', 'LOCATION']];
    for (const f of r.findings) {
      const name = f.matchedName !== f.package.name ? `${f.package.name} (${f.matchedName})` : f.package.name;
      rows.push([
        f.severity.toUpperCase(),
        name,
        f.package.version,
        f.fixedVersion ?? '-',
        f.id,
        `${layerLabel(f.package.location.layer)}:/${f.package.location.path}`,
      ]);
    }
    out.push(...table(rows));
  }
  const { counts, fixable } = countFindings(r.findings);
  const parts = [...IMAGE_SEVERITIES].reverse().filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  const nFixable = Object.values(fixable).reduce((a, b) => a + b, 0);
  out.push('');
  out.push(r.findings.length === 0 ? 'No known vulnerabilities.' : `Total: ${parts.join(', ')}; ${nFixable} with a fix available.`);
  for (const p of r.problems) out.push(`note: ${p.message}`);
  for (const w of r.warnings) out.push(`warning: ${w}`);
  return `${out.join('\n')}\n`;
}
