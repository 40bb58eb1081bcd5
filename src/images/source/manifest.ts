/** Manifests, indexes (manifest lists) and platform selection, for both OCI and Docker v2 media types. */
import { ImageError } from './errors.js';
import type { ImageLimits } from './limits.js';
import type { Descriptor, ImageConfig, LayerRef, Platform } from './types.js';
import { checkDigest, parseJson, sha256Digest } from './verify.js';
import { isRecord } from '../../core/records.js';

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestV1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
} as const;

/** Accept header for manifest requests, most preferred first. */
export const MANIFEST_ACCEPT = [MEDIA.ociIndex, MEDIA.dockerList, MEDIA.ociManifest, MEDIA.dockerManifest].join(', ');

export interface ParsedManifest {
  config: Descriptor;
  layers: Descriptor[];
}

export type ParsedDocument = { kind: 'index'; manifests: Descriptor[] } | { kind: 'manifest'; manifest: ParsedManifest };


function parseDescriptor(v: unknown, what: string): Descriptor {
  if (!isRecord(v)) throw new ImageError('format', `${what}: descriptor is not an object`);
  const digest = checkDigest(v['digest'], what);
  const size = v['size'];
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new ImageError('format', `${what}: descriptor has no valid size`);
  }
  const d: Descriptor = { mediaType: typeof v['mediaType'] === 'string' ? v['mediaType'] : '', digest, size };
  const p = v['platform'];
  if (isRecord(p) && typeof p['os'] === 'string' && typeof p['architecture'] === 'string') {
    d.platform = { os: p['os'], architecture: p['architecture'] };
    if (typeof p['variant'] === 'string') d.platform.variant = p['variant'];
  }
  const a = v['annotations'];
  if (isRecord(a)) {
    const ann: Record<string, string> = {};
    for (const [k, val] of Object.entries(a)) if (typeof val === 'string') ann[k] = val;
    d.annotations = ann;
  }
  return d;
}

/** Parses a manifest or index document; `mediaType` is the transport's Content-Type when known. */
export function parseDocument(bytes: Buffer, what: string, mediaType?: string): ParsedDocument {
  const doc = parseJson(bytes, what);
  if (!isRecord(doc)) throw new ImageError('format', `${what} is not a JSON object`);
  const mt = typeof doc['mediaType'] === 'string' ? doc['mediaType'] : (mediaType ?? '');
  if (mt === MEDIA.dockerManifestV1Signed || doc['schemaVersion'] === 1) {
    throw new ImageError('unsupported', `${what}: Docker schema 1 manifests are not supported`);
  }
  if (mt === MEDIA.ociIndex || mt === MEDIA.dockerList || (Array.isArray(doc['manifests']) && !('layers' in doc))) {
    const list = doc['manifests'];
    if (!Array.isArray(list)) throw new ImageError('format', `${what}: index has no manifests array`);
    return { kind: 'index', manifests: list.map((m, i) => parseDescriptor(m, `${what} manifests[${i}]`)) };
  }
  const layers = doc['layers'];
  if (!Array.isArray(layers)) throw new ImageError('format', `${what}: manifest has no layers array`);
  return {
    kind: 'manifest',
    manifest: {
      config: parseDescriptor(doc['config'], `${what} config`),
      layers: layers.map((l, i) => parseDescriptor(l, `${what} layers[${i}]`)),
    },
  };
}

/** Parses `os/arch[/variant]`. */
export function parsePlatform(s: string): Platform {
  const parts = s.split('/');
  const [os, architecture, variant] = parts;
  if (parts.length < 2 || parts.length > 3 || !os || !architecture || (parts.length === 3 && !variant)) {
    throw new ImageError('platform', `invalid platform '${s}' (expected os/arch[/variant], e.g. linux/amd64 or linux/arm/v7)`);
  }
  return variant ? { os, architecture, variant } : { os, architecture };
}

export const defaultPlatform: Platform = { os: 'linux', architecture: 'amd64' };

export function formatPlatform(p: Platform): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

/** Default variants, so `linux/arm64` matches an entry that says `linux/arm64/v8` and vice versa. */
function normalVariant(p: Platform): string {
  if (p.variant) return p.variant;
  if (p.architecture === 'arm64') return 'v8';
  return '';
}

export function platformMatches(want: Platform, have: Platform): boolean {
  if (want.os !== have.os || want.architecture !== have.architecture) return false;
  if (!want.variant) return true;
  return normalVariant(want) === normalVariant(have);
}

