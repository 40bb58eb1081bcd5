/** npm: every installed `node_modules/<name>/package.json` (nested copies are distinct instances) and lockfiles. */
import type { Package } from '../types.js';
import { purl } from './purl.js';

export function isNpmPackageJson(p: string): boolean {
  const parts = p.split('/');
  const n = parts.length;
  if (parts[n - 1] !== 'package.json' || n < 3) return false;
  const pkg = parts[n - 2] as string;
  if (parts[n - 3] === 'node_modules') return !pkg.startsWith('@') && !pkg.startsWith('.');
  return n >= 4 && parts[n - 4] === 'node_modules' && (parts[n - 3] ?? '').startsWith('@') && !pkg.startsWith('.');
}

export function isNpmLockfile(p: string): boolean {
  return (p === 'package-lock.json' || p.endsWith('/package-lock.json')) && !p.split('/').includes('node_modules');
}

export function npmPurl(name: string, version: string): string {
  if (name.startsWith('@') && name.includes('/')) {
    const i = name.indexOf('/');
    return purl('npm', name.slice(0, i), name.slice(i + 1), version);
  }
  return purl('npm', undefined, name, version);
}

function npmPackage(name: string, version: string, location: { layer: string; path: string }): Package {
  return { ecosystem: 'npm', name, version, location: { ...location }, purl: npmPurl(name, version) };
}

export function catalogNpmPackageJson(text: string, location: { layer: string; path: string }): Package[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text) as unknown;
  } catch {
    return [];
  }
  if (typeof doc !== 'object' || doc === null) return [];
  const { name, version } = doc as Record<string, unknown>;
  if (typeof name !== 'string' || typeof version !== 'string' || name === '' || version === '') return [];
  return [npmPackage(name, version, location)];
}

/**
 * package-lock.json v1 (`dependencies`, nested) and v2/v3 (`packages`, keyed by install path). Entries whose
 * installed `package.json` was already cataloged (`installed` holds those paths) are skipped, so an installed
 * tree is not counted twice. Each lock entry's location path is `<lockfile>#<install path>`.
 */
export function catalogNpmLockfile(text: string, location: { layer: string; path: string }, installed: ReadonlySet<string>): Package[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text) as unknown;
  } catch {
    return [];
  }
  if (typeof doc !== 'object' || doc === null) return [];
  const lock = doc as Record<string, unknown>;
  const dir = location.path.includes('/') ? location.path.slice(0, location.path.lastIndexOf('/') + 1) : '';
  const out: Package[] = [];
  const add = (installPath: string, name: string, version: string): void => {
    if (installed.has(`${dir}${installPath}/package.json`)) return;
    out.push(npmPackage(name, version, { layer: location.layer, path: `${location.path}#${installPath}` }));
  };
  const packages = lock['packages'];
  if (typeof packages === 'object' && packages !== null) {
    for (const [key, v] of Object.entries(packages as Record<string, unknown>)) {
      if (key === '' || typeof v !== 'object' || v === null) continue;
      const e = v as Record<string, unknown>;
      if (e['link'] === true || typeof e['version'] !== 'string') continue;
      const i = key.lastIndexOf('node_modules/');
      if (i === -1) continue; // workspace folders, not installed packages
      const name = typeof e['name'] === 'string' ? e['name'] : key.slice(i + 'node_modules/'.length);
      add(key, name, e['version']);
    }
    return out;
  }
  const walk = (deps: unknown, prefix: string): void => {
    if (typeof deps !== 'object' || deps === null) return;
    for (const [name, v] of Object.entries(deps as Record<string, unknown>)) {
      if (typeof v !== 'object' || v === null) continue;
      const e = v as Record<string, unknown>;
      const installPath = `${prefix}node_modules/${name}`;
      if (typeof e['version'] === 'string' && !e['version'].startsWith('file:') && !e['version'].startsWith('link:')) {
        add(installPath, name, e['version']);
      }
      walk(e['dependencies'], `${installPath}/`);
    }
  };
  walk(lock['dependencies'], '');
  return out;
}
