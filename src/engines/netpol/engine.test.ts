import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import type { KubeObject } from '../../core/types.js';
import { loadPaths } from '../../load/index.js';
import {
  ALL,
  EMPTY,
  analyzeObjects,
  checkIntents,
  classConn,
  classToExternal,
  diffConnections,
  evaluatePair,
  evaluateDirection,
  subtract,
  type Endpoint,
  explainConnection,
  externalToClass,
  formatConn,
  isSubset,
  netpolFindings,
  parseConn,
  parseIntents,
  parseSelectorText,
  podEndpoint,
  portRange,
  renderConnections,
  renderMatrix,
  renderDiff,
  connectivityMatrix,
  suggestPolicies,
  hostCandidates,
  serviceReferences,
  union,
  type Analysis,
  type ConnSet,
} from './index.js';
import { cutUniverse, formatRange, parseCidr, parseRangeText, IPV4_ALL, type IpRange } from './ip.js';
import { connections, externalPeerName, INGRESS_CONTROLLER, writeConnections, writeMatrix, type Connection } from './list.js';
import { connectionChanges, writeDiff } from './diff.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const ns = (name: string, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const deploy = (namespace: string, name: string, labels: Record<string, string>, ports: Array<{ name?: string; containerPort: number; protocol?: string }> = []): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'c', ports }] } } },
});
const netpol = (namespace: string, name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });

function conn(a: Analysis, src: string, dst: string): string {
  return formatConn(a.connections.find((c) => c.src === src && c.dst === dst)?.conn ?? EMPTY);
}

test('conn sets: format, parse, algebra', () => {
  const c = union(portRange('TCP', 80, 80), union(portRange('TCP', 8080, 8090), portRange('UDP', 53, 53)));
  assert.equal(formatConn(c), 'TCP 80,8080-8090,UDP 53');
  assert.equal(parseConn('TCP 80,8080-8090,UDP 53'), c);
  assert.equal(formatConn(ALL), 'All Connections');
  assert.equal(parseConn('SCTP 1-65535,TCP 1-65535,UDP 1-65535'), ALL);
  assert.equal(formatConn(union(portRange('TCP', 1, 79), portRange('TCP', 80, 100))), 'TCP 1-100');
  assert.ok(isSubset(portRange('TCP', 81, 82), portRange('TCP', 80, 100)));
});

test('ip ranges: IPv4 and IPv6 CIDRs, cuts, formatting', () => {
  assert.equal(formatRange(parseCidr('10.0.0.0/8')!), '10.0.0.0-10.255.255.255');
  assert.equal(formatRange(parseCidr('2001:db8::/32')!), '2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff');
  const cuts = cutUniverse([IPV4_ALL], [parseCidr('10.0.0.0/8')!]);
  assert.deepEqual(cuts.map(formatRange), ['0.0.0.0-9.255.255.255', '10.0.0.0-10.255.255.255', '11.0.0.0-255.255.255.255']);
});

test('policy semantics: isolation per direction, AND vs OR peers, named ports, endPort, ipBlock except', () => {
  const objs = [
    ns('a', { team: 'x' }),
    ns('b', { team: 'y' }),
    deploy('a', 'web', { app: 'web' }, [{ name: 'http', containerPort: 8080 }]),
    deploy('a', 'db', { app: 'db' }, [{ name: 'pg', containerPort: 5432 }]),
    deploy('b', 'web', { app: 'web' }),
    deploy('b', 'job', { app: 'job' }),
    // db: ingress only from app=web in namespaces team=x (AND), on the named port.
    netpol('a', 'db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'x' } }, podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'pg' }] }] }),
    // web in a: ingress from app=job anywhere OR namespace team=x (OR), on a port range.
    netpol('a', 'web', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'job' } } }, { namespaceSelector: { matchLabels: { team: 'x' } } }], ports: [{ protocol: 'TCP', port: 8000, endPort: 8100 }] }],
    }),
    // b/job: egress only to 10.0.0.0/8 except 10.1.0.0/16 (policyTypes defaulted to Ingress+Egress).
    netpol('b', 'job', { podSelector: { matchLabels: { app: 'job' } }, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }] }),
  ];
  const a = analyzeObjects(objs);
  assert.equal(conn(a, 'a/web[Deployment]', 'a/db[Deployment]'), 'TCP 5432');
  assert.equal(conn(a, 'b/web[Deployment]', 'a/db[Deployment]'), 'No Connections', 'namespace selector ANDed with pod selector');
  assert.equal(conn(a, 'a/db[Deployment]', 'a/web[Deployment]'), 'TCP 8000-8100', 'namespace team=x alternative');
  assert.equal(conn(a, 'b/job[Deployment]', 'a/web[Deployment]'), 'No Connections', 'job egress is isolated to the ipBlock');
  assert.equal(conn(a, 'b/web[Deployment]', 'a/web[Deployment]'), 'No Connections');
  assert.equal(conn(a, 'b/job[Deployment]', '10.0.0.0-10.0.255.255[External]'), 'All Connections');
  assert.equal(conn(a, 'b/job[Deployment]', '10.1.0.0-10.1.255.255[External]'), 'No Connections');
  assert.equal(conn(a, 'b/job[Deployment]', '10.2.0.0-10.255.255.255[External]'), 'All Connections');
  // Without policyTypes a policy always isolates ingress: job accepts nothing.
  assert.equal(conn(a, 'a/db[Deployment]', 'b/job[Deployment]'), 'No Connections');
});