/** Picks the manifest for `platform` from an index; attestation manifests (unknown/unknown) are ignored. */
export function selectFromIndex(manifests: Descriptor[], platform: Platform, what: string): Descriptor {
  const candidates = manifests.filter((m) => m.platform && platformMatches(platform, m.platform));
  // Prefer an exact variant match, then entries without a variant.
  candidates.sort((a, b) => Number((b.platform?.variant ?? '') === (platform.variant ?? '')) - Number((a.platform?.variant ?? '') === (platform.variant ?? '')));
  const hit = candidates[0];
  if (hit) return hit;
  const noPlatform = manifests.filter((m) => !m.platform);
  if (noPlatform.length === 1 && manifests.length === 1 && noPlatform[0]) return noPlatform[0];
  const available = manifests
    .map((m) => (m.platform ? formatPlatform(m.platform) : '(none)'))
    .filter((p) => p !== 'unknown/unknown')
    .join(', ');
  throw new ImageError('platform', `${what}: no manifest for platform ${formatPlatform(platform)} (available: ${available || 'none'})`);
}

export interface ManifestSource {
  /** Fetches a manifest or index by descriptor, verified against its digest, within the manifest size limit. */
  fetchManifest(d: Descriptor): Promise<{ bytes: Buffer; mediaType?: string }>;
  /** Fetches a small blob (the config) by descriptor, verified against its digest. */
  fetchConfig(d: Descriptor): Promise<Buffer>;
}

export interface ResolvedImage {
  manifestDigest: string;
  configDigest: string;
  config: ImageConfig;
  layers: LayerRef[];
}

/**
 * From a root document (an index or a manifest) to the image manifest for `platform`, then its config and layers.
 * Layers are matched with the config's diff_ids, which identify them independently of compression.
 */
export async function resolveImage(
  root: { bytes: Buffer; mediaType?: string },
  src: ManifestSource,
  platform: Platform,
  limits: ImageLimits,
  what: string,
): Promise<ResolvedImage> {
  let bytes = root.bytes;
  let mediaType = root.mediaType;
  for (let depth = 0; ; depth++) {
    if (bytes.length > limits.maxManifestBytes) {
      throw new ImageError('limit', `${what}: manifest of ${bytes.length} bytes exceeds the ${limits.maxManifestBytes}-byte limit`);
    }
    const doc = parseDocument(bytes, what, mediaType);
    if (doc.kind === 'manifest') {
      return resolveManifest(sha256Digest(bytes), doc.manifest, src, limits, what);
    }
    if (depth >= 4) throw new ImageError('format', `${what}: indexes nested too deeply`);
    const chosen = selectFromIndex(doc.manifests, platform, what);
    const fetched = await src.fetchManifest(chosen);
    bytes = fetched.bytes;
    mediaType = fetched.mediaType ?? chosen.mediaType;
  }
}

export async function resolveManifest(
  manifestDigest: string,
  manifest: ParsedManifest,
  src: ManifestSource,
  limits: ImageLimits,
  what: string,
): Promise<ResolvedImage> {
  if (manifest.config.size > limits.maxConfigBytes) {
    throw new ImageError('limit', `${what}: config of ${manifest.config.size} bytes exceeds the ${limits.maxConfigBytes}-byte limit`);
  }
  const configBytes = await src.fetchConfig(manifest.config);
  const config = parseConfig(configBytes, what);
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (manifest.layers.length > limits.maxLayers) {
    throw new ImageError('limit', `${what}: ${manifest.layers.length} layers exceed the limit of ${limits.maxLayers}`);
  }
  if (diffIds.length !== manifest.layers.length) {
    throw new ImageError('format', `${what}: config lists ${diffIds.length} diff_ids for ${manifest.layers.length} layers`);
  }
  const layers = manifest.layers.map((l, i): LayerRef => ({
    digest: l.digest,
    size: l.size,
    mediaType: l.mediaType,
    diffId: checkDigest(diffIds[i], `${what} config diff_ids[${i}]`),
  }));
  return { manifestDigest, configDigest: manifest.config.digest, config, layers };
}

export function parseConfig(bytes: Buffer, what: string): ImageConfig {
  const c = parseJson(bytes, `${what} config`);
  if (!isRecord(c)) throw new ImageError('format', `${what}: config is not a JSON object`);
  const out: ImageConfig = {};
  if (typeof c['os'] === 'string') out.os = c['os'];
  if (typeof c['architecture'] === 'string') out.architecture = c['architecture'];
  if (typeof c['variant'] === 'string') out.variant = c['variant'];
  const r = c['rootfs'];
  if (isRecord(r)) {
    const ids = r['diff_ids'];
    out.rootfs = { diff_ids: Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [] };
    if (typeof r['type'] === 'string') out.rootfs.type = r['type'];
  }
  return out;
}
