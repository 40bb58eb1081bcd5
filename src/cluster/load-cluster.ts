/** Reads the objects a scan needs from a cluster into resources, as the file loader does for manifests. */
import type { LoadProblem, Resource } from '../core/types.js';
import { loadText, redactSecret } from '../load/manifests.js';
import type { LoadResult } from '../load/manifests.js';
import { SCAN_KINDS, type ClusterReader } from './reader.js';
import { errorMessage } from '../core/errors.js';

/**
 * Lists every scanned kind. Each object becomes a resource whose source is
 * `cluster:<context>`; positions point into a YAML rendering of the object list, so
 * findings still carry a line. A kind that cannot be listed is a warning, not a failure.
 */
export async function loadCluster(reader: ClusterReader, kinds = SCAN_KINDS): Promise<LoadResult> {
  const problems: LoadProblem[] = [];
  const items: unknown[] = [];
  for (const [apiVersion, kind] of kinds) {
    try {
      for (const o of await reader.list(apiVersion, kind)) {
        // Server-side bookkeeping adds nothing to a security reading.
        const meta = { ...o.metadata };
        delete meta['managedFields'];
        const obj: Record<string, unknown> = { ...o, metadata: meta };
        // Secret values are dropped here, before anything else holds them.
        if (kind === 'Secret') redactSecret(obj);
        items.push(obj);
      }
    } catch (e: unknown) {
      problems.push({ file: `cluster:${reader.context}`, line: 1, column: 1, message: errorMessage(e), code: 'cluster', level: 'warning' });
    }
  }
  const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 1);
  const loaded = loadText(text, `cluster:${reader.context}`, { maxFileBytes: Number.MAX_SAFE_INTEGER });
  const resources: Resource[] = loaded.resources;
  return { resources, problems: [...problems, ...loaded.problems] };
}
