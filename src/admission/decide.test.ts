import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { KubeObject } from '../core/types.js';
import { evaluatePod } from '../engines/pss/index.js';
import { podTemplateOf, WORKLOAD_KINDS } from '../model/workloads.js';
import { mutate, namespaceLevels, validate } from './decide.js';
import { applyJsonPatch } from './json-patch.js';
import { usesKubernetesApi } from './mutate.js';
import { StaticNamespaceSource } from './namespace-watch.js';
import { compilePolicy, defaultPolicy, type AdmissionPolicy } from './policy.js';
import { requestFor, type AdmissionRequest } from './review.js';

function policyWith(over: Partial<AdmissionPolicy> = {}) {
  return compilePolicy({ ...defaultPolicy(), ...over });
}
const noLabels = { namespaces: new StaticNamespaceSource() };
const rulesOff = Object.fromEntries(Object.keys(defaultPolicy().rules).map((k) => [k, 'off'])) as AdmissionPolicy['rules'];

const badSpec = { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] };
const plainSpec = { containers: [{ name: 'c', image: 'nginx:1.27' }] };
const goodSpec = {
  automountServiceAccountToken: false,
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'c', image: `r.example.com/a@sha256:${'0'.repeat(64)}`, securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
};

/** Every pod-owning kind wrapping a pod spec. */
function workload(kind: string, spec: object, ns = 'apps'): KubeObject {
  const template = { metadata: { labels: { app: 'x' } }, spec };
  const apiVersion = kind === 'Pod' || kind === 'ReplicationController' ? 'v1' : kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1';
  const meta = { name: `x-${kind.toLowerCase()}`, namespace: ns };
  switch (kind) {
    case 'Pod':
      return { apiVersion, kind, metadata: meta, spec };
    case 'CronJob':
      return { apiVersion, kind, metadata: meta, spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } } };
    default:
      return { apiVersion, kind, metadata: meta, spec: { selector: { matchLabels: { app: 'x' } }, template } };
  }
}

function req(obj: KubeObject, opts: Parameters<typeof requestFor>[1] = {}): AdmissionRequest {
  return requestFor(obj, opts).request;
}

test('every pod-owning kind: a privileged template is denied naming the check; a compliant one allowed', () => {
  const p = policyWith();
  for (const kind of WORKLOAD_KINDS) {
    const bad = validate(req(workload(kind, badSpec)), p, noLabels);
    assert.equal(bad.allowed, false, kind);
    assert.equal(bad.status?.code, 403);
    assert.match(bad.status?.message ?? '', /violates PodSecurity "restricted:latest": privileged \(container "c" must not set securityContext\.privileged=true\)/, kind);
    const good = validate(req(workload(kind, goodSpec)), p, noLabels);
    assert.equal(good.allowed, true, `${kind}: ${good.status?.message}`);
    assert.equal(good.warnings, undefined, kind);
  }
});

test('workloads mode warn/audit: PSA-like for controllers, pods still enforced', () => {
  const warn = policyWith({ workloads: 'warn' });
  const d = validate(req(workload('Deployment', badSpec)), warn, noLabels);
  assert.equal(d.allowed, true);
  assert.ok(d.warnings?.some((w) => w.startsWith('would violate PodSecurity "restricted:latest": privileged')));
  assert.equal(validate(req(workload('Pod', badSpec)), warn, noLabels).allowed, false);
  const audit = policyWith({ workloads: 'audit' });
  const a = validate(req(workload('Job', badSpec)), audit, noLabels);
  assert.equal(a.allowed, true);
  assert.match(a.auditAnnotations?.['audit-violations'] ?? '', /privileged/);
});