test('policyTypes defaulting: a policy with only egress rules isolates ingress too', () => {
  const a = analyzeObjects([ns('n'), deploy('n', 'a', { app: 'a' }), deploy('n', 'b', { app: 'b' }), netpol('n', 'p', { podSelector: { matchLabels: { app: 'b' } }, egress: [{}] })]);
  assert.equal(conn(a, 'n/a[Deployment]', 'n/b[Deployment]'), 'No Connections');
  assert.equal(conn(a, 'n/b[Deployment]', 'n/a[Deployment]'), 'All Connections');
});

test('IPv6 ipBlocks are evaluated and reported with --ipv6', () => {
  const objs = [ns('n'), deploy('n', 'a', { app: 'a' }), netpol('n', 'p', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } }] }] })];
  const a = analyzeObjects(objs, { ipv6: true });
  assert.equal(conn(a, 'n/a[Deployment]', '2001:db8::-2001:db8:0:ffff:ffff:ffff:ffff:ffff[External]'), 'All Connections');
  assert.equal(conn(a, 'n/a[Deployment]', '2001:db8:1::-2001:db8:1:ffff:ffff:ffff:ffff:ffff[External]'), 'No Connections');
  assert.equal(conn(a, 'n/a[Deployment]', '0.0.0.0-255.255.255.255[External]'), 'No Connections');
});

test('hostNetwork pods: like any pod by default, never isolated in node mode', () => {
  const hn = { ...deploy('n', 'h', { app: 'h' }) };
  (hn as unknown as { spec: { template: { spec: Record<string, unknown> } } }).spec.template.spec['hostNetwork'] = true;
  const objs = [ns('n'), hn, deploy('n', 'a', { app: 'a' }), netpol('n', 'deny', { podSelector: {}, policyTypes: ['Ingress'] })];
  assert.equal(conn(analyzeObjects(objs), 'n/a[Deployment]', 'n/h[Deployment]'), 'No Connections');
  assert.equal(conn(analyzeObjects(objs, { hostNetwork: 'node' }), 'n/a[Deployment]', 'n/h[Deployment]'), 'All Connections');
});

// ---- random worlds for property tests -------------------------------------------------------

