/** Image references: `[registry[:port]/]repository[:tag][@sha256:…]`, with Docker Hub defaults. */
import { ImageError } from './errors.js';

export interface ImageReference {
  /** Registry host[:port] as written (docker.io for Docker Hub). */
  registry: string;
  /** Host[:port] the API is served from (registry-1.docker.io for Docker Hub). */
  apiHost: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const REPO_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;

export function parseReference(ref: string): ImageReference {
  let rest = ref.replace(/^docker:\/\//, '');
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^sha256:[a-f0-9]{64}$/.test(digest)) throw new ImageError('format', `image reference '${ref}': invalid digest`);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) throw new ImageError('format', `image reference '${ref}': invalid tag '${tag}'`);
  }
  let registry = 'docker.io';
  const slash = rest.indexOf('/');
  const first = slash === -1 ? '' : rest.slice(0, slash);
  if (first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    rest = rest.slice(slash + 1);
  }
  if (registry === 'index.docker.io') registry = 'docker.io';
  if (registry === 'docker.io' && !rest.includes('/')) rest = `library/${rest}`;
  if (!REPO_RE.test(rest)) throw new ImageError('format', `image reference '${ref}': invalid repository '${rest}'`);
  if (tag === undefined && digest === undefined) tag = 'latest';
  const out: ImageReference = { registry, apiHost: registry === 'docker.io' ? 'registry-1.docker.io' : registry, repository: rest };
  if (tag !== undefined) out.tag = tag;
  if (digest !== undefined) out.digest = digest;
  return out;
}

export function formatReference(r: ImageReference): string {
  return `${r.registry}/${r.repository}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}
