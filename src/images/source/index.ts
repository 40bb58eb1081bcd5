/** Opening an image from any supported source. */
import { openDockerArchive } from './docker-archive.js';
import { dockerConfigCredentials } from './docker-config.js';
import { DirTree } from './file-tree.js';
import type { ImageLimits } from './limits.js';
import { defaultPlatform, parsePlatform } from './manifest.js';
import { openOciLayout } from './oci-layout.js';
import { parseReference } from './reference.js';
import { openRegistry } from './registry.js';
import { TarTree } from './tar-tree.js';
import type { OpenedImage } from './types.js';
import path from 'node:path';

export type ImageSourceSpec =
  | { kind: 'oci-layout'; path: string; ref?: string }
  | { kind: 'oci-archive'; path: string }
  | { kind: 'docker-archive'; path: string }
  | { kind: 'registry'; ref: string; insecure?: boolean; platform?: string }
  | { kind: 'directory'; path: string };

export interface OpenImageOptions {
  limits: ImageLimits;
  signal?: AbortSignal;
  /** Docker client config to read registry credentials from (default `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`). */
  dockerConfigPath?: string;
}

/** Opens an image (not a directory): manifest and config are read and checked; layers are read later as streams. */
export async function openImage(src: Exclude<ImageSourceSpec, { kind: 'directory' }>, opts: OpenImageOptions): Promise<OpenedImage> {
  const { limits } = opts;
  switch (src.kind) {
    case 'oci-layout': {
      const root = path.resolve(src.path);
      return openOciLayout(new DirTree(root), src.ref, defaultPlatform, limits, `oci:${src.path}${src.ref ? `:${src.ref}` : ''}`);
    }
    case 'oci-archive': {
      const tree = await TarTree.openFile(src.path, limits);
      try {
        return await openOciLayout(tree, undefined, defaultPlatform, limits, `oci-archive:${src.path}`);
      } catch (e: unknown) {
        await tree.close();
        throw e;
      }
    }
    case 'docker-archive': {
      const tree = await TarTree.openFile(src.path, limits);
      try {
        return await openDockerArchive(tree, undefined, limits, `docker-archive:${src.path}`);
      } catch (e: unknown) {
        await tree.close();
        throw e;
      }
    }
    case 'registry': {
      const ref = parseReference(src.ref);
      const platform = src.platform ? parsePlatform(src.platform) : defaultPlatform;
      const credentials = dockerConfigCredentials(ref.registry, opts.dockerConfigPath);
      return openRegistry(ref, platform, {
        limits,
        ...(src.insecure ? { insecure: true } : {}),
        ...(credentials ? { credentials } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    }
  }
}
