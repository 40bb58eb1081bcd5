/** `docker save` tarballs: manifest.json + config JSON + one (usually uncompressed) tar per layer. */
import { ImageError } from './errors.js';
import { readTreeFile, type FileTree } from './file-tree.js';
import type { ImageLimits } from './limits.js';
import { parseConfig } from './manifest.js';
import type { LayerRef, OpenedImage } from './types.js';
import { checkDigest, parseJson, sha256Digest } from './verify.js';
import { isRecord } from '../../core/records.js';


/**
 * Opens the image tagged `tag` (or the only/first image). A docker-archive holds no registry manifest, so
 * `manifestDigest` is the config digest (the image ID); layers are identified by their diff ids.
 */
export async function openDockerArchive(tree: FileTree, tag: string | undefined, limits: ImageLimits, reference: string): Promise<OpenedImage> {
  const what = reference;
  const manifestBytes = await readTreeFile(tree, 'manifest.json', limits.maxManifestBytes, `${what} manifest.json`).catch((e: unknown) => {
    if (e instanceof ImageError && e.reason === 'notFound') {
      throw new ImageError('notFound', `${what}: not a docker-archive (no manifest.json)`);
    }
    throw e;
  });
  const list = parseJson(manifestBytes, `${what} manifest.json`);
  if (!Array.isArray(list) || list.length === 0) throw new ImageError('format', `${what}: manifest.json lists no images`);
  let entry: unknown = list[0];
  if (tag !== undefined) {
    entry = list.find((e) => isRecord(e) && Array.isArray(e['RepoTags']) && (e['RepoTags'] as unknown[]).some((t) => t === tag || t === `docker.io/${tag}`));
    if (!entry) throw new ImageError('notFound', `${what}: no image tagged '${tag}'`);
  }
  if (!isRecord(entry) || typeof entry['Config'] !== 'string' || !Array.isArray(entry['Layers'])) {
    throw new ImageError('format', `${what}: manifest.json entry lacks Config or Layers`);
  }
  const configPath = entry['Config'];
  const configBytes = await readTreeFile(tree, configPath, limits.maxConfigBytes, `${what} config`);
  const configDigest = sha256Digest(configBytes);
  const base = configPath.replace(/^.*\//, '').replace(/\.json$/, '');
  if (/^[a-f0-9]{64}$/.test(base) && `sha256:${base}` !== configDigest) {
    throw new ImageError('digest', `${what}: config ${configPath} does not match its name (got ${configDigest})`);
  }
  const config = parseConfig(configBytes, what);
  const diffIds = config.rootfs?.diff_ids ?? [];
  const layerPaths = entry['Layers'] as unknown[];
  if (layerPaths.length > limits.maxLayers) throw new ImageError('limit', `${what}: ${layerPaths.length} layers exceed the limit of ${limits.maxLayers}`);
  if (diffIds.length !== layerPaths.length) {
    throw new ImageError('format', `${what}: config lists ${diffIds.length} diff_ids for ${layerPaths.length} layers`);
  }
  const files = new Map<string, string>();
  const layers: LayerRef[] = [];
  for (let i = 0; i < layerPaths.length; i++) {
    const p = layerPaths[i];
    if (typeof p !== 'string') throw new ImageError('format', `${what}: manifest.json Layers[${i}] is not a path`);
    const size = await tree.size(p);
    if (size === undefined) throw new ImageError('notFound', `${what}: layer ${p} missing from the archive`);
    const diffId = checkDigest(diffIds[i], `${what} config diff_ids[${i}]`);
    // The stored blob is usually the uncompressed tar, whose digest is the diff id; it is verified while reading.
    const key = `${i}:${diffId}`;
    files.set(key, p);
    layers.push({ digest: diffId, size, mediaType: 'application/vnd.docker.image.rootfs.diff.tar', diffId });
  }
  return {
    reference,
    manifestDigest: configDigest,
    configDigest,
    config,
    layers,
    async openLayer(layer: LayerRef) {
      const i = layers.indexOf(layer);
      const p = files.get(`${i}:${layer.diffId}`);
      if (p === undefined) throw new ImageError('notFound', `${what}: unknown layer ${layer.digest}`);
      // No stored-blob digest to check here: the diff id of the (decompressed) content is checked by the reader.
      return tree.open(p);
    },
    close: () => tree.close(),
  };
}
