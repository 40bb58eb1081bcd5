import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goQuote } from './helpers.js';
import fc from 'fast-check';
import type { KubeObject } from '../../core/types.js';
import type { PodSpec } from '../../model/workloads.js';
import {
  LATEST_PSS_VERSION,
  PSS_CHECK_IDS,
  evaluatePod,
  evaluateWorkload,
  parseLevel,
  parseVersion,
  planFor,
  validateRegistry,
  versionTable,
} from './index.js';

const hardenedContainer = (name: string) => ({
  name,
  image: 'registry.example.com/app:1',
  securityContext: {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  },
});
const hardened = (): PodSpec => ({ containers: [hardenedContainer('app')] });
const ids = (spec: PodSpec, level: 'baseline' | 'restricted', version = 'latest', meta = {}) =>
  evaluatePod(meta, spec, level, version).failures.map((f) => f.id);

test('the registry validates itself and registers every check', () => {
  assert.deepEqual(validateRegistry(), []);
  const table = versionTable();
  assert.deepEqual(table.map((t) => t.id).sort(), [...PSS_CHECK_IDS].sort());
  assert.equal(LATEST_PSS_VERSION, 'v1.37');
  const from = (id: string) => table.find((t) => t.id === id)!.versions.map((v) => v.from);
  assert.deepEqual(from('sysctls'), ['v1.0', 'v1.27', 'v1.29', 'v1.32', 'v1.37']);
  assert.deepEqual(from('hostProbesAndHostLifecycle'), ['v1.34']);
  assert.deepEqual(from('runAsUser'), ['v1.23', 'v1.35']);
  assert.deepEqual(from('allowPrivilegeEscalation'), ['v1.8', 'v1.25']);
});

test('plans: restricted includes baseline minus overridden checks, per version', () => {
  const at = (level: string, v: string) => planFor(level, v).checks.map((c) => c.id);
  assert.deepEqual(at('privileged', 'latest'), []);
  assert.ok(!at('baseline', 'v1.33').includes('hostProbesAndHostLifecycle'));
  assert.ok(at('baseline', 'v1.34').includes('hostProbesAndHostLifecycle'));
  const r18 = at('restricted', 'v1.18');
  assert.ok(r18.includes('seccompProfile_baseline') && !r18.includes('seccompProfile_restricted'));
  assert.ok(!r18.includes('hostPathVolumes') && r18.includes('restrictedVolumes'));
  const r19 = at('restricted', 'v1.19');
  assert.ok(!r19.includes('seccompProfile_baseline') && r19.includes('seccompProfile_restricted'));
  assert.ok(at('restricted', 'v1.21').includes('capabilities_baseline'));
  assert.ok(!at('restricted', 'v1.22').includes('capabilities_baseline'));
  assert.ok(at('restricted', 'v1.34').includes('procMount'));
  const r35 = at('restricted', 'v1.35');
  assert.ok(!r35.includes('procMount') && r35.includes('procMount_restricted'));
  assert.ok(!at('restricted', 'v1.7').includes('allowPrivilegeEscalation'));
  // Baseline checks first, then restricted, each sorted by id.
  const r = at('restricted', 'latest');
  assert.deepEqual(r.slice(0, 2), ['appArmorProfile', 'hostNamespaces']);
  assert.equal(r.at(-1), 'seccompProfile_restricted');
});

test('versions: latest and future versions resolve to the newest known; parseLevel/parseVersion are strict', () => {
  assert.equal(evaluatePod({}, hardened(), 'restricted', 'latest').version, LATEST_PSS_VERSION);
  assert.equal(evaluatePod({}, hardened(), 'restricted', 'v1.99').version, LATEST_PSS_VERSION);
  assert.equal(evaluatePod({}, hardened(), 'baseline', 'v1.0').version, 'v1.0');
  assert.equal(parseLevel('restricted'), 'restricted');
  assert.equal(parseLevel('Restricted'), undefined);
  assert.equal(parseVersion('latest'), 'latest');
  assert.equal(parseVersion('v1.30'), 'v1.30');
  for (const bad of ['v1.030', 'v2.1', '1.30', 'v1.', 'v1.-1', 'newest', 'v1.9223372036854775808']) assert.equal(parseVersion(bad), undefined, bad);
  // any minor strconv.Atoi reads (64-bit) is valid, and evaluates as the newest known
  assert.equal(parseVersion('v1.9223372036854775807'), 'v1.9223372036854775807');
  assert.equal(evaluatePod({}, hardened(), 'restricted', 'v1.9007199254740993').version, LATEST_PSS_VERSION);
  // Invalid inputs fail closed rather than throw.
  const r = evaluatePod({}, { containers: [{ name: 'c' }] }, 'bogus' as never, 'nonsense');
  assert.equal(r.level, 'restricted');
  assert.equal(r.version, LATEST_PSS_VERSION);
  assert.equal(r.allowed, false);
});

