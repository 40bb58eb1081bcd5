/** Typed errors. Only the CLI renders them and maps them to exit codes. */

export type ErrorCode =
  | 'usage'
  | 'input.yaml'
  | 'input.json'
  | 'input.limit'
  | 'input.notFound'
  | 'input.notKubernetes'
  | 'config.invalid'
  | 'cluster'
  | 'image'
  | 'internal';

export interface ErrorLocation {
  file: string;
  line?: number;
  column?: number;
}

export class KubewardError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation | undefined;
  constructor(code: ErrorCode, message: string, location?: ErrorLocation, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KubewardError';
    this.code = code;
    this.location = location;
  }
}

export class UsageError extends KubewardError {
  constructor(message: string) {
    super('usage', message);
    this.name = 'UsageError';
  }
}

export class InputError extends KubewardError {
  constructor(code: ErrorCode, message: string, location?: ErrorLocation, options?: { cause?: unknown }) {
    super(code, message, location, options);
    this.name = 'InputError';
  }
}

export class ConfigError extends KubewardError {
  constructor(message: string, location?: ErrorLocation) {
    super('config.invalid', message, location);
    this.name = 'ConfigError';
  }
}

export class ClusterError extends KubewardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('cluster', message, undefined, options);
    this.name = 'ClusterError';
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
