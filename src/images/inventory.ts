/**
 * Image inventory: open an image from any source, stream its layers into a merged file view and catalog the
 * distro and packages. Nothing is extracted to disk.
 */
import { lstat, opendir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { catalog, wantedPath, type CatalogFile } from './catalog/index.js';
import { MergedView } from './layers/merged-view.js';
import { readLayer, type ReadBudget } from './layers/read-layer.js';
import { ImageError } from './source/errors.js';
import { openImage, type ImageSourceSpec } from './source/index.js';
import { resolveLimits, type ImageLimits } from './source/limits.js';
import type { Distro, Package } from './types.js';

export type { ImageSourceSpec } from './source/index.js';
export type { ImageLimits } from './source/limits.js';
export { defaultImageLimits } from './source/limits.js';
export { ImageError, type ImageErrorReason } from './source/errors.js';

export interface ProgressEvent {
  /** `manifest`, `layer` (done = layers finished), `bytes` (done = stored bytes read), `catalog`. */
  phase: string;
  done: number;
  total?: number;
}

export interface InventoryOptions {
  onProgress?: (e: ProgressEvent) => void;
  signal?: AbortSignal;
  limits?: Partial<ImageLimits>;
  /** Docker client config for registry credentials (default `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`). */
  dockerConfigPath?: string;
}

export interface ImageInventory {
  /**
   * Digest of the image manifest: the same for an OCI layout, oci-archive and registry copy of one image.
   * A docker-archive has no manifest, so there it is the config digest — key caches by `configDigest`
   * when images may come from docker-archives.
   */
  digest: string;
  /** Digest of the image config (the image ID), identical from every source. */
  configDigest?: string;
  reference: string;
  distro?: Distro;
  packages: Package[];
  /** Stored layer blobs; `diffId` (the uncompressed digest) is what package locations name. */
  layers: Array<{ digest: string; size: number; diffId?: string }>;
  /** Membership in the merged file view (after whiteouts), for tests. Paths with or without a leading slash. */
  files?: (path: string) => boolean;
  /** Things skipped along the way (e.g. files too large to catalog). */
  warnings?: string[];
}

/** `oci:dir[:ref]`, `oci-archive:file`, `docker-archive:file`, `dir:path`, `docker://ref`, else a registry reference. */
export function parseImageSource(arg: string): ImageSourceSpec {
  const a = arg.trim();
  if (a === '') throw new UsageError('empty image reference');
  const prefixed = (p: string): string | undefined => (a.startsWith(p) ? a.slice(p.length) : undefined);
  const need = (rest: string, kind: string): string => {
    if (rest === '') throw new UsageError(`${kind}: missing path`);
    return rest;
  };
  let rest: string | undefined;
  if ((rest = prefixed('oci-archive:')) !== undefined) return { kind: 'oci-archive', path: need(rest, 'oci-archive') };
  if ((rest = prefixed('docker-archive:')) !== undefined) return { kind: 'docker-archive', path: need(rest, 'docker-archive') };
  if ((rest = prefixed('dir:')) !== undefined) return { kind: 'directory', path: need(rest, 'dir') };
  if ((rest = prefixed('oci:')) !== undefined) {
    need(rest, 'oci');
    const byDigest = /^(.+):(sha256:[a-f0-9]{64})$/.exec(rest);
    if (byDigest?.[1] && byDigest[2]) return { kind: 'oci-layout', path: byDigest[1], ref: byDigest[2] };
    const m = /^(.+):([^/:]+)$/.exec(rest);
    if (m?.[1] && m[2]) return { kind: 'oci-layout', path: m[1], ref: m[2] };
    return { kind: 'oci-layout', path: rest };
  }
  if ((rest = prefixed('docker://')) !== undefined) return { kind: 'registry', ref: need(rest, 'docker') };
  return { kind: 'registry', ref: a };
}

function newBudget(): ReadBudget {
  return { entries: 0, bufferedBytes: 0, imageBytes: 0, warnings: [] };
}

function viewMembership(view: MergedView): (p: string) => boolean {
  return (p) => view.has(p);
}

function catalogView(view: MergedView, layerName: (i: number) => string, lockfiles: boolean): { distro?: Distro; packages: Package[] } {
  return catalog(
    {
      read: (p): CatalogFile | undefined => {
        const r = view.read(p);
        return r ? { path: r.path, content: r.content, layer: layerName(r.layer) } : undefined;
      },
      files: view.bufferedFiles().map((f) => ({ path: f.path, content: f.content, layer: layerName(f.layer) })),
    },
    { lockfiles },
  );
}

/** A root filesystem or project directory: walked without following symlinks, lockfiles included. */
async function inventoryDirectory(dir: string, limits: ImageLimits, opts: InventoryOptions): Promise<ImageInventory> {
  const root = path.resolve(dir);
  const st = await lstat(root).catch((e: unknown) => {
    throw new ImageError('notFound', `directory ${dir} not found`, { cause: e });
  });
  if (!st.isDirectory()) throw new ImageError('notFound', `${dir} is not a directory`);
  const view = new MergedView();
  view.beginLayer(0);
  const budget = newBudget();
  const what = `dir:${dir}`;
  const walk = async (abs: string, rel: string): Promise<void> => {
    if (opts.signal?.aborted) throw new ImageError('aborted', `${what}: aborted`);
    const handle = await opendir(abs);
    for await (const d of handle) {
      const r = rel === '' ? d.name : `${rel}/${d.name}`;
      const full = path.join(abs, d.name);
      if (++budget.entries > limits.maxEntries) throw new ImageError('limit', `${what}: more than ${limits.maxEntries} entries`);
      if (d.isSymbolicLink()) {
        view.add(r, { type: 'symlink', size: 0, linkname: await readlink(full) }, what);
      } else if (d.isDirectory()) {
        view.add(r, { type: 'dir', size: 0 }, what);
        await walk(full, r);
      } else if (d.isFile()) {
        if (wantedPath(r, { lockfiles: true })) {
          const s = await lstat(full);
          if (s.size > limits.maxFileBytes || budget.bufferedBytes + s.size > limits.maxBufferedBytes) {
            budget.warnings.push(`${what}: ${r} (${s.size} bytes) is too large to catalog; skipped`);
            view.add(r, { type: 'file', size: s.size }, what);
          } else {
            const content = await readFile(full);
            budget.bufferedBytes += content.length;
            view.add(r, { type: 'file', size: content.length, content }, what);
          }
        } else view.add(r, { type: 'file', size: 0 }, what);
      } else view.add(r, { type: 'other', size: 0 }, what);
    }
  };
  await walk(root, '');
  view.endLayer();
  opts.onProgress?.({ phase: 'catalog', done: 1, total: 1 });
  const { distro, packages } = catalogView(view, () => 'dir', true);
  const out: ImageInventory = { digest: '', reference: what, packages, layers: [], files: viewMembership(view), warnings: budget.warnings };
  if (distro) out.distro = distro;
  return out;
}

/** Lists the distro and packages of an image (or directory). */
export async function inventoryImage(src: ImageSourceSpec, opts: InventoryOptions = {}): Promise<ImageInventory> {
  const limits = resolveLimits(opts.limits);
  if (src.kind === 'directory') return inventoryDirectory(src.path, limits, opts);
  const img = await openImage(src, {
    limits,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.dockerConfigPath ? { dockerConfigPath: opts.dockerConfigPath } : {}),
  });
  try {
    const total = img.layers.length;
    opts.onProgress?.({ phase: 'manifest', done: 1, total: 1 });
    const totalBytes = img.layers.reduce((s, l) => s + Math.max(0, l.size), 0);
    let readBytes = 0;
    let lastReported = 0;
    const view = new MergedView();
    const budget = newBudget();
    for (let i = 0; i < total; i++) {
      const layer = img.layers[i];
      if (!layer) continue;
      if (opts.signal?.aborted) throw new ImageError('aborted', `${img.reference}: aborted`);
      opts.onProgress?.({ phase: 'layer', done: i, total });
      const what = `${img.reference} layer ${i + 1}/${total} (${layer.digest})`;
      view.beginLayer(i);
      const stream = await img.openLayer(layer, opts.signal);
      const r = await readLayer(stream, {
        view,
        wanted: (p) => wantedPath(p),
        limits,
        budget,
        what,
        ...(opts.signal ? { signal: opts.signal } : {}),
        onBytes: (n) => {
          readBytes += n;
          if (opts.onProgress && readBytes - lastReported >= 4 * 1024 * 1024) {
            lastReported = readBytes;
            opts.onProgress({ phase: 'bytes', done: readBytes, total: totalBytes });
          }
        },
      });
      if (r.diffId !== layer.diffId) {
        throw new ImageError('digest', `${what}: uncompressed content digest ${r.diffId} does not match the config's diff id ${layer.diffId}`);
      }
      view.endLayer();
    }
    opts.onProgress?.({ phase: 'layer', done: total, total });
    opts.onProgress?.({ phase: 'catalog', done: 0, total: 1 });
    const { distro, packages } = catalogView(view, (i) => img.layers[i]?.diffId ?? '', false);
    opts.onProgress?.({ phase: 'catalog', done: 1, total: 1 });
    const out: ImageInventory = {
      digest: img.manifestDigest,
      configDigest: img.configDigest,
      reference: img.reference,
      packages,
      layers: img.layers.map((l) => ({ digest: l.digest, size: l.size, diffId: l.diffId })),
      files: viewMembership(view),
      warnings: budget.warnings,
    };
    if (distro) out.distro = distro;
    return out;
  } finally {
    await img.close();
  }
}