test('privileged allows anything; baseline allows the default pod; restricted wants hardening', () => {
  const wild: PodSpec = { hostNetwork: true, containers: [{ name: 'c', securityContext: { privileged: true } }] };
  assert.deepEqual(evaluatePod({}, wild, 'privileged', 'latest'), { allowed: true, level: 'privileged', version: LATEST_PSS_VERSION, failures: [] });
  const plain: PodSpec = { containers: [{ name: 'c', image: 'nginx' }] };
  assert.equal(evaluatePod({}, plain, 'baseline', 'latest').allowed, true);
  assert.deepEqual(ids(plain, 'restricted'), ['allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted']);
  assert.equal(evaluatePod({}, hardened(), 'restricted', 'latest').allowed, true);
});

test('failure details name containers, fields and values', () => {
  const spec: PodSpec = {
    initContainers: [{ name: 'init', securityContext: { privileged: true } }],
    containers: [{ name: 'a', securityContext: { privileged: true } }],
    ephemeralContainers: [{ name: 'debug', securityContext: { capabilities: { add: ['SYS_ADMIN', 'NET_RAW'] } } }],
  };
  const r = evaluatePod({}, spec, 'baseline', 'latest');
  assert.deepEqual(r.failures, [
    { id: 'capabilities_baseline', reason: 'non-default capabilities', detail: 'container "debug" must not include "NET_RAW", "SYS_ADMIN" in securityContext.capabilities.add' },
    { id: 'privileged', reason: 'privileged', detail: 'containers "init", "a" must not set securityContext.privileged=true' },
  ]);
});

test('windows pods: restricted relaxes seccomp, capabilities and privilege escalation from v1.25 only', () => {
  const win: PodSpec = { os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'w' }] };
  assert.equal(evaluatePod({}, win, 'restricted', 'v1.25').allowed, true);
  assert.deepEqual(ids(win, 'restricted', 'v1.24'), ['allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted']);
  const linux: PodSpec = { ...win, os: { name: 'linux' } };
  assert.equal(evaluatePod({}, linux, 'restricted', 'v1.25').allowed, false);
});

test('user-namespace pods (hostUsers: false): relaxations start at v1.35', () => {
  const spec: PodSpec = {
    hostUsers: false,
    containers: [{ ...hardenedContainer('c'), securityContext: { ...hardenedContainer('c').securityContext, runAsNonRoot: false, runAsUser: 0, procMount: 'Unmasked' } }],
  };
  assert.deepEqual(ids(spec, 'restricted', 'v1.34'), ['procMount', 'runAsNonRoot', 'runAsUser']);
  assert.deepEqual(ids(spec, 'restricted', 'v1.35'), ['procMount_restricted']);
  assert.deepEqual(ids(spec, 'baseline', 'v1.34'), ['procMount']);
  assert.deepEqual(ids(spec, 'baseline', 'v1.35'), []);
  assert.deepEqual(ids({ ...spec, hostUsers: true }, 'baseline', 'v1.35'), ['procMount']);
});

test('sysctls, SELinux types and probe hosts change with the version', () => {
  const sysctl = (name: string): PodSpec => ({ securityContext: { sysctls: [{ name, value: '1' }] }, containers: [{ name: 'c' }] });
  assert.deepEqual(ids(sysctl('net.ipv4.ip_local_reserved_ports'), 'baseline', 'v1.26'), ['sysctls']);
  assert.deepEqual(ids(sysctl('net.ipv4.ip_local_reserved_ports'), 'baseline', 'v1.27'), []);
  assert.deepEqual(ids(sysctl('net.ipv4.tcp_rmem'), 'baseline', 'v1.31'), ['sysctls']);
  assert.deepEqual(ids(sysctl('net.ipv4.tcp_rmem'), 'baseline', 'v1.32'), []);
  assert.deepEqual(ids(sysctl('net.ipv4.tcp_notsent_lowat'), 'baseline', 'v1.36'), ['sysctls']);
  assert.deepEqual(ids(sysctl('net.ipv4.tcp_notsent_lowat'), 'baseline', 'latest'), []);
  const se: PodSpec = { securityContext: { seLinuxOptions: { type: 'container_engine_t' } }, containers: [{ name: 'c' }] };
  assert.deepEqual(ids(se, 'baseline', 'v1.30'), ['seLinuxOptions']);
  assert.deepEqual(ids(se, 'baseline', 'v1.31'), []);
  const probe: PodSpec = { containers: [{ name: 'c', livenessProbe: { httpGet: { host: '10.0.0.1', port: 80 } } }] };
  assert.deepEqual(ids(probe, 'baseline', 'v1.33'), []);
  assert.deepEqual(ids(probe, 'baseline', 'v1.34'), ['hostProbesAndHostLifecycle']);
});

