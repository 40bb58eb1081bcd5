/**
 * The Kubernetes v1.34 bootstrap RBAC objects shipped as data (data/bootstrap-rbac-v1.34.json,
 * Apache-2.0, see its `source` header), for `--with-default-roles`. Read at runtime from
 * the package root, found by walking up from this module (works from src/ and dist/).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../core/types.js';
import { InputError } from '../core/errors.js';

export const BOOTSTRAP_RBAC_FILE = 'data/bootstrap-rbac-v1.34.json';

let cached: KubeObject[] | undefined;

export function bootstrapRbacPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, BOOTSTRAP_RBAC_FILE);
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new InputError('input.notFound', `${BOOTSTRAP_RBAC_FILE} not found in the kubeward package`);
}

/** The bootstrap Roles, ClusterRoles and bindings (read once, then cached; callers must not mutate them). */
export function loadBootstrapRbac(): KubeObject[] {
  if (cached) return cached;
  const file = bootstrapRbacPath();
  const data = JSON.parse(readFileSync(file, 'utf8')) as { items?: KubeObject[] };
  cached = Array.isArray(data.items) ? data.items : [];
  return cached;
}