test('workloads: warn is PSA\'s handling of controllers: the warn and audit levels, never the enforce level, on every update', () => {
  const warn = policyWith({ workloads: 'warn', rules: rulesOff });
  const L = 'pod-security.kubernetes.io/';
  const ns = new StaticNamespaceSource({
    both: { [`${L}enforce`]: 'restricted', [`${L}warn`]: 'baseline' },
    quiet: { [`${L}enforce`]: 'baseline', [`${L}warn`]: 'privileged' },
    enforceOnly: { [`${L}enforce`]: 'restricted' },
    open: { [`${L}enforce`]: 'privileged' },
  });
  const deps = { namespaces: ns };
  const pssWarnings = (v: ReturnType<typeof validate>) => (v.warnings ?? []).filter((w) => w.includes('PodSecurity'));
  const dep = (n: string) => workload('Deployment', badSpec, n);
  // warn=baseline: one warning at baseline, none at the enforce level
  assert.deepEqual(pssWarnings(validate(req(dep('both')), warn, deps)).map((w) => w.slice(0, 40)), ['would violate PodSecurity "baseline:late']);
  // warn=privileged set explicitly: nothing, whatever the enforce level
  assert.deepEqual(pssWarnings(validate(req(dep('quiet')), warn, deps)), []);
  // only enforce labelled: PSA's labels default warn to it
  assert.equal(pssWarnings(validate(req(dep('enforceOnly')), warn, deps)).length, 1);
  // a template left as it was (scaling) is warned again, as PSA re-evaluates controllers on every update
  const scaled = { ...dep('both'), spec: { ...(dep('both').spec as object), replicas: 5 } } as KubeObject;
  assert.equal(pssWarnings(validate(req(scaled, { operation: 'UPDATE', oldObject: dep('both') }), warn, deps)).length, 1);
  // ... while in enforce mode such an update is not evaluated (a workload admitted earlier still scales)
  assert.deepEqual(validate(req(scaled, { operation: 'UPDATE', oldObject: dep('both') }), policyWith({ rules: rulesOff }), deps), { allowed: true });
  // no enforce-policy annotation on controllers under PSA's handling; nothing at all in a namespace privileged in every mode
  assert.equal(validate(req(dep('both')), warn, deps).auditAnnotations?.['enforce-policy'], undefined);
  assert.deepEqual(validate(req(dep('open')), warn, deps), { allowed: true });
  assert.deepEqual(validate(req(dep('open')), policyWith({ rules: rulesOff }), deps), { allowed: true });
});

test('the RuntimeClass exemption comes after the privileged-namespace and update checks, as in PSA', () => {
  const p = policyWith({ rules: rulesOff, exemptions: { namespaces: [], usernames: [], groups: [], runtimeClasses: ['kata'] } });
  const deps = { namespaces: new StaticNamespaceSource({ open: { 'pod-security.kubernetes.io/enforce': 'privileged' } }) };
  const kata = (n: string) => workload('Pod', { ...badSpec, runtimeClassName: 'kata' }, n);
  assert.deepEqual(validate(req(kata('open')), p, deps), { allowed: true, auditAnnotations: { 'enforce-policy': 'privileged:latest' } });
  assert.deepEqual(validate(req(kata('apps')), p, deps), { allowed: true, auditAnnotations: { exempt: 'runtimeClass' } });
  const relabelled = { ...kata('apps'), metadata: { ...kata('apps').metadata, labels: { a: 'b' } } };
  assert.deepEqual(validate(req(relabelled, { operation: 'UPDATE', oldObject: kata('apps') }), p, deps), { allowed: true });
});

test('requests the webhook has no opinion on are allowed untouched', () => {
  const p = policyWith();
  const pod = workload('Pod', badSpec);
  const cases: AdmissionRequest[] = [
    { ...req(pod), operation: 'DELETE' },
    { ...req(pod), operation: 'CONNECT' },
    { ...req(pod), subResource: 'status' },
    { ...req(pod), subResource: 'exec' },
    req({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: {} }),
    { ...req(workload('Deployment', badSpec)), kind: { group: 'example.com', version: 'v1', kind: 'Deployment' } },
    req({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'no-spec' } }),
  ];
  for (const r of cases) assert.deepEqual(validate(r, p, noLabels), { allowed: true }, JSON.stringify(r.kind) + r.operation + (r.subResource ?? ''));
  // ephemeral containers added through the subresource are evaluated, as PSA does
  const eph = { ...req(pod, { operation: 'UPDATE' }), subResource: 'ephemeralcontainers' };
  assert.equal(validate(eph, p, noLabels).allowed, false);
  // so is any pod subresource PSA does not know (resize, future ones): it fails safe
  assert.equal(validate({ ...req(pod, { operation: 'UPDATE' }), subResource: 'resize' }, p, noLabels).allowed, false);
  assert.equal(validate({ ...req(pod, { operation: 'UPDATE' }), subResource: 'somethingnew' }, p, noLabels).allowed, false);
  // every ignored pod subresource, and controllers' subresources, are not evaluated
  for (const sub of ['exec', 'attach', 'binding', 'eviction', 'log', 'portforward', 'proxy', 'status']) {
    assert.deepEqual(validate({ ...req(pod, { operation: 'UPDATE' }), subResource: sub }, p, noLabels), { allowed: true }, sub);
  }
  assert.deepEqual(validate({ ...req(workload('Deployment', badSpec), { operation: 'UPDATE' }), subResource: 'status' }, p, noLabels), { allowed: true });
});