test('AppArmor: field and annotation channels at every version; seccomp annotations only before v1.19', () => {
  const annotated = { annotations: { 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' } };
  assert.deepEqual(ids({ containers: [{ name: 'c' }] }, 'baseline', 'v1.0', annotated), ['appArmorProfile']);
  const field: PodSpec = { securityContext: { appArmorProfile: { type: 'Unconfined' } }, containers: [{ name: 'c' }] };
  assert.deepEqual(ids(field, 'baseline', 'v1.0'), ['appArmorProfile']);
  const ok = { annotations: { 'container.apparmor.security.beta.kubernetes.io/c': 'localhost/my-profile' } };
  assert.deepEqual(ids({ containers: [{ name: 'c' }] }, 'baseline', 'latest', ok), []);
  const seccompAnn = { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } };
  assert.deepEqual(ids({ containers: [{ name: 'c' }] }, 'baseline', 'v1.18', seccompAnn), ['seccompProfile_baseline']);
  assert.deepEqual(ids({ containers: [{ name: 'c' }] }, 'baseline', 'v1.19', seccompAnn), []);
});

test('volumes: a source-less volume defaults to emptyDir; image volumes are allowed', () => {
  const spec: PodSpec = { ...hardened(), securityContext: {}, volumes: [{ name: 'a' }, { name: 'b', image: { reference: 'x' } }, { name: 'c', nfs: { server: 's', path: '/' } }] };
  const r = evaluatePod({}, spec, 'restricted', 'latest');
  assert.deepEqual(r.failures, [{ id: 'restrictedVolumes', reason: 'restricted volume types', detail: 'volume "c" uses restricted volume type "nfs"' }]);
});

test('evaluateWorkload reads every pod-owning kind and ignores others', () => {
  const tpl = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', securityContext: { privileged: true } }] } };
  const objs: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: tpl.spec },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: tpl } },
    { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds' }, spec: { template: tpl } },
    { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj' }, spec: { jobTemplate: { spec: { template: tpl } } } },
  ];
  for (const o of objs) assert.deepEqual(evaluateWorkload(o, 'baseline', 'latest')?.failures.map((f) => f.id), ['privileged'], o.kind);
  assert.equal(evaluateWorkload({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } }, 'baseline', 'latest'), undefined);
});

test('malformed specs never throw', () => {
  const weird: unknown[] = [
    {},
    { containers: 'nope' },
    { containers: [null, 1, 'x', [], { securityContext: 'str' }] },
    { containers: [{ name: 1, ports: 'x', securityContext: { capabilities: { add: 'ALL', drop: null } } }], volumes: [null, { hostPath: null }], securityContext: { sysctls: [null, {}] } },
    { initContainers: [{ lifecycle: { postStart: { httpGet: 'x' } }, livenessProbe: null }], os: 'windows', hostUsers: 'false' },
  ];
  for (const spec of weird) {
    for (const level of ['baseline', 'restricted'] as const) {
      for (const version of ['v1.0', 'v1.25', 'latest']) assert.doesNotThrow(() => evaluatePod({ annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'x' } }, spec as PodSpec, level, version));
    }
  }
  assert.doesNotThrow(() => evaluatePod(null as never, null as never, 'restricted', 'latest'));
});

