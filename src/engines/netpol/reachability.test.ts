/** The lazy reachability check gives the same answers as the connection list, on random worlds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { KubeObject } from '../../core/types.js';
import { analyzeObjects, type AnalyzeOptions } from './index.js';
import { intersect, ALL, EMPTY, formatConn, type ConnSet } from './conn.js';
import { reachableFromEverything } from './reachability.js';

const LABELS = ['web', 'api', 'db'];

function world(seed: number[], hostPods = false): KubeObject[] {
  let i = 0;
  const next = (n: number): number => (seed[i++ % seed.length] as number) % n;
  const objects: KubeObject[] = [];
  for (const ns of ['a', 'b', 'c']) {
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { team: ns } } });
    for (const app of LABELS) {
      objects.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: app, namespace: ns },
        spec: {
          selector: { matchLabels: { app } },
          template: {
            metadata: { labels: { app } },
            spec: { ...(hostPods && next(4) === 0 ? { hostNetwork: true } : {}), containers: [{ name: app, image: 'x', ports: [{ name: 'http', containerPort: 80 + next(3) }] }] },
          },
        },
      });
    }
    const policies = next(4);
    for (let p = 0; p < policies; p++) {
      const types = [['Ingress'], ['Egress'], ['Ingress', 'Egress']][next(3)] as string[];
      // Peers from narrow to every pod (`namespaceSelector: {}`); rules open to every peer, on some ports or all.
      const rule = (): Record<string, unknown> => {
        const peers = [
          {},
          { podSelector: { matchLabels: { app: LABELS[next(3)] } } },
          { namespaceSelector: { matchLabels: { team: ['a', 'b'][next(2)] } } },
          { ipBlock: { cidr: '0.0.0.0/0' } },
          { namespaceSelector: {} },
          { podSelector: {} },
        ];
        const peer = peers[next(peers.length)];
        const ports = next(2) ? { ports: [{ port: [80, 81, 'http'][next(3)] }] } : {};
        const shape = next(4);
        return shape === 0 ? {} : shape === 1 ? { ports: [{ port: [80, 81, 'http'][next(3)] }] } : { from: [peer], to: [peer], ...ports };
      };
      const rules = (): Array<Record<string, unknown>> => Array.from({ length: 1 + next(2) }, rule);
      const spec: Record<string, unknown> = { podSelector: next(2) ? {} : { matchLabels: { app: LABELS[next(3)] } }, policyTypes: types };
      if (types.includes('Ingress') && next(3) > 0) spec['ingress'] = rules();
      if (types.includes('Egress') && next(3) > 0) spec['egress'] = rules();
      objects.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `p${p}`, namespace: ns }, spec });
    }
  }
  return objects;
}

/** The definition, straight from the workload connection list. */
function bruteForce(objects: KubeObject[], options: AnalyzeOptions = {}): Map<string, string> {
  const { model, connections } = analyzeObjects(objects, options);
  const out = new Map<string, string>();
  for (const w of model.workloads) {
    let common: ConnSet = ALL;
    const incoming = connections.filter((c) => c.dst === w.id);
    for (const o of model.workloads) {
      if (o === w) continue;
      const c = incoming.find((x) => x.src === o.id);
      common = c ? intersect(common, c.conn) : EMPTY;
    }
    const external = incoming.filter((c) => c.src.endsWith('[External]'));
    const { extIn } = { extIn: analyzeObjects(objects, options).connectivity.extIn };
    if (external.length < extIn.length) common = EMPTY;
    for (const c of external) common = intersect(common, c.conn);
    if (common !== EMPTY) out.set(w.id, formatConn(common));
  }
  return out;
}

test('lazy reachability equals the brute-force definition', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 5, maxLength: 40 }), (seed) => {
      const objects = world(seed);
      const { model } = analyzeObjects(objects);
      const lazy = new Map(reachableFromEverything(model).map((r) => [r.workload.id, formatConn(r.conn)]));
      assert.deepEqual(lazy, bruteForce(objects));
    }),
    { numRuns: 300 },
  );
});

test('lazy reachability equals the brute-force definition with host-network pods never isolated', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 5, maxLength: 40 }), (seed) => {
      const objects = world(seed, true);
      const options: AnalyzeOptions = { hostNetwork: 'node' };
      const { model } = analyzeObjects(objects, options);
      const lazy = new Map(reachableFromEverything(model).map((r) => [r.workload.id, formatConn(r.conn)]));
      assert.deepEqual(lazy, bruteForce(objects, options));
    }),
    { numRuns: 300 },
  );
});

/** Namespace `a` with web, api and db, and one policy on db with the given ingress rules. */
function guardedDb(ingress: unknown[]): KubeObject[] {
  const objects: KubeObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }];
  for (const app of LABELS) {
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: app, namespace: 'a' },
      spec: { selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: app, image: 'x' }] } } },
    });
  }
  objects.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'db', namespace: 'a' },
    spec: { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress },
  });
  return objects;
}

test('sources no specific peer matches share the ports of the open rules; the others count one by one', () => {
  const anywhere = { from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] };
  const cases: Array<{ name: string; ingress: unknown[]; db: string | undefined }> = [
    // api matches no peer: it gets 80 only, although web and external addresses get 81 too.
    { name: 'a narrow peer', ingress: [{ ...anywhere, ports: [{ port: 81 }] }, { from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 81 }] }, { ports: [{ port: 80 }] }], db: 'TCP 80' },
    // A peer matching every pod counts for every pod source.
    { name: 'a peer matching every pod', ingress: [{ ...anywhere, ports: [{ port: 81 }] }, { from: [{ namespaceSelector: {} }], ports: [{ port: 81 }] }, { ports: [{ port: 80 }] }], db: 'TCP 80-81' },
    // Every source matches some peer: no shared ports, each source decides.
    { name: 'every source matched', ingress: [anywhere, { from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 81 }] }, { from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 81 }, { port: 82 }] }], db: 'TCP 81' },
    { name: 'every source matched, nothing in common', ingress: [anywhere, { from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 81 }] }, { from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 82 }] }], db: undefined },
  ];
  for (const c of cases) {
    const objects = guardedDb(c.ingress);
    const { model } = analyzeObjects(objects);
    const lazy = new Map(reachableFromEverything(model).map((r) => [r.workload.id, formatConn(r.conn)]));
    assert.deepEqual(lazy, bruteForce(objects), c.name);
    assert.equal(lazy.get('a/db[Deployment]'), c.db, c.name);
  }
});
