/** ClusterReader over @kubernetes/client-node: the thin adapter to a real API server. */
import { ClusterError, errorMessage } from '../core/errors.js';
import type { KubeObject } from '../core/types.js';
import type { ClusterReader } from './reader.js';

export interface KubernetesReaderOptions {
  /** kubeconfig file; default: KUBECONFIG, ~/.kube/config, or in-cluster. */
  kubeconfig?: string;
  context?: string;
}

/**
 * Connects to the cluster the kubeconfig names. The client library is loaded here, on
 * first use: it takes about a second to import, which no command that reads files should pay.
 */
export async function kubernetesReader(options: KubernetesReaderOptions = {}): Promise<ClusterReader> {
  const { KubeConfig, KubernetesObjectApi } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  try {
    if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
    else kc.loadFromDefault();
    if (options.context) kc.setCurrentContext(options.context);
  } catch (e: unknown) {
    throw new ClusterError(`cannot load kubeconfig: ${errorMessage(e)}`, { cause: e });
  }
  const context = kc.getCurrentContext();
  if (!context) throw new ClusterError('no current context in the kubeconfig (use --context)');
  const api = KubernetesObjectApi.makeApiClient(kc);
  return {
    context,
    async list(apiVersion, kind) {
      const out: KubeObject[] = [];
      let token: string | undefined;
      try {
        do {
          const page = await api.list(apiVersion, kind, undefined, undefined, undefined, undefined, undefined, undefined, 500, token);
          for (const item of page.items as unknown as KubeObject[]) {
            out.push({ ...item, apiVersion, kind, metadata: item.metadata ?? {} });
          }
          token = page.metadata?._continue || undefined;
        } while (token);
      } catch (e: unknown) {
        const msg = errorMessage(e);
        // A kind the server does not serve (an older cluster) or RBAC does not allow is skipped by the caller.
        throw new ClusterError(`listing ${kind} (${apiVersion}) failed: ${msg}`, { cause: e });
      }
      return out;
    },
  };
}
