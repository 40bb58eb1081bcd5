/** The distribution from `etc/os-release` (or `usr/lib/os-release`). */
import type { Distro } from '../types.js';

export const OS_RELEASE_PATHS = ['etc/os-release', 'usr/lib/os-release'] as const;

export function parseOsRelease(text: string): Distro | undefined {
  const kv: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    let v = line.slice(eq + 1).trim();
    if ((v.startsWith('"') && v.endsWith('"') && v.length >= 2) || (v.startsWith("'") && v.endsWith("'") && v.length >= 2)) {
      v = v.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
    }
    kv[line.slice(0, eq)] = v;
  }
  const id = kv['ID'];
  if (!id) return undefined;
  const d: Distro = { id, versionId: kv['VERSION_ID'] ?? '' };
  if (kv['PRETTY_NAME']) d.prettyName = kv['PRETTY_NAME'];
  return d;
}
