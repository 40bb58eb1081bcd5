/** apk: `lib/apk/db/installed`, package name → origin (the source package). */
import type { Distro, Package } from '../types.js';
import { purl } from './purl.js';

export const APK_DB = 'lib/apk/db/installed';

export function catalogApk(text: string, location: { layer: string; path: string }, distro: Distro | undefined): Package[] {
  const out: Package[] = [];
  let cur: Record<string, string> = {};
  const flush = (): void => {
    const name = cur['P'];
    const version = cur['V'];
    if (name && version) {
      const origin = cur['o'] ?? name;
      out.push({
        ecosystem: 'Alpine',
        name,
        version,
        sourceName: origin,
        location: { ...location },
        purl: purl('apk', distro?.id ?? 'alpine', name, version, {
          arch: cur['A'],
          distro: distro ? `${distro.id}-${distro.versionId}` : undefined,
          upstream: origin !== name ? origin : undefined,
        }),
      });
    }
    cur = {};
  };
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') {
      flush();
      continue;
    }
    if (line.length >= 2 && line[1] === ':') {
      const k = line[0] as string;
      // Only the first occurrence of a package-level key counts (file entries repeat other letters).
      if (!(k in cur)) cur[k] = line.slice(2);
    }
  }
  flush();
  return out;
}