const LABELS = ['a', 'b', 'c'];
const arbSelector = fc.oneof(
  fc.constant({}),
  fc.record({ matchLabels: fc.record({ app: fc.constantFrom(...LABELS) }) }),
  fc.record({ matchExpressions: fc.tuple(fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'), fc.constantFrom(...LABELS)).map(([op, v]) => [{ key: 'app', operator: op, values: op === 'In' || op === 'NotIn' ? [v] : [] }]) }),
);
const arbNsSelector = fc.oneof(fc.constant({}), fc.record({ matchLabels: fc.record({ env: fc.constantFrom('prod', 'dev') }) }));
const arbPeer = fc.oneof(
  fc.record({ podSelector: arbSelector }),
  fc.record({ namespaceSelector: arbNsSelector }),
  fc.record({ podSelector: arbSelector, namespaceSelector: arbNsSelector }),
  fc.record({ ipBlock: fc.constantFrom({ cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] }, { cidr: '10.0.0.0/8' }, { cidr: '192.168.0.0/16', except: ['192.168.1.0/24'] }) }),
);
const arbPort = fc.oneof(
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP'), port: fc.constantFrom(80, 443, 53, 8080) }),
  fc.record({ protocol: fc.constant('TCP'), port: fc.constant(8000), endPort: fc.constant(8100) }),
  fc.record({ port: fc.constantFrom('http', 'dns') }),
  fc.record({ protocol: fc.constant('UDP') }),
);
const arbRule = fc.record({ peers: fc.option(fc.array(arbPeer, { maxLength: 2 }), { nil: undefined }), ports: fc.option(fc.array(arbPort, { maxLength: 2 }), { nil: undefined }) });
const ruleObj = (r: { peers?: unknown[] | undefined; ports?: unknown[] | undefined }, field: 'from' | 'to'): Record<string, unknown> => {
  const o: Record<string, unknown> = {};
  if (r.peers) o[field] = r.peers;
  if (r.ports) o['ports'] = r.ports;
  return o;
};
const arbPolicy = fc.record({
  ns: fc.constantFrom('p', 'd'),
  podSelector: arbSelector,
  ingress: fc.option(fc.array(arbRule, { maxLength: 2 }), { nil: undefined }),
  egress: fc.option(fc.array(arbRule, { maxLength: 2 }), { nil: undefined }),
  types: fc.constantFrom(undefined, ['Ingress'], ['Egress'], ['Ingress', 'Egress']),
});
type ArbPolicy = typeof arbPolicy extends fc.Arbitrary<infer T> ? T : never;
const policyObj = (p: ArbPolicy, i: number): KubeObject => {
  const spec: Record<string, unknown> = { podSelector: p.podSelector };
  if (p.ingress) spec['ingress'] = p.ingress.map((r) => ruleObj(r, 'from'));
  if (p.egress) spec['egress'] = p.egress.map((r) => ruleObj(r, 'to'));
  if (p.types) spec['policyTypes'] = p.types;
  return netpol(p.ns, `np${i}`, spec);
};
const arbWorld = fc.record({
  pods: fc.array(fc.record({ ns: fc.constantFrom('p', 'd'), app: fc.constantFrom(...LABELS), port: fc.constantFrom(80, 8080, 53) }), { minLength: 2, maxLength: 5 }),
  policies: fc.array(arbPolicy, { maxLength: 4 }),
});
type World = typeof arbWorld extends fc.Arbitrary<infer T> ? T : never;
const worldObjects = (w: World, extra: KubeObject[] = []): KubeObject[] => [
  ns('p', { env: 'prod' }),
  ns('d', { env: 'dev' }),
  ...w.pods.map((p, i) => deploy(p.ns, `w${i}`, { app: p.app }, [{ name: p.port === 53 ? 'dns' : 'http', containerPort: p.port, protocol: p.port === 53 ? 'UDP' : 'TCP' }])),
  ...w.policies.map(policyObj),
  ...extra,
];
const pairMap = (a: Analysis): Map<string, ConnSet> => new Map(a.connections.map((c) => [`${c.src} ${c.dst}`, c.conn]));

test('property: the fast path equals the reference evaluator on every class pair and external range', () => {
  fc.assert(
    fc.property(arbWorld, (w) => {
      const a = analyzeObjects(worldObjects(w));
      const { model, connectivity: cx } = a;
      for (const s of model.classes) {
        for (const d of model.classes) assert.equal(classConn(cx, s.index, d.index), evaluatePair(model, podEndpoint(model, s), podEndpoint(model, d)).conn);
        cx.extOut.forEach((r, y) => assert.equal(classToExternal(cx, s.index, y), evaluatePair(model, podEndpoint(model, s), { type: 'ip', range: r }).conn));
        cx.extIn.forEach((r, x) => assert.equal(externalToClass(cx, x, s.index), evaluatePair(model, { type: 'ip', range: r }, podEndpoint(model, s)).conn));
      }
    }),
    { numRuns: 150 },
  );
});

test('property: the connection list is every allowed pair once, sorted by src then dst; the streamed renderings equal the whole ones', () => {
  fc.assert(
    fc.property(arbWorld, (w) => {
      const a = analyzeObjects(worldObjects(w));
      const list = a.connections;
      for (let i = 1; i < list.length; i++) {
        const p = list[i - 1] as Connection;
        const c = list[i] as Connection;
        assert.ok(p.src < c.src || (p.src === c.src && p.dst < c.dst), `${p.src} => ${p.dst} before ${c.src} => ${c.dst}`);
      }
      // Pairs, straight from the class-level connectivity.
      const { model, connectivity: cx } = a;
      let pairs = 0;
      for (const w1 of model.workloads)
        for (const w2 of model.workloads) {
          if (w1 === w2) continue;
          let conn = EMPTY;
          for (const x of w1.classes) for (const y of w2.classes) conn = union(conn, classConn(cx, x, y));
          if (conn === EMPTY) continue;
          pairs++;
          assert.equal(list.find((c) => c.src === w1.id && c.dst === w2.id)?.conn, conn);
        }
      assert.equal(list.filter((c) => !c.src.endsWith('[External]') && !c.dst.endsWith('[External]') && c.src !== INGRESS_CONTROLLER).length, pairs);
      for (const format of ['txt', 'json', 'csv', 'md'] as const) {
        const pieces: string[] = [];
        writeConnections(cx, format, (piece) => pieces.push(piece));
        assert.equal(pieces.join(''), renderConnections(list, format), format);
      }
      const records = list.map((c) => ({ src: c.src, dst: c.dst, conn: formatConn(c.conn) }));
      assert.equal(renderConnections(list, 'json'), `${JSON.stringify(records, null, 2)}\n`);
      assert.equal(renderConnections(list, 'txt'), records.map((r) => `${r.src} => ${r.dst} : ${r.conn}\n`).join(''));
    }),
    { numRuns: 100 },
  );
});

test('property: the diff of two worlds, walked in step, equals the diff of their whole lists in both renderings', () => {
  fc.assert(
    fc.property(arbWorld, arbWorld, (w1, w2) => {
      const a = analyzeObjects(worldObjects(w1));
      const b = analyzeObjects(worldObjects(w2));
      const whole = diffConnections(a.connections, b.connections);
      for (const format of ['txt', 'json'] as const) {
        const pieces: string[] = [];
        const counts = writeDiff(() => connectionChanges(connections(a.connectivity), connections(b.connectivity)), format, (p) => pieces.push(p));
        assert.deepEqual(counts, { added: whole.added.length, removed: whole.removed.length, changed: whole.changed.length });
        const txt = [
          ...whole.added.map((c) => `+ ${c.src} => ${c.dst} : ${c.new}`),
          ...whole.removed.map((c) => `- ${c.src} => ${c.dst} : ${c.old}`),
          ...whole.changed.map((c) => `~ ${c.src} => ${c.dst} : ${c.old} -> ${c.new}`),
          `${whole.added.length} added, ${whole.removed.length} removed, ${whole.changed.length} changed`,
        ].join('\n');
        assert.equal(pieces.join(''), format === 'json' ? `${JSON.stringify(whole, null, 2)}\n` : `${txt}\n`, format);
        if (format === 'txt') assert.equal(renderDiff(whole), `${txt}\n`);
        // Past the bound on what is kept, the removed and changed ones are found again: same text.
        const again: string[] = [];
        writeDiff(() => connectionChanges(connections(a.connectivity), connections(b.connectivity)), format, (p) => again.push(p), 1);
        assert.equal(again.join(''), pieces.join(''), `${format}, keeping one`);
      }
      const self = diffConnections(a.connections, a.connections);
      assert.deepEqual(self, { added: [], removed: [], changed: [] });
    }),
    { numRuns: 100 },
  );
});

/** The matrix renderings as they were first written (whole strings), as the reference. */
function referenceMatrix(m: { peers: string[]; cells: string[][] }, format: 'txt' | 'csv' | 'json'): string {
  const cell = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  if (format === 'json') return `${JSON.stringify(m, null, 2)}\n`;
  if (format === 'csv') return `${[['src\\dst', ...m.peers].map(cell).join(','), ...m.peers.map((p, i) => [p, ...(m.cells[i] as string[])].map(cell).join(','))].join('\n')}\n`;
  const short = (s: string): string => (s === '' ? '-' : s === 'All Connections' ? 'all' : s);
  const header = ['', ...m.peers.map((_, j) => `[${j + 1}]`)];
  const rows = m.peers.map((p, i) => [`[${i + 1}] ${p}`, ...(m.cells[i] as string[]).map((c, j) => (i === j ? '·' : short(c)))]);
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => (r[k] as string).length)));
  const fmt = (r: string[]): string => r.map((c, k) => c.padEnd(widths[k] as number)).join('  ').trimEnd();
  return `${[fmt(header), ...rows.map(fmt)].join('\n')}\n`;
}

