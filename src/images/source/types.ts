import type { Readable } from 'node:stream';

/** An OCI content descriptor. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** The parts of an image config kubeward reads. */
export interface ImageConfig {
  os?: string;
  architecture?: string;
  variant?: string;
  rootfs?: { type?: string; diff_ids?: string[] };
}

/** One layer of an opened image. */
export interface LayerRef {
  /** Digest of the blob as stored (compressed for OCI/registry; the uncompressed tar for docker-archive). */
  digest: string;
  /** Size of the stored blob in bytes (-1 when unknown). */
  size: number;
  mediaType: string;
  /** Digest of the uncompressed tar (from the config's rootfs.diff_ids), identical across sources. */
  diffId: string;
}

/** An image whose manifest and config have been read; layers are opened one at a time as streams. */
export interface OpenedImage {
  /** Human-readable reference (path, ref or registry reference). */
  reference: string;
  /** Digest of the image manifest bytes; for docker-archive, which has no manifest, the config digest. */
  manifestDigest: string;
  /** Digest of the image config (the image ID). */
  configDigest: string;
  config: ImageConfig;
  layers: LayerRef[];
  /** Opens the stored layer blob; the stream errors if its bytes do not match `layer.digest`. */
  openLayer(layer: LayerRef, signal?: AbortSignal): Promise<Readable>;
  /** Releases file handles and removes any temporary files. Always call it. */
  close(): Promise<void>;
}