test('pod UPDATE: evaluated only when PSA would (image, seccomp annotation, container count, ephemeral containers)', () => {
  const p = policyWith();
  const old = workload('Pod', badSpec);
  const update = (spec: object, annotations?: Record<string, string>, before: KubeObject = old): boolean => {
    const pod: KubeObject = { ...old, metadata: { ...old.metadata, ...(annotations ? { annotations } : {}) }, spec };
    return validate(req(pod, { operation: 'UPDATE', oldObject: before }), p, noLabels).allowed;
  };
  const c = badSpec.containers[0] as Record<string, unknown>;
  // a privileged pod admitted before the namespace was tightened: labels, tolerations and
  // deadlines may still change, and so may securityContext in the request (the API server
  // rejects that change anyway: pod specs are immutable), as PSA allows
  assert.equal(update({ ...badSpec, tolerations: [{ key: 'k', operator: 'Exists' }], activeDeadlineSeconds: 60 }), true);
  assert.equal(update(badSpec, { 'example.com/note': 'x' }), true);
  assert.equal(update(badSpec, { 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' }), true, 'PSA ignores AppArmor annotations on update');
  // a new image, a seccomp annotation, another container: evaluated, and denied
  assert.equal(update({ containers: [{ ...c, image: 'busybox:2' }] }), false);
  assert.equal(update(badSpec, { 'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default' }), false);
  assert.equal(update(badSpec, { 'container.seccomp.security.alpha.kubernetes.io/c': 'runtime/default' }), false);
  assert.equal(update(badSpec, { 'container.seccomp.security.alpha.kubernetes.io/other': 'runtime/default' }), true, 'annotation of no container here');
  assert.equal(update({ ...badSpec, initContainers: [{ name: 'i', image: 'busybox' }] }), false);
  // ephemeral containers: a new one is evaluated; an unchanged one is not
  const withEph = { ...badSpec, ephemeralContainers: [{ name: 'debug', image: 'busybox' }] };
  assert.equal(update(withEph), false);
  assert.equal(update(withEph, undefined, { ...old, spec: withEph }), true);
  assert.equal(update({ ...badSpec, ephemeralContainers: [{ name: 'debug', image: 'busybox:2' }] }, undefined, { ...old, spec: withEph }), false);
  // a compliant pod whose image changes is evaluated and allowed
  const good = workload('Pod', goodSpec);
  const goodC = goodSpec.containers[0] as Record<string, unknown>;
  assert.equal(validate(req({ ...good, spec: { ...goodSpec, containers: [{ ...goodC, image: 'nginx:1.28' }] } }, { operation: 'UPDATE', oldObject: good }), p, noLabels).allowed, true);
});

test('UPDATE: unchanged pod template is not re-evaluated; a changed one is', () => {
  const p = policyWith();
  const old = workload('Deployment', badSpec);
  const scaled = { ...old, spec: { ...(old['spec'] as object), replicas: 5 } };
  assert.equal(validate(req(scaled, { operation: 'UPDATE', oldObject: old }), p, noLabels).allowed, true);
  const relabelled = { ...old, metadata: { ...old.metadata, labels: { a: 'b' } } };
  assert.equal(validate(req(relabelled, { operation: 'UPDATE', oldObject: old }), p, noLabels).allowed, true);
  const changed = workload('Deployment', { ...badSpec, hostPID: true });
  assert.equal(validate(req(changed, { operation: 'UPDATE', oldObject: old }), p, noLabels).allowed, false);
  assert.equal(validate(req(old, { operation: 'UPDATE' }), p, noLabels).allowed, false, 'no oldObject: evaluated');
});

test('exemptions by namespace, user, group and RuntimeClass', () => {
  const p = policyWith({ exemptions: { namespaces: ['ops'], usernames: ['alice'], groups: ['system:masters'], runtimeClasses: ['kata'] } });
  const pod = workload('Pod', badSpec);
  assert.deepEqual(validate(req(workload('Pod', badSpec, 'ops')), p, noLabels), { allowed: true, auditAnnotations: { exempt: 'namespace' } });
  assert.equal(validate(req(pod, { username: 'alice' }), p, noLabels).auditAnnotations?.['exempt'], 'user');
  assert.equal(validate(req(pod, { groups: ['system:authenticated', 'system:masters'] }), p, noLabels).auditAnnotations?.['exempt'], 'group');
  assert.equal(validate(req(workload('Pod', { ...badSpec, runtimeClassName: 'kata' })), p, noLabels).auditAnnotations?.['exempt'], 'runtimeClass');
  assert.equal(validate(req(pod, { username: 'bob' }), p, noLabels).allowed, false);
});

test('namespace levels: policy entry, then Pod Security labels, then defaults', () => {
  const p = policyWith({ namespaces: { legacy: { level: 'privileged', version: 'latest', mode: 'enforce' } } });
  const labelled = new StaticNamespaceSource({
    legacy: { 'pod-security.kubernetes.io/enforce': 'restricted' },
    base: { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.20' },
    typo: { 'pod-security.kubernetes.io/enforce': 'strict' },
    other: { team: 'x' },
  });
  assert.equal(namespaceLevels('legacy', p, labelled.labels('legacy')).enforce.level, 'privileged');
  assert.equal(namespaceLevels('legacy', p, labelled.labels('legacy')).source, 'policy');
  assert.deepEqual(namespaceLevels('base', p, labelled.labels('base')).enforce, { level: 'baseline', version: 'v1.20' });
  assert.equal(namespaceLevels('other', p, labelled.labels('other')).source, 'default');
  assert.equal(namespaceLevels('other', p, labelled.labels('other')).enforce.level, 'restricted');
  const typo = namespaceLevels('typo', p, labelled.labels('typo'));
  assert.equal(typo.enforce.level, 'restricted', 'an invalid enforce level fails closed');
  assert.equal(typo.errors.length, 1);
  const deps = { namespaces: labelled };
  assert.equal(validate(req(workload('Pod', badSpec, 'legacy')), p, deps).allowed, true);
  assert.equal(validate(req(workload('Pod', plainSpec, 'base')), p, deps).allowed, true);
  const t = validate(req(workload('Pod', plainSpec, 'typo')), p, deps);
  assert.equal(t.allowed, false);
  // as PSA: no warning, an `error` audit annotation with Go's aggregate of the label errors
  assert.ok(!t.warnings?.some((w) => /Pod ?Security/.test(w)), String(t.warnings));
  assert.match(t.auditAnnotations?.['error'] ?? '', /^Failed to parse policy: metadata\.labels\[pod-security\.kubernetes\.io\/enforce\]: Invalid value: /);
  assert.equal(t.auditAnnotations?.['enforce-policy'], 'restricted:latest');
});

test('audit mode and warn mode at the namespace level', () => {
  const p = policyWith({ defaults: { level: 'baseline', version: 'latest', mode: 'audit' } });
  const v = validate(req(workload('Pod', badSpec)), p, noLabels);
  assert.equal(v.allowed, true);
  assert.match(v.auditAnnotations?.['audit-violations'] ?? '', /^would violate PodSecurity "baseline:latest": privileged/);
  const w = validate(req(workload('Pod', badSpec)), policyWith({ defaults: { level: 'restricted', version: 'v1.25', mode: 'warn' } }), noLabels);
  assert.equal(w.allowed, true);
  assert.ok(w.warnings?.[0]?.startsWith('would violate PodSecurity "restricted:v1.25"'));
});

test('kubeward rules in each mode; checks are pluggable', () => {
  const sandboxed = { namespaces: ['untrusted'], runtimeClassName: 'gvisor', handlers: ['gvisor'] };
  const pss = { namespaces: { untrusted: { level: 'privileged' as const, version: 'latest', mode: 'enforce' as const } } };
  const enforce = policyWith({ ...pss, sandbox: sandboxed, rules: { ...defaultPolicy().rules, 'sandbox-runtime-class': 'enforce' } });
  const pod = workload('Pod', goodSpec, 'untrusted');
  const v = validate(req(pod), enforce, noLabels);
  assert.equal(v.allowed, false);
  assert.match(v.status?.message ?? '', /violates kubeward rule sandbox-runtime-class/);
  assert.equal(validate(req(workload('Pod', { ...goodSpec, runtimeClassName: 'gvisor' }, 'untrusted')), enforce, noLabels).allowed, true);
  const audit = policyWith({ ...pss, sandbox: sandboxed, rules: { ...defaultPolicy().rules, 'sandbox-runtime-class': 'audit' } });
  assert.match(validate(req(pod), audit, noLabels).auditAnnotations?.['rule-audit-violations'] ?? '', /sandbox-runtime-class/);
  const off = policyWith({ ...pss, sandbox: sandboxed, rules: { ...defaultPolicy().rules, 'sandbox-runtime-class': 'off' } });
  assert.equal(validate(req(pod), off, noLabels).allowed, true);
  // registry allowlist
  const reg = policyWith({ registries: { allow: ['ghcr.io/acme'] } });
  const r = validate(req(workload('Pod', goodSpec)), reg, noLabels);
  assert.equal(r.allowed, false);
  assert.match(r.status?.message ?? '', /image-registry-allowlist/);
  // dashboard flags
  const dash = workload('Deployment', { ...goodSpec, containers: [{ ...goodSpec.containers[0], image: 'kubernetesui/dashboard:v2.7.0', args: ['--enable-skip-login'] }] });
  assert.match(validate(req(dash), policyWith(), noLabels).status?.message ?? '', /dashboard-insecure-flags/);
  // warn mode: digest pinning and token automount
  const warned = validate(req(workload('Pod', { ...goodSpec, automountServiceAccountToken: undefined, containers: [{ ...goodSpec.containers[0], image: 'nginx:1.27' }] })), policyWith(), noLabels);
  assert.equal(warned.allowed, true);
  assert.ok(warned.warnings?.some((w) => w.startsWith('kubeward rule image-digest-pinning')));
  assert.ok(warned.warnings?.some((w) => w.startsWith('kubeward rule automount-service-account-token')));
  // a replacement check
  const custom = validate(req(workload('Pod', goodSpec)), policyWith(), {
    namespaces: new StaticNamespaceSource(),
    checks: { 'image-digest-pinning': () => [{ ruleId: 'image-digest-pinning', message: 'custom says no', pointer: '' }] },
  });
  assert.deepEqual(custom.warnings, ['kubeward rule image-digest-pinning: custom says no']);
});

test('mutation: safe defaults only where absent, valid paths, opt-in', () => {
  const on = policyWith({ mutation: { enabled: true, namespaces: [] } });
  const spec = {
    securityContext: { runAsNonRoot: false },
    containers: [
      { name: 'a', image: 'x', securityContext: { allowPrivilegeEscalation: true, capabilities: { drop: ['NET_RAW'], add: ['NET_BIND_SERVICE'] } } },
      { name: 'b', image: 'x', securityContext: { privileged: true } },
      { name: 'c', image: 'x', securityContext: null },
    ],
  };
  const v = mutate(req(workload('Deployment', spec)), on);
  assert.equal(v.allowed, true);
  assert.deepEqual(v.patch, [
    { op: 'add', path: '/spec/template/spec/securityContext/seccompProfile', value: { type: 'RuntimeDefault' } },
    { op: 'add', path: '/spec/template/spec/automountServiceAccountToken', value: false },
    { op: 'add', path: '/spec/template/spec/containers/0/securityContext/capabilities/drop/-', value: 'ALL' },
    { op: 'add', path: '/spec/template/spec/containers/1/securityContext/capabilities', value: { drop: ['ALL'] } },
    { op: 'add', path: '/spec/template/spec/containers/2/securityContext', value: { allowPrivilegeEscalation: false } },
    { op: 'add', path: '/spec/template/spec/containers/2/securityContext/capabilities', value: { drop: ['ALL'] } },
  ]);
  assert.match(v.auditAnnotations?.['mutated'] ?? '', /seccompProfile/);
  // disabled: nothing; per-namespace opt-in
  assert.deepEqual(mutate(req(workload('Pod', plainSpec)), policyWith()), { allowed: true });
  assert.ok(mutate(req(workload('Pod', plainSpec, 'team')), policyWith({ mutation: { enabled: false, namespaces: ['team'] } })).patch);
  // pods are immutable: no patch on UPDATE; workloads are patched
  assert.deepEqual(mutate(req(workload('Pod', plainSpec), { operation: 'UPDATE' }), on), { allowed: true });
  assert.ok(mutate(req(workload('StatefulSet', plainSpec), { operation: 'UPDATE' }), on).patch);
  // root by choice: no runAsNonRoot; windows: no Linux-only fields
  const root = mutate(req(workload('Pod', { containers: [{ name: 'a', image: 'x', securityContext: { runAsUser: 0 } }] })), on);
  assert.ok(!root.patch?.some((o) => o.path.endsWith('runAsNonRoot')));
  const win = mutate(req(workload('Pod', { os: { name: 'windows' }, containers: [{ name: 'a', image: 'x' }] })), on);
  assert.deepEqual(win.patch?.map((o) => o.path), ['/spec/securityContext', '/spec/automountServiceAccountToken']);
  // sandbox namespaces get the runtime class
  const sb = policyWith({ mutation: { enabled: true, namespaces: [] }, sandbox: { namespaces: ['apps'], runtimeClassName: 'gvisor', handlers: ['gvisor'] } });
  assert.ok(mutate(req(workload('Pod', plainSpec)), sb).patch?.some((o) => o.path === '/spec/runtimeClassName' && 'value' in o && o.value === 'gvisor'));
  // exempt: untouched
  assert.deepEqual(mutate(req(workload('Pod', plainSpec), { username: 'ci' }), policyWith({ mutation: { enabled: true, namespaces: [] }, exemptions: { namespaces: [], usernames: ['ci'], groups: [], runtimeClasses: [] } })), { allowed: true });
});

test('token automount heuristic', () => {
  const t = (spec: object, annotations?: Record<string, string>) => {
    const obj = workload('Pod', spec);
    if (annotations) obj.metadata.annotations = annotations;
    return usesKubernetesApi(obj, podTemplateOf(obj)!);
  };
  assert.equal(t(plainSpec), false);
  assert.equal(t({ ...plainSpec, serviceAccountName: 'default' }), false);
  assert.equal(t({ ...plainSpec, serviceAccountName: 'operator' }), true);
  assert.equal(t({ ...plainSpec, serviceAccount: 'operator' }), true);
  assert.equal(t(plainSpec, { 'kubeward.dev/uses-kubernetes-api': 'true' }), true);
  assert.equal(t({ ...plainSpec, volumes: [{ name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }] }), true);
});

test('property: mutation makes any pod without explicit unsafe values pass restricted, for every kind', () => {
  const container = fc.record(
    {
      name: fc.constantFrom('a', 'b', 'c'),
      image: fc.constant('nginx'),
      securityContext: fc.option(
        fc.record({ readOnlyRootFilesystem: fc.boolean(), runAsUser: fc.integer({ min: 1, max: 65535 }), capabilities: fc.record({ add: fc.constantFrom([], ['NET_BIND_SERVICE']) }, { requiredKeys: [] }) }, { requiredKeys: [] }),
        { nil: undefined },
      ),
    },
    { requiredKeys: ['name', 'image'] },
  );
  const spec = fc.record(
    {
      containers: fc.array(container, { minLength: 1, maxLength: 3 }),
      initContainers: fc.array(container, { maxLength: 2 }),
      securityContext: fc.option(fc.record({ fsGroup: fc.integer({ min: 1, max: 9999 }), runAsUser: fc.integer({ min: 1, max: 9999 }) }, { requiredKeys: [] }), { nil: undefined }),
      serviceAccountName: fc.constantFrom(undefined, 'default', 'app'),
    },
    { requiredKeys: ['containers'] },
  );
  const on = policyWith({ mutation: { enabled: true, namespaces: [] } });
  fc.assert(
    fc.property(spec, fc.constantFrom(...WORKLOAD_KINDS), (s, kind) => {
      const clean = JSON.parse(JSON.stringify(s)) as object;
      const obj = workload(kind, clean);
      const r = mutate(req(obj), on);
      const patched = applyJsonPatch(req(obj).object as KubeObject, r.patch ?? []);
      const tpl = podTemplateOf(patched)!;
      assert.deepEqual(evaluatePod(tpl.metadata, tpl.spec, 'restricted', 'latest').failures, []);
    }),
    { numRuns: 300 },
  );
});


test('namespaces: invalid Pod Security labels refused as PSA refuses them (422 Invalid), unchanged invalid ones let through', () => {
  const p = policyWith();
  const ns = (labels: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', labels } });
  const nsReq = (o: KubeObject, operation: 'CREATE' | 'UPDATE' = 'CREATE', oldObject?: KubeObject): AdmissionRequest => {
    const r = req(o, { operation, ...(oldObject ? { oldObject } : {}) });
    delete r.namespace;
    return r;
  };
  assert.deepEqual(validate(nsReq(ns({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.30' })), p, noLabels), { allowed: true });
  const bad = validate(nsReq(ns({ 'pod-security.kubernetes.io/enforce': 'restrictd' })), p, noLabels);
  assert.equal(bad.allowed, false);
  // apierrors.NewInvalid's Status: Failure, the message, and a cause per invalid label
  assert.deepEqual(bad.status, {
    status: 'Failure',
    code: 422,
    reason: 'Invalid',
    message: 'Namespace "team" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "restrictd": must be one of privileged, baseline, restricted',
    details: {
      name: 'team',
      kind: 'Namespace',
      causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: "restrictd": must be one of privileged, baseline, restricted', field: 'metadata.labels[pod-security.kubernetes.io/enforce]' }],
    },
  });
  const two = validate(nsReq(ns({ 'pod-security.kubernetes.io/enforce': 'x', 'pod-security.kubernetes.io/warn-version': 'v2' })), p, noLabels);
  assert.equal(
    two.status?.message,
    'Namespace "team" is invalid: [metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "x": must be one of privileged, baseline, restricted, ' +
      'metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: "v2": must be "latest" or "v1.x"]',
  );
  // UPDATE: refused when the invalid labels are new or changed; the same invalid labels as before pass
  const old = ns({ 'pod-security.kubernetes.io/enforce': 'restrictd' });
  assert.equal(validate(nsReq(ns({ 'pod-security.kubernetes.io/enforce': 'restrictd', team: 'a' }), 'UPDATE', old), p, noLabels).allowed, true);
  assert.equal(validate(nsReq(ns({ 'pod-security.kubernetes.io/enforce': 'strict' }), 'UPDATE', old), p, noLabels).allowed, false);
  assert.equal(validate(nsReq(ns({ 'pod-security.kubernetes.io/enforce': 'strict' }), 'UPDATE', ns({})), p, noLabels).allowed, false);
  assert.equal(validate(nsReq(ns({}), 'UPDATE', old), p, noLabels).allowed, true);
  // a Namespace of another API group is not ours
  assert.deepEqual(validate({ ...nsReq(ns({ 'pod-security.kubernetes.io/enforce': 'x' })), kind: { group: 'example.com', version: 'v1', kind: 'Namespace' } }, p, noLabels), { allowed: true });
});

test('namespaces named like Object.prototype members (constructor, toString) get their real levels', () => {
  // Valid namespace names; a plain-object lookup used to find Object.prototype's member and
  // read the namespace as fully privileged.
  const labels = { namespaces: new StaticNamespaceSource({ constructor: { 'pod-security.kubernetes.io/enforce': 'restricted' } }) };
  for (const policy of [policyWith(), policyWith({ namespaces: { other: { level: 'privileged', version: 'latest', mode: 'enforce' } } })]) {
    for (const ns of ['constructor', 'hasownproperty', 'valueof', '__proto__']) {
      const v = validate(req(workload('Pod', badSpec, ns)), policy, labels);
      assert.equal(v.allowed, false, ns);
      assert.equal(namespaceLevels(ns, policy, undefined).enforce.level, 'restricted', ns);
    }
  }
});

test('PodTemplate objects are evaluated as Pod Security Admission evaluates them (a pod template in the workloads mode)', () => {
  const podTemplate = (spec: object): KubeObject => ({ apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'pt', namespace: 'apps' }, template: { metadata: { labels: { app: 'x' } }, spec } } as KubeObject);
  const denied = validate(req(podTemplate(badSpec)), policyWith(), noLabels);
  assert.equal(denied.allowed, false);
  assert.equal(denied.status?.message.startsWith('podtemplates "pt" is forbidden: violates PodSecurity "restricted:latest": privileged'), true, denied.status?.message);
  const warned = validate(req(podTemplate(badSpec)), policyWith({ workloads: 'warn' }), noLabels);
  assert.equal(warned.allowed, true);
  assert.match(warned.warnings?.[0] ?? '', /^would violate PodSecurity "restricted:latest": privileged/);
  assert.equal(validate(req(podTemplate(goodSpec)), policyWith(), noLabels).allowed, true);
  // mutation patches the template where it lives
  const m = mutate(req(podTemplate(plainSpec)), policyWith({ mutation: { enabled: true, namespaces: [] } }));
  assert.ok(m.patch?.some((op) => op.path.startsWith('/template/spec/')), JSON.stringify(m.patch));
});

test('denials read like Pod Security Admission: the resource and name are forbidden, with status details', () => {
  const v = validate(req(workload('Deployment', badSpec)), policyWith(), noLabels);
  assert.equal(v.status?.message.startsWith('deployments.apps "x-deployment" is forbidden: violates PodSecurity "restricted:latest": '), true, v.status?.message);
  assert.deepEqual(v.status?.details, { name: 'x-deployment', group: 'apps', kind: 'deployments' });
  assert.equal(v.status?.status, 'Failure');
});

test('enforce-policy audit annotation as PSA sets it: on every enforced evaluation, privileged:latest for fully privileged namespaces', () => {
  const labels = (l: Record<string, string>) => ({ namespaces: new StaticNamespaceSource({ apps: l }) });
  const p = policyWith();
  const pod = req(workload('Pod', goodSpec));
  assert.equal(validate(pod, p, labels({ 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/warn': 'privileged', 'pod-security.kubernetes.io/audit': 'privileged' })).auditAnnotations?.['enforce-policy'], 'privileged:latest');
  assert.equal(validate(pod, p, labels({ 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/enforce-version': 'v1.30', 'pod-security.kubernetes.io/warn': 'restricted' })).auditAnnotations?.['enforce-policy'], 'privileged:v1.30');
  assert.equal(validate(pod, p, labels({ 'pod-security.kubernetes.io/enforce': 'baseline' })).auditAnnotations?.['enforce-policy'], 'baseline:latest');
  // workloads that are only warned about do not claim an enforced policy
  const deployment = req(workload('Deployment', goodSpec));
  assert.equal(validate(deployment, policyWith({ workloads: 'warn' }), labels({ 'pod-security.kubernetes.io/enforce': 'baseline' })).auditAnnotations?.['enforce-policy'], undefined);
  assert.equal(validate(deployment, p, labels({ 'pod-security.kubernetes.io/enforce': 'baseline' })).auditAnnotations?.['enforce-policy'], 'baseline:latest');
});

test('mutation leaves seccomp to a legacy pod annotation the API would find in conflict with the field', () => {
  const p = policyWith({ mutation: { enabled: true, namespaces: [] } });
  const withAnnotation = (value: string): KubeObject => {
    const pod = workload('Pod', plainSpec);
    pod.metadata.annotations = { 'seccomp.security.alpha.kubernetes.io/pod': value };
    return pod;
  };
  const seccompOps = (value: string) => (mutate(req(withAnnotation(value)), p).patch ?? []).filter((op) => op.path.includes('seccompProfile') || JSON.stringify(op).includes('seccompProfile'));
  assert.equal(seccompOps('unconfined').length, 0);
  assert.equal(seccompOps('localhost/profile.json').length, 0);
  assert.equal(seccompOps('runtime/default').length, 1);
  assert.equal(seccompOps('docker/default').length, 1);
});

test('rule warnings: one per rule, bounded, so the API server passes them on whole', () => {
  const containers = Array.from({ length: 60 }, (_, i) => ({ name: `app-${i}`, image: `registry.example.com/app:1.${i}`, securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }));
  const spec = { ...goodSpec, containers };
  const p = policyWith({ rules: { ...defaultPolicy().rules, 'image-digest-pinning': 'warn' } });
  const v = validate(req(workload('Pod', spec)), p, noLabels);
  const digest = (v.warnings ?? []).filter((w) => w.startsWith('kubeward rule image-digest-pinning:'));
  assert.equal(digest.length, 1, JSON.stringify(v.warnings));
  assert.ok((digest[0] ?? '').length <= 540, `${digest[0]?.length}`);
  assert.match(digest[0] ?? '', /… and \d+ more$/);
  assert.ok((v.warnings ?? []).join('').length < 4096);
});

test('no PSS warning on a request a kubeward rule denies; rules read the request namespace when the object has none', () => {
  const labels = { namespaces: new StaticNamespaceSource({ apps: { 'pod-security.kubernetes.io/warn': 'restricted' } }) };
  const enforceRegistry = policyWith({ rules: { ...defaultPolicy().rules, 'image-registry-allowlist': 'enforce' }, registries: { ...defaultPolicy().registries, allow: ['registry.example.com'] }, defaults: { level: 'privileged', version: 'latest', mode: 'enforce' } });
  const denied = validate(req(workload('Pod', plainSpec)), enforceRegistry, labels);
  assert.equal(denied.allowed, false);
  assert.equal(denied.warnings?.some((w) => w.includes('PodSecurity')) ?? false, false, JSON.stringify(denied.warnings));
  // the sandbox rule: namespace from the request, not from the object
  const sandboxed = policyWith({ rules: { ...defaultPolicy().rules, 'sandbox-runtime-class': 'enforce' }, sandbox: { namespaces: ['untrusted'], runtimeClassName: 'gvisor', handlers: ['runsc'] }, defaults: { level: 'privileged', version: 'latest', mode: 'enforce' } });
  const pod = workload('Pod', plainSpec);
  delete pod.metadata.namespace;
  const v = validate(req(pod, { namespace: 'untrusted' }), sandboxed, noLabels);
  assert.equal(v.allowed, false, JSON.stringify(v));
  assert.match(v.status?.message ?? '', /sandbox-runtime-class/);
});

test('mutation: a workload annotated as using the API passes the annotation to its pods; Windows ContainerAdministrator keeps running as it asked', () => {
  const p = policyWith({ mutation: { enabled: true, namespaces: [] } });
  const deployment = workload('Deployment', plainSpec);
  deployment.metadata.annotations = { 'kubeward.dev/uses-kubernetes-api': 'true' };
  const m = mutate(req(deployment), p);
  assert.ok(!(m.patch ?? []).some((op) => op.path.endsWith('/automountServiceAccountToken')), JSON.stringify(m.patch));
  const patched = applyJsonPatch(deployment, m.patch ?? []) as KubeObject & { spec: { template: { metadata: { annotations?: Record<string, string> }; spec: object } } };
  assert.equal(patched.spec.template.metadata.annotations?.['kubeward.dev/uses-kubernetes-api'], 'true');
  // the pod the controller then creates carries it, and keeps its token
  const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'x-', namespace: 'apps', ...patched.spec.template.metadata }, spec: patched.spec.template.spec };
  assert.ok(!(mutate(req(pod), p).patch ?? []).some((op) => op.path.endsWith('/automountServiceAccountToken')));

  const windows = workload('Pod', { ...plainSpec, os: { name: 'windows' }, securityContext: { windowsOptions: { runAsUserName: 'ContainerAdministrator' } } });
  assert.ok(!(mutate(req(windows), p).patch ?? []).some((op) => JSON.stringify(op).includes('runAsNonRoot')), 'the kubelet refuses ContainerAdministrator under runAsNonRoot');
});
