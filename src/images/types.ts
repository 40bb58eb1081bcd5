/** Data shared by image sources, catalogers, the vulnerability database and matching. */

/** OSV ecosystem names used by kubeward (see the OSV schema's ecosystem list). */
export type Ecosystem = 'Debian' | 'Alpine' | 'npm' | 'PyPI';

/** Where a package was found inside an image. */
export interface PackageLocation {
  /** Digest of the layer that last wrote the file (`sha256:…`), or `dir` for a directory scan. */
  layer: string;
  /** Path of the database or manifest file inside the image, without a leading slash. */
  path: string;
}

/** One installed package instance. */
export interface Package {
  ecosystem: Ecosystem;
  /** Binary package name (dpkg Package, apk P, npm/PyPI name). */
  name: string;
  version: string;
  /** Source package (dpkg Source, apk origin) used to match distro advisories. */
  sourceName?: string;
  /** Source version when it differs from the binary version (dpkg `Source: name (version)`). */
  sourceVersion?: string;
  location: PackageLocation;
  /** Package URL (purl) for SBOMs. */
  purl?: string;
}

/** The distribution of an image, from etc/os-release. */
export interface Distro {
  /** os-release ID: debian, alpine, ubuntu, … */
  id: string;
  /** os-release VERSION_ID: `12`, `3.6.5`, … */
  versionId: string;
  prettyName?: string;
}