test('property: the matrix written a row at a time equals the whole matrix, in every format', () => {
  fc.assert(
    fc.property(arbWorld, fc.boolean(), (w, external) => {
      const a = analyzeObjects(worldObjects(w));
      const m = connectivityMatrix(a.connections, external);
      for (const format of ['txt', 'csv', 'json'] as const) {
        const pieces: string[] = [];
        writeMatrix(a.connectivity, external, format, (p) => pieces.push(p));
        assert.equal(pieces.join(''), referenceMatrix(m, format), format);
        assert.equal(renderMatrix(m, format), referenceMatrix(m, format), format);
      }
    }),
    { numRuns: 100 },
  );
});

/**
 * `small ⊆ big` for every (src, dst): external peers are compared by address, since new
 * ipBlocks refine the external ranges (each new range lies inside one old range).
 */
function assertContained(small: Analysis, big: Analysis): void {
  const bigMap = pairMap(big);
  const ext = (s: string): IpRange | undefined => (s.endsWith('[External]') ? parseRangeText(s) : undefined);
  const lookup = (src: string, dst: string): ConnSet => bigMap.get(`${src} ${dst}`) ?? EMPTY;
  for (const c of small.connections) {
    const se = ext(c.src);
    const de = ext(c.dst);
    if (!se && !de) {
      assert.ok(isSubset(c.conn, lookup(c.src, c.dst)), `${c.src} => ${c.dst}: ${formatConn(c.conn)} not contained`);
      continue;
    }
    // Every range of the other analysis overlapping this one must carry at least these ports.
    const r = (se ?? de) as IpRange;
    const others = se ? big.connectivity.extIn : big.connectivity.extOut;
    for (const o of others) {
      if (o.hi < r.lo || o.lo > r.hi) continue;
      const name = externalPeerName(o);
      const have = se ? lookup(name, c.dst) : lookup(c.src, name);
      assert.ok(isSubset(c.conn, have), `${se ? name : c.src} => ${se ? c.dst : name}: ${formatConn(c.conn)} not contained in ${formatConn(have)}`);
    }
  }
}