// Generated pods: arbitrary mixes of the fields the checks read.
const arbSc = fc.record(
  {
    privileged: fc.boolean(),
    allowPrivilegeEscalation: fc.boolean(),
    runAsNonRoot: fc.boolean(),
    runAsUser: fc.constantFrom(0, 1000),
    procMount: fc.constantFrom('Default', 'Unmasked'),
    capabilities: fc.record({ add: fc.subarray(['NET_BIND_SERVICE', 'CHOWN', 'SYS_ADMIN', 'NET_RAW']), drop: fc.subarray(['ALL', 'NET_RAW']) }, { requiredKeys: [] }),
    seccompProfile: fc.record({ type: fc.constantFrom('RuntimeDefault', 'Localhost', 'Unconfined') }),
    seLinuxOptions: fc.record({ type: fc.constantFrom('container_t', 'spc_t'), user: fc.constantFrom('', 'u') }, { requiredKeys: [] }),
    appArmorProfile: fc.record({ type: fc.constantFrom('RuntimeDefault', 'Unconfined') }),
  },
  { requiredKeys: [] },
);
const arbContainer = fc.record({
  name: fc.constantFrom('a', 'b', 'c'),
  securityContext: arbSc,
  ports: fc.array(fc.record({ containerPort: fc.constant(80), hostPort: fc.constantFrom(0, 8080) }), { maxLength: 1 }),
});
const arbSpec = fc.record(
  {
    containers: fc.array(arbContainer, { minLength: 1, maxLength: 2 }),
    initContainers: fc.array(arbContainer, { maxLength: 1 }),
    hostNetwork: fc.boolean(),
    hostUsers: fc.boolean(),
    os: fc.record({ name: fc.constantFrom('linux', 'windows') }),
    securityContext: fc.record({ runAsNonRoot: fc.boolean(), seccompProfile: fc.record({ type: fc.constantFrom('RuntimeDefault', 'Unconfined') }), sysctls: fc.array(fc.record({ name: fc.constantFrom('kernel.shm_rmid_forced', 'kernel.msgmax'), value: fc.constant('1') }), { maxLength: 1 }) }, { requiredKeys: [] }),
    volumes: fc.array(fc.oneof(fc.constant({ name: 'v', emptyDir: {} }), fc.constant({ name: 'h', hostPath: { path: '/' } }), fc.constant({ name: 'n', nfs: { server: 's', path: '/' } })), { maxLength: 2 }),
  },
  { requiredKeys: ['containers'] },
) as fc.Arbitrary<PodSpec>;
const arbVersion = fc.integer({ min: 0, max: 40 }).map((m) => `v1.${m}`);

test('property: for non-Windows pods, restricted allows only what baseline allows; privileged allows all', () => {
  fc.assert(
    fc.property(arbSpec, arbVersion, (spec, version) => {
      const linux = { ...spec, os: { name: 'linux' } };
      const r = evaluatePod({}, linux, 'restricted', version);
      const b = evaluatePod({}, linux, 'baseline', version);
      if (r.allowed) assert.equal(b.allowed, true);
      assert.equal(evaluatePod({}, spec, 'privileged', version).allowed, true);
    }),
    { seed: 20240601, numRuns: 500 },
  );
});

test('property: results are deterministic and allowed iff no failures', () => {
  fc.assert(
    fc.property(arbSpec, fc.constantFrom('baseline', 'restricted') as fc.Arbitrary<'baseline' | 'restricted'>, arbVersion, (spec, level, version) => {
      const a = evaluatePod({}, spec, level, version);
      assert.deepEqual(evaluatePod({}, structuredClone(spec), level, version), a);
      assert.equal(a.allowed, a.failures.length === 0);
      assert.equal(new Set(a.failures.map((f) => f.id)).size, a.failures.length);
    }),
    { seed: 7, numRuns: 300 },
  );
});

test('every check lives in check-<id>.ts whose header spec names the check and each version it starts or changes at', async () => {
  const { readFileSync } = await import('node:fs');
  const { PSS_CHECKS } = await import('./index.js');
  const dir = new URL('.', import.meta.url);
  for (const c of PSS_CHECKS) {
    const file = `check-${c.id.replace(/_/g, '-').replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)}.ts`;
    const header = readFileSync(new URL(file, dir), 'utf8').split('*/')[0]!;
    assert.ok(header.includes(`${c.id} (${c.level}`), `${file}: header must start with "${c.id} (${c.level}"`);
    for (const v of c.versions) assert.ok(header.includes(`v1.${v.minimumVersion}`), `${file}: header must mention v1.${v.minimumVersion}`);
  }
});

test("annotation values are quoted as Go's %q quotes them (strconv.Quote)", () => {
  const cases: Array<[string, string]> = [
    ['runtime/default', '"runtime/default"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['\x00z', '"\\x00z"'],
    ['\x7f', '"\\x7f"'],
    ['tab\there', '"tab\\there"'],
    ['\u2028', '"\\u2028"'],
    ['\u00a0', '"\\u00a0"'],
    ['é漢😀', '"é漢😀"'],
    ['\u{e0001}', '"\\U000e0001"'],
  ];
  for (const [value, quoted] of cases) assert.equal(goQuote(value), quoted, JSON.stringify(value));
});
