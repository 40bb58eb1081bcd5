/** dpkg: `var/lib/dpkg/status` and distroless `var/lib/dpkg/status.d/*`, binary → source package. */
import type { Distro, Package } from '../types.js';
import { parseControlParagraphs } from './control.js';
import { purl } from './purl.js';

export function isDpkgPath(p: string): boolean {
  if (p === 'var/lib/dpkg/status') return true;
  if (!p.startsWith('var/lib/dpkg/status.d/')) return false;
  const rest = p.slice('var/lib/dpkg/status.d/'.length);
  return rest !== '' && !rest.includes('/') && !rest.endsWith('.md5sums');
}

/** `Source: name (version)` → name and optional version. */
export function parseSourceField(s: string): { name: string; version?: string } {
  const m = /^(\S+)(?:\s*\(([^)]+)\))?/.exec(s.trim());
  if (!m?.[1]) return { name: s.trim() };
  return m[2] ? { name: m[1], version: m[2].trim() } : { name: m[1] };
}

export function catalogDpkg(text: string, location: { layer: string; path: string }, distro: Distro | undefined): Package[] {
  const statusFile = location.path === 'var/lib/dpkg/status';
  const out: Package[] = [];
  for (const para of parseControlParagraphs(text)) {
    const name = para['Package'];
    const version = para['Version'];
    if (!name || !version) continue;
    if (statusFile) {
      // Only installed packages count (not "deinstall ok config-files" leftovers, nor half-installed ones).
      const status = (para['Status'] ?? '').split(/\s+/);
      if (status[2] !== 'installed') continue;
    }
    const src = para['Source'] ? parseSourceField(para['Source']) : { name };
    const pkg: Package = { ecosystem: 'Debian', name, version, sourceName: src.name, location: { ...location } };
    if (src.version && src.version !== version) pkg.sourceVersion = src.version;
    const distroQ = distro ? `${distro.id}-${distro.versionId}` : undefined;
    pkg.purl = purl('deb', distro?.id ?? 'debian', name, version, {
      arch: para['Architecture'],
      distro: distroQ,
      upstream: src.name !== name ? (src.version ? `${src.name}@${src.version}` : src.name) : undefined,
    });
    out.push(pkg);
  }
  return out;
}