test('property: adding an allow rule never removes a connection', () => {
  fc.assert(
    fc.property(arbWorld, fc.nat(), arbRule, fc.boolean(), (w, pick, rule, ingress) => {
      fc.pre(w.policies.length > 0);
      const i = pick % w.policies.length;
      const p = w.policies[i] as ArbPolicy;
      // The first egress rule of a policy without policyTypes would also start egress
      // isolation: that is a new isolation, not an added allow rule.
      fc.pre(ingress || p.types !== undefined || (p.egress ?? []).length > 0);
      const changed: ArbPolicy = ingress ? { ...p, ingress: [...(p.ingress ?? []), rule] } : { ...p, egress: [...(p.egress ?? []), rule] };
      const before = analyzeObjects(worldObjects(w));
      const after = analyzeObjects(worldObjects({ ...w, policies: w.policies.map((x, j) => (j === i ? changed : x)) }));
      assertContained(before, after);
    }),
    { numRuns: 150 },
  );
});

test('property: a policy selecting a pod never adds connections in a direction it newly isolates', () => {
  fc.assert(
    fc.property(arbWorld, arbPolicy, (w, p) => {
      const before = analyzeObjects(worldObjects(w));
      const after = analyzeObjects(worldObjects({ ...w, policies: [...w.policies, p] }));
      const added = after.model.policies[after.model.policies.length - 1];
      assert.ok(added);
      const addedName = `${added.namespace}/${added.name}`;
      const ep = (a: Analysis, id: string): Endpoint => {
        const wl = a.model.workloads.find((x) => x.id === id);
        assert.ok(wl);
        return podEndpoint(a.model, a.model.classes[wl.classes[0] as number]!);
      };
      const ids = after.model.workloads.map((x) => x.id);
      const externals = [...after.connectivity.extIn, ...after.connectivity.extOut].map((range): Endpoint => ({ type: 'ip', range }));
      for (const id of ids) {
        for (const dir of ['ingress', 'egress'] as const) {
          const self = ep(after, id);
          const nowBy = evaluateDirection(after.model, dir, self, self).isolatedBy;
          const prevBy = evaluateDirection(before.model, dir, ep(before, id), ep(before, id)).isolatedBy;
          if (!nowBy.includes(addedName) || prevBy.length > 0) continue;
          // Newly isolated in `dir`: what that side allows can only shrink, towards every peer.
          for (const peerId of ids) {
            const grown = subtract(evaluateDirection(after.model, dir, self, ep(after, peerId)).allowed, evaluateDirection(before.model, dir, ep(before, id), ep(before, peerId)).allowed);
            assert.equal(grown, EMPTY, `${dir} of ${id} towards ${peerId} gained ${formatConn(grown)}`);
          }
          for (const x of externals) {
            const grown = subtract(evaluateDirection(after.model, dir, self, x).allowed, evaluateDirection(before.model, dir, ep(before, id), x).allowed);
            assert.equal(grown, EMPTY, `${dir} of ${id} towards an external range gained ${formatConn(grown)}`);
          }
        }
      }
    }),
    { numRuns: 100 },
  );
});

