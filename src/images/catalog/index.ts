/** Catalogers: which files they need, and the packages and distro found in them. */
import type { Distro, Package } from '../types.js';
import { APK_DB, catalogApk } from './apk.js';
import { catalogDpkg, isDpkgPath } from './dpkg.js';
import { catalogNpmLockfile, catalogNpmPackageJson, isNpmLockfile, isNpmPackageJson } from './npm.js';
import { OS_RELEASE_PATHS, parseOsRelease } from './os-release.js';
import { catalogPythonMetadata, isPythonMetadata } from './python.js';

export interface CatalogOptions {
  /** Also read npm lockfiles (for directory scans; an image's installed node_modules is the truth). */
  lockfiles?: boolean;
}

/** Whether a cataloger wants the content of the file at this root-relative path. */
export function wantedPath(p: string, opts: CatalogOptions = {}): boolean {
  return (
    (OS_RELEASE_PATHS as readonly string[]).includes(p) ||
    isDpkgPath(p) ||
    p === APK_DB ||
    isNpmPackageJson(p) ||
    isPythonMetadata(p) ||
    (opts.lockfiles === true && isNpmLockfile(p))
  );
}

export interface CatalogFile {
  path: string;
  content: Buffer;
  /** Layer digest (diff id) that last wrote the file, or `dir`. */
  layer: string;
}

export interface CatalogInput {
  /** The file's content after following symlinks within the image, if buffered. */
  read(path: string): CatalogFile | undefined;
  /** Every buffered file, sorted by path. */
  files: CatalogFile[];
}

/** Package order in every report: ecosystem, name, version, then where it was found. */
export function comparePackages(a: Package, b: Package): number {
  const ka = [a.ecosystem, a.name, a.version, a.location.path, a.location.layer];
  const kb = [b.ecosystem, b.name, b.version, b.location.path, b.location.layer];
  for (let i = 0; i < ka.length; i++) {
    const x = ka[i] as string;
    const y = kb[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function catalog(input: CatalogInput, opts: CatalogOptions = {}): { distro?: Distro; packages: Package[] } {
  let distro: Distro | undefined;
  for (const p of OS_RELEASE_PATHS) {
    const f = input.read(p);
    if (f) {
      distro = parseOsRelease(f.content.toString('utf8'));
      if (distro) break;
    }
  }
  const packages: Package[] = [];
  const installedNpm = new Set<string>();
  for (const f of input.files) if (isNpmPackageJson(f.path)) installedNpm.add(f.path);
  for (const f of input.files) {
    const loc = { layer: f.layer, path: f.path };
    const text = (): string => f.content.toString('utf8');
    if (isDpkgPath(f.path)) packages.push(...catalogDpkg(text(), loc, distro));
    else if (f.path === APK_DB) packages.push(...catalogApk(text(), loc, distro));
    else if (isNpmPackageJson(f.path)) packages.push(...catalogNpmPackageJson(text(), loc));
    else if (isPythonMetadata(f.path)) packages.push(...catalogPythonMetadata(text(), loc));
    else if (opts.lockfiles === true && isNpmLockfile(f.path)) packages.push(...catalogNpmLockfile(text(), loc, installedNpm));
  }
  packages.sort(comparePackages);
  const result: { distro?: Distro; packages: Package[] } = { packages };
  if (distro) result.distro = distro;
  return result;
}
