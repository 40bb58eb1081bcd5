/** Bounds applied to every image read, so a hostile or broken image cannot exhaust memory, disk or time. */
export interface ImageLimits {
  /** Largest manifest or index document accepted (bytes). */
  maxManifestBytes: number;
  /** Largest image config accepted (bytes). */
  maxConfigBytes: number;
  /** Most layers in one image. */
  maxLayers: number;
  /** Most decompressed bytes in one layer. */
  maxLayerBytes: number;
  /** Most decompressed bytes over all layers. */
  maxImageBytes: number;
  /** Highest decompressed/compressed ratio tolerated once `ratioGraceBytes` have been decompressed. */
  maxCompressionRatio: number;
  /** Decompressed bytes allowed before the ratio check applies. */
  ratioGraceBytes: number;
  /** Largest single file buffered for a cataloger; larger ones are skipped with a warning. */
  maxFileBytes: number;
  /** Most bytes buffered for catalogers over the whole image. */
  maxBufferedBytes: number;
  /** Most tar entries over all layers. */
  maxEntries: number;
  /** Time allowed for a registry request to answer with headers (ms). */
  requestTimeoutMs: number;
  /** Time a response body may stall between chunks (ms). */
  idleTimeoutMs: number;
}

export const defaultImageLimits: ImageLimits = {
  maxManifestBytes: 4 * 1024 * 1024,
  maxConfigBytes: 8 * 1024 * 1024,
  maxLayers: 256,
  maxLayerBytes: 8 * 1024 ** 3,
  maxImageBytes: 32 * 1024 ** 3,
  maxCompressionRatio: 100,
  ratioGraceBytes: 64 * 1024 * 1024,
  maxFileBytes: 64 * 1024 * 1024,
  maxBufferedBytes: 512 * 1024 * 1024,
  maxEntries: 2_000_000,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 30_000,
};

export function resolveLimits(partial?: Partial<ImageLimits>): ImageLimits {
  return { ...defaultImageLimits, ...(partial ?? {}) };
}