test('property: a rule-less policy (pure isolation) never adds any connection', () => {
  fc.assert(
    fc.property(arbWorld, fc.constantFrom('p', 'd'), arbSelector, fc.constantFrom(['Ingress'], ['Egress'], ['Ingress', 'Egress']), (w, n, sel, types) => {
      const b = pairMap(analyzeObjects(worldObjects(w)));
      const after = analyzeObjects(worldObjects(w, [netpol(n, 'isolate', { podSelector: sel, policyTypes: types })]));
      for (const c of after.connections) assert.ok(isSubset(c.conn, b.get(`${c.src} ${c.dst}`) ?? EMPTY));
    }),
    { numRuns: 100 },
  );
});

// ---- outputs, explain, diff, intents, suggest, findings ---------------------------------------

test('renderers: txt, json, csv, md, matrix', () => {
  const a = analyzeObjects([ns('n'), deploy('n', 'a', { app: 'a' }), deploy('n', 'b', { app: 'b' }), netpol('n', 'p', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ ports: [{ port: 80 }] }] })]);
  const txt = renderConnections(a.connections, 'txt');
  assert.match(txt, /^n\/a\[Deployment\] => n\/b\[Deployment\] : TCP 80$/m);
  const json = JSON.parse(renderConnections(a.connections, 'json')) as Array<{ src: string; dst: string; conn: string }>;
  assert.deepEqual(json.find((r) => r.dst === 'n/b[Deployment]' && r.src === 'n/a[Deployment]'), { src: 'n/a[Deployment]', dst: 'n/b[Deployment]', conn: 'TCP 80' });
  assert.match(renderConnections(a.connections, 'csv'), /^src,dst,conn\n/);
  assert.match(renderConnections(a.connections, 'md'), /^\| src \| dst \| conn \|/);
  const m = connectivityMatrix(a.connections, false);
  assert.deepEqual(m.peers, ['n/a[Deployment]', 'n/b[Deployment]']);
  assert.equal(m.cells[0]?.[1], 'TCP 80');
  assert.match(renderMatrix(m, 'txt'), /TCP 80/);
  assert.match(renderMatrix(m, 'csv'), /^src\\dst,/);
});

test('explain names the allowing rule, or the isolation that denies', () => {
  const objs = [ns('n'), deploy('n', 'a', { app: 'a' }), deploy('n', 'b', { app: 'b' }), netpol('n', 'p', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }], ports: [{ port: 80 }] }] })];
  const a = analyzeObjects(objs);
  const ok = explainConnection(a.model, 'n/a[Deployment]', 'n/b', { protocol: 'TCP', port: 80 });
  assert.ok(!('error' in ok));
  assert.equal(ok.allowed, true);
  assert.deepEqual(ok.ingress.rules.map((r) => `${r.policy} ${r.rule}`), ['n/p ingress[0]']);
  const no = explainConnection(a.model, 'n/a', 'n/b', { protocol: 'TCP', port: 81 });
  assert.ok(!('error' in no));
  assert.equal(no.allowed, false);
  assert.match(no.verdict, /isolated for ingress by n\/p/);
  assert.ok('error' in explainConnection(a.model, 'n/zzz', 'n/b'));
});

