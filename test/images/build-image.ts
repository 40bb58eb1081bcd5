/** Builds small synthetic images (tar layers, OCI layouts, docker archives) for image-scanning tests. */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';

export interface TarEntrySpec {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  content?: string | Buffer;
  linkname?: string;
  /** Declared size for a header-only entry (content ignored). */
  size?: number;
}

export function sha256(b: Buffer): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

/** A tar archive of the given entries (in order). */
export async function makeTar(entries: TarEntrySpec[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (c: unknown) => {
      chunks.push(c as Buffer);
    });
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const e of entries) {
    const type = e.type ?? 'file';
    await new Promise<void>((resolve, reject) => {
      const cb = (err?: Error | null): void => (err ? reject(err) : resolve());
      if (type === 'file') pack.entry({ name: e.name, type, mode: 0o644 }, e.content ?? '', cb);
      else pack.entry({ name: e.name, type, linkname: e.linkname ?? '', mode: type === 'directory' ? 0o755 : 0o777 }, cb);
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

export interface BuiltImage {
  manifest: Buffer;
  manifestDigest: string;
  config: Buffer;
  configDigest: string;
  layers: Array<{ blob: Buffer; digest: string; diffId: string; mediaType: string }>;
}

/** Manifest + config + gzip layers for `layerTars`, in OCI or Docker v2 media types. */
export function buildImage(layerTars: Buffer[], opts: { docker?: boolean; architecture?: string; os?: string; gzip?: boolean } = {}): BuiltImage {
  const gz = opts.gzip ?? true;
  const layers = layerTars.map((t) => {
    const blob = gz ? gzipSync(t) : t;
    return {
      blob,
      digest: sha256(blob),
      diffId: sha256(t),
      mediaType: opts.docker
        ? 'application/vnd.docker.image.rootfs.diff.tar.gzip'
        : gz
          ? 'application/vnd.oci.image.layer.v1.tar+gzip'
          : 'application/vnd.oci.image.layer.v1.tar',
    };
  });
  const config = Buffer.from(
    JSON.stringify({
      architecture: opts.architecture ?? 'amd64',
      os: opts.os ?? 'linux',
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: opts.docker ? 'application/vnd.docker.distribution.manifest.v2+json' : 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: opts.docker ? 'application/vnd.docker.container.image.v1+json' : 'application/vnd.oci.image.config.v1+json',
        digest: sha256(config),
        size: config.length,
      },
      layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.blob.length })),
    }),
  );
  return { manifest, manifestDigest: sha256(manifest), config, configDigest: sha256(config), layers };
}

/** Writes an OCI image layout holding `img` under the tag `ref`. */
export function writeOciLayout(dir: string, img: BuiltImage, ref = 'latest'): void {
  const blobs = path.join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const put = (b: Buffer): void => writeFileSync(path.join(blobs, sha256(b).slice(7)), b);
  put(img.manifest);
  put(img.config);
  for (const l of img.layers) put(l.blob);
  writeFileSync(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    path.join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: img.manifestDigest,
          size: img.manifest.length,
          annotations: { 'org.opencontainers.image.ref.name': ref },
        },
      ],
    }),
  );
}

/** A docker-archive (`docker save`) tarball of `layerTars` (stored uncompressed, as docker does). */
export async function makeDockerArchive(layerTars: Buffer[], extra: TarEntrySpec[] = []): Promise<Buffer> {
  const img = buildImage(layerTars, { gzip: false });
  const cfgName = `${img.configDigest.slice(7)}.json`;
  const layerNames = img.layers.map((l) => `${l.diffId.slice(7)}/layer.tar`);
  return makeTar([
    ...extra,
    { name: cfgName, content: img.config },
    ...img.layers.map((l, i) => ({ name: layerNames[i] as string, content: l.blob })),
    { name: 'manifest.json', content: JSON.stringify([{ Config: cfgName, RepoTags: ['example/test:1'], Layers: layerNames }]) },
  ]);
}
