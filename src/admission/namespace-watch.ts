/**
 * Where namespace labels (the Pod Security Admission labels) come from: a static map
 * (`admission test --namespace-labels`), nothing at all (the policy file decides), or the
 * API server, watched through a thin adapter over @kubernetes/client-node. The watched
 * source is written against the small `NamespaceWatch` interface so it is tested with an
 * in-memory implementation; the client library is loaded only when actually in a cluster.
 */
import { existsSync } from 'node:fs';
import type { V1Namespace } from '@kubernetes/client-node';

export interface NamespaceSource {
  /** The labels of a namespace, or undefined when the namespace is not known. */
  labels(name: string): Readonly<Record<string, string>> | undefined;
  /** False until the first full list has arrived (the webhook reports not-ready until then). */
  ready(): boolean;
  close(): Promise<void>;
}

/** Labels known up front (or none): always ready. */
export class StaticNamespaceSource implements NamespaceSource {
  private readonly map: ReadonlyMap<string, Readonly<Record<string, string>>>;
  constructor(map: Readonly<Record<string, Readonly<Record<string, string>>>> = {}) {
    this.map = new Map(Object.entries(map));
  }
  labels(name: string): Readonly<Record<string, string>> | undefined {
    return this.map.get(name);
  }
  ready(): boolean {
    return true;
  }
  async close(): Promise<void> {}
}

export interface NamespaceEvent {
  type: 'add' | 'update' | 'delete';
  name: string;
  labels: Record<string, string>;
}

/** A list-then-watch of namespaces. `start` resolves once the initial list was delivered. */
export interface NamespaceWatch {
  start(onEvent: (e: NamespaceEvent) => void, onError: (err: unknown) => void): Promise<void>;
  stop(): Promise<void>;
}

export interface WatchedSourceOptions {
  /** Delay before restarting a failed watch. */
  retryMs?: number;
  onError?: (err: unknown) => void;
}

/** Namespace labels kept current from a `NamespaceWatch`; restarts the watch after errors. */
export class WatchedNamespaceSource implements NamespaceSource {
  private readonly cache = new Map<string, Readonly<Record<string, string>>>();
  private synced = false;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  private readonly retryMs: number;

  constructor(
    private readonly watch: NamespaceWatch,
    private readonly options: WatchedSourceOptions = {},
  ) {
    this.retryMs = options.retryMs ?? 5000;
  }

  /** Starts the watch; resolves after the initial list (or rejects when it fails). */
  async start(): Promise<void> {
    await this.watch.start(
      (e) => this.apply(e),
      (err) => this.failed(err),
    );
    this.synced = true;
  }

  labels(name: string): Readonly<Record<string, string>> | undefined {
    return this.cache.get(name);
  }

  ready(): boolean {
    return this.synced;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.watch.stop();
  }

  private apply(e: NamespaceEvent): void {
    if (e.type === 'delete') this.cache.delete(e.name);
    else this.cache.set(e.name, { ...e.labels });
  }

  private failed(err: unknown): void {
    this.options.onError?.(err);
    if (this.closed || this.retry) return;
    // Cached labels stay in use while the watch is down; they are at worst a few seconds old.
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (this.closed) return;
      this.watch.start((e) => this.apply(e), (e2) => this.failed(e2)).catch((e3: unknown) => this.failed(e3));
    }, this.retryMs);
    this.retry.unref();
  }
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** True when running in a pod with API access (service host set and a token mounted). */
export function inCluster(env: Readonly<Record<string, string | undefined>>, tokenDir = SERVICE_ACCOUNT_DIR): boolean {
  return Boolean(env['KUBERNETES_SERVICE_HOST']) && existsSync(`${tokenDir}/token`);
}

interface NamespaceLike {
  metadata?: { name?: string; labels?: Record<string, string> };
}

/** The @kubernetes/client-node adapter: an informer on /api/v1/namespaces with the in-cluster config. */
export async function kubeNamespaceWatch(): Promise<NamespaceWatch> {
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  kc.loadFromCluster();
  const core = kc.makeApiClient(k8s.CoreV1Api);
  let informer: { stop(): Promise<void> } | undefined;
  return {
    async start(onEvent, onError) {
      const inf = k8s.makeInformer<V1Namespace>(kc, '/api/v1/namespaces', () => core.listNamespace());
      informer = inf;
      const emit = (type: NamespaceEvent['type']) => (ns: NamespaceLike) => {
        const name = ns.metadata?.name;
        if (name) onEvent({ type, name, labels: ns.metadata?.labels ?? {} });
      };
      inf.on('add', emit('add'));
      inf.on('update', emit('update'));
      inf.on('delete', emit('delete'));
      inf.on('error', onError);
      await inf.start();
    },
    async stop() {
      await informer?.stop();
    },
  };
}