test('diff lists gained, lost and changed connections', () => {
  const base = [ns('n'), deploy('n', 'a', { app: 'a' }), deploy('n', 'b', { app: 'b' })];
  const o = analyzeObjects(base).connections;
  const n = analyzeObjects([...base, netpol('n', 'p', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ ports: [{ port: 80 }] }] })]).connections;
  const d = diffConnections(o, n);
  assert.equal(d.added.length, 0);
  assert.ok(d.changed.some((c) => c.src === 'n/a[Deployment]' && c.dst === 'n/b[Deployment]' && c.new === 'TCP 80'));
  assert.ok(d.changed.every((c) => c.gained === 'No Connections'));
});

test('intents: parse errors and selectors', () => {
  assert.deepEqual(parseSelectorText('app=web,tier in (a,b),!debug,env!=dev'), {
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['a', 'b'] },
      { key: 'debug', operator: 'DoesNotExist' },
      { key: 'env', operator: 'NotIn', values: ['dev'] },
    ],
  });
  assert.equal(parseIntents({ deny: [{ from: 'app=web' }] }).problems.length, 1);
  assert.equal(parseIntents({ nope: [] }).problems.length, 1);
  const ok = parseIntents({ deny: ['app=web -> app=db'], allow: [{ from: 'shop/app=web', to: 'shop/app=api', ports: 'TCP 8080' }] });
  assert.deepEqual(ok.problems, []);
  assert.equal(ok.file.intents.length, 2);
});

const shop = path.join(repoRoot, 'examples/shop');
const hardened = path.join(repoRoot, 'examples/shop-hardened');

async function loadExample(dir: string): Promise<KubeObject[]> {
  const r = await loadPaths([dir]);
  return r.resources.map((x) => x.object);
}

test('examples: web→db open in shop, closed in shop-hardened; the deny intent fails then passes', async (t) => {
  if (!existsSync(shop) || !existsSync(hardened)) {
    t.skip('examples absent');
    return;
  }
  const intents = parseIntents({ deny: [{ from: 'app=web', to: 'app=db' }], allow: [{ from: 'app=web', to: 'app=api' }, { from: 'app=api', to: 'app=db' }] }).file;
  const open = analyzeObjects(await loadExample(shop));
  assert.notEqual(conn(open, 'shop/web[Deployment]', 'shop/db[StatefulSet]'), 'No Connections');
  assert.equal(checkIntents(open.model, open.connections, intents).ok, false);
  const closed = analyzeObjects(await loadExample(hardened));
  assert.equal(conn(closed, 'shop/web[Deployment]', 'shop/db[StatefulSet]'), 'No Connections');
  assert.equal(conn(closed, 'shop/web[Deployment]', 'shop/api[Deployment]'), 'TCP 8080');
  assert.equal(conn(closed, 'shop/api[Deployment]', 'shop/db[StatefulSet]'), 'TCP 5432');
  assert.deepEqual(checkIntents(closed.model, closed.connections, intents).violations, []);
  const f = netpolFindings(open.model);
  assert.ok(f.some((x) => x.ruleId === 'netpol-namespace-open-ingress' && x.namespace === 'shop'));
  assert.ok(f.some((x) => x.ruleId === 'netpol-workload-reachable-from-everything' && x.workload === 'shop/db[StatefulSet]'));
  assert.equal(netpolFindings(closed.model).filter((x) => x.namespace === 'shop').length, 0);
});

