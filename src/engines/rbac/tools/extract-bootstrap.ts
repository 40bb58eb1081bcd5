/**
 * Produces data/bootstrap-rbac-v1.34.json from the bootstrap RBAC objects served by a
 * Kubernetes v1.34 API server (a `kind: List` JSON): keeps the objects, strips
 * server-set metadata, and adds a header naming the source.
 *
 *   node --import tsx src/engines/rbac/tools/extract-bootstrap.ts <served.json> [out.json]
 *
 * (A development tool, not part of the engine: it is the only file here that does I/O.)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER_FIELDS = ['uid', 'resourceVersion', 'managedFields', 'creationTimestamp', 'generation', 'selfLink'];

type Obj = { kind: string; metadata?: Record<string, unknown>; [k: string]: unknown };

export function stripServerMetadata(o: Obj): Obj {
  const metadata = { ...(o.metadata ?? {}) };
  for (const f of SERVER_FIELDS) delete metadata[f];
  const { status: _status, ...rest } = o;
  return { ...rest, metadata };
}

const ORDER = ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'];

export function extractBootstrap(served: { items?: Obj[] }): Record<string, unknown> {
  const items = (served.items ?? [])
    .filter((o) => ORDER.includes(o.kind))
    .map(stripServerMetadata)
    .sort((a, b) => {
      const ka = `${ORDER.indexOf(a.kind)}/${String(a.metadata?.['namespace'] ?? '')}/${String(a.metadata?.['name'] ?? '')}`;
      const kb = `${ORDER.indexOf(b.kind)}/${String(b.metadata?.['namespace'] ?? '')}/${String(b.metadata?.['name'] ?? '')}`;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  return {
    apiVersion: 'v1',
    kind: 'List',
    source: {
      description: 'Kubernetes v1.34 bootstrap RBAC policy (roles and bindings labelled kubernetes.io/bootstrapping=rbac-defaults), as served by kube-apiserver v1.34.2 with aggregated rules filled in',
      project: 'https://github.com/kubernetes/kubernetes (plugin/pkg/auth/authorizer/rbac/bootstrappolicy)',
      license: 'Apache-2.0',
      kubernetesVersion: 'v1.34',
    },
    items,
  };
}

const here = fileURLToPath(import.meta.url);
if (process.argv[1] && path.resolve(process.argv[1]) === here) {
  const input = process.argv[2];
  if (!input) {
    process.stderr.write('usage: extract-bootstrap.ts <served-bootstrap.json> [out.json]\n');
    process.exitCode = 2;
  } else {
    const repoRoot = path.resolve(path.dirname(here), '../../../..');
    const out = process.argv[3] ?? path.join(repoRoot, 'data/bootstrap-rbac-v1.34.json');
    const data = extractBootstrap(JSON.parse(readFileSync(input, 'utf8')) as { items?: Obj[] });
    writeFileSync(out, `${JSON.stringify(data, null, 1)}\n`);
    process.stdout.write(`wrote ${(data['items'] as unknown[]).length} objects to ${out}\n`);
  }
}
