import { KubewardError } from '../../core/errors.js';

/** Why an image could not be read. */
export type ImageErrorReason =
  | 'format'
  | 'notFound'
  | 'limit'
  | 'traversal'
  | 'symlink'
  | 'hardlink'
  | 'digest'
  | 'timeout'
  | 'auth'
  | 'network'
  | 'platform'
  | 'unsupported'
  | 'aborted';

/** Any failure reading an image: a bad or hostile archive, a registry error, a limit hit. */
export class ImageError extends KubewardError {
  readonly reason: ImageErrorReason;
  constructor(reason: ImageErrorReason, message: string, options?: { cause?: unknown }) {
    super('image', message, undefined, options);
    this.name = 'ImageError';
    this.reason = reason;
  }
}