test('suggest: applied to shop, web→db is impossible while web→api→db works (verified by the engine)', async (t) => {
  if (!existsSync(shop)) {
    t.skip('examples absent');
    return;
  }
  const objects = await loadExample(shop);
  const s = suggestPolicies(objects);
  assert.deepEqual(s.verification.problems, []);
  assert.ok(s.flows.some((f) => f.src === 'shop/web[Deployment]' && f.dst === 'shop/api[Deployment]' && f.conn === 'TCP 8080'));
  assert.ok(s.flows.some((f) => f.src === 'shop/api[Deployment]' && f.dst === 'shop/db[StatefulSet]'));
  const names = s.policies.filter((p) => p.metadata.namespace === 'shop').map((p) => p.metadata.name);
  assert.ok(names.includes('default-deny') && names.includes('allow-dns-egress'));
  const after = analyzeObjects([...objects, ...s.policies]);
  assert.equal(conn(after, 'shop/web[Deployment]', 'shop/db[StatefulSet]'), 'No Connections');
  assert.equal(conn(after, 'shop/web[Deployment]', 'shop/api[Deployment]'), 'TCP 8080');
  assert.notEqual(conn(after, 'shop/api[Deployment]', 'shop/db[StatefulSet]'), 'No Connections');
  assert.equal(conn(after, '{ingress-controller}', 'shop/web[Deployment]'), 'TCP 8080');
  // With a deny intent for api→db the flow is dropped and verified closed.
  const intents = parseIntents({ deny: [{ from: 'app=api', to: 'app=db' }] }).file;
  const s2 = suggestPolicies(objects, { intents });
  assert.ok(s2.dropped.some((f) => f.src === 'shop/api[Deployment]'));
  assert.equal(s2.verification.ok, true);
});

test('engine never throws on malformed objects', () => {
  const junk = [
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'x' }, spec: { podSelector: 'nope', ingress: [{ from: [{}] }, 7], egress: 'x' } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'y' }, spec: { ingress: [{ from: [{ ipBlock: { cidr: 'bad' } }] }] } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: {} },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: 'no' } },
  ] as unknown as KubeObject[];
  const a = analyzeObjects(junk);
  assert.ok(a.model.problems.length >= 2);
});

test('property: a host name is among a text\'s candidates exactly when the boundary expression finds it', () => {
  const chars = fc.constantFrom('a', 'b', '.', '-', '1', ' ', ':', '/', '_', '\n');
  const text = fc.array(chars, { maxLength: 40 }).map((a) => a.join(''));
  const name = fc.array(fc.constantFrom('a', 'b', '.', '-', '1'), { minLength: 1, maxLength: 6 }).map((a) => a.join(''));
  fc.assert(
    fc.property(text, name, (t, n) => {
      const escaped = n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const expected = new RegExp(`(^|[^A-Za-z0-9.-])${escaped}($|[^A-Za-z0-9-])`).test(t);
      assert.equal(hostCandidates(t).has(n), expected, JSON.stringify({ t, n }));
    }),
    { numRuns: 3000 },
  );
});

test('property: the Services a text references are those whose names it mentions, in order', () => {
  const label = fc.constantFrom('a', 'b', 'svc', 'cluster', 'local', 'a-b', 'x_y', 'a.b');
  const services = fc.array(fc.record({ name: label, namespace: label }), { maxLength: 8 });
  const token = fc.constantFrom('a', 'b', 'svc', 'cluster', 'local', 'a-b', 'x_y', '.', ' ', ':', '/');
  const text = fc.array(token, { maxLength: 14 }).map((a) => a.join(''));
  fc.assert(
    fc.property(services, text, label, (svcs, t, fromNs) => {
      // The definition: one expression per name a workload in fromNs would use.
      const found = (n: string): boolean => new RegExp(`(^|[^A-Za-z0-9.-])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9-])`).test(t);
      const names = (s: { name: string; namespace: string }): string[] => [
        `${s.name}.${s.namespace}.svc.cluster.local`,
        `${s.name}.${s.namespace}.svc`,
        ...(s.namespace === fromNs ? [`${s.name}.${s.namespace}`, s.name] : []),
      ];
      const expected = svcs.flatMap((s, i) => (names(s).some(found) ? [i] : []));
      assert.deepEqual(serviceReferences(svcs)(t, fromNs), expected, JSON.stringify({ svcs, t, fromNs }));
    }),
    { numRuns: 3000 },
  );
});

test('named ports called like Object.prototype members (constructor) resolve to their container ports', () => {
  const objs = [
    ns('a'),
    deploy('a', 'web', { app: 'web' }),
    deploy('a', 'db', { app: 'db' }, [{ name: 'constructor', containerPort: 5432 }]),
    netpol('a', 'db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ ports: [{ port: 'constructor' }] }] }),
  ];
  assert.equal(conn(analyzeObjects(objs), 'a/web[Deployment]', 'a/db[Deployment]'), 'TCP 5432');
});
