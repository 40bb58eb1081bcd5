/** OCI image layout (a directory, or the same inside an oci-archive tarball). */
import { ImageError } from './errors.js';
import { readTreeFile, type FileTree } from './file-tree.js';
import type { ImageLimits } from './limits.js';
import { parseDocument, resolveImage, selectFromIndex, type ManifestSource } from './manifest.js';
import type { Descriptor, LayerRef, OpenedImage, Platform } from './types.js';
import { checkDigest, DigestVerifier, sha256Digest } from './verify.js';

const REF_ANNOTATION = 'org.opencontainers.image.ref.name';

function blobPath(digest: string): string {
  const d = checkDigest(digest, 'blob');
  return `blobs/sha256/${d.slice('sha256:'.length)}`;
}

async function readBlob(tree: FileTree, d: Descriptor, max: number, what: string): Promise<Buffer> {
  if (d.size > max) throw new ImageError('limit', `${what} (${d.size} bytes) exceeds the ${max}-byte limit`);
  const bytes = await readTreeFile(tree, blobPath(d.digest), max, what);
  const got = sha256Digest(bytes);
  if (got !== d.digest) throw new ImageError('digest', `${what}: digest mismatch (expected ${d.digest}, got ${got})`);
  return bytes;
}

/** Opens the image `ref` (a ref-name annotation or a digest; optional when the layout holds one image). */
export async function openOciLayout(
  tree: FileTree,
  ref: string | undefined,
  platform: Platform,
  limits: ImageLimits,
  reference: string,
): Promise<OpenedImage> {
  const what = reference;
  if ((await tree.size('oci-layout')) === undefined) {
    throw new ImageError('notFound', `${what}: not an OCI image layout (no oci-layout file)`);
  }
  const indexBytes = await readTreeFile(tree, 'index.json', limits.maxManifestBytes, `${what} index.json`);
  const index = parseDocument(indexBytes, `${what} index.json`, 'application/vnd.oci.image.index.v1+json');
  if (index.kind !== 'index') throw new ImageError('format', `${what}: index.json is not an image index`);
  let chosen: Descriptor | undefined;
  if (ref !== undefined) {
    chosen = ref.startsWith('sha256:')
      ? index.manifests.find((m) => m.digest === ref)
      : index.manifests.find((m) => m.annotations?.[REF_ANNOTATION] === ref);
    if (!chosen) {
      const names = index.manifests.map((m) => m.annotations?.[REF_ANNOTATION]).filter((n) => n !== undefined);
      throw new ImageError('notFound', `${what}: no image '${ref}' in the layout (refs: ${names.join(', ') || 'none'})`);
    }
  } else if (index.manifests.length === 1) {
    chosen = index.manifests[0];
  } else if (index.manifests.length > 1 && index.manifests.every((m) => m.platform)) {
    chosen = selectFromIndex(index.manifests, platform, what);
  } else {
    throw new ImageError('notFound', `${what}: the layout holds ${index.manifests.length} images; name one with oci:<dir>:<ref>`);
  }
  if (!chosen) throw new ImageError('notFound', `${what}: the layout holds no images`);
  const src: ManifestSource = {
    fetchManifest: async (d) => ({ bytes: await readBlob(tree, d, limits.maxManifestBytes, `${what} manifest ${d.digest}`), mediaType: d.mediaType }),
    fetchConfig: (d) => readBlob(tree, d, limits.maxConfigBytes, `${what} config ${d.digest}`),
  };
  const root = await src.fetchManifest(chosen);
  const resolved = await resolveImage(root, src, platform, limits, what);
  return {
    reference,
    ...resolved,
    async openLayer(layer: LayerRef) {
      const stream = await tree.open(blobPath(layer.digest));
      const verifier = new DigestVerifier(layer.digest, layer.size, `${what} layer ${layer.digest}`);
      stream.on('error', (e) => verifier.destroy(e));
      return stream.pipe(verifier);
    },
    close: () => tree.close(),
  };
}
