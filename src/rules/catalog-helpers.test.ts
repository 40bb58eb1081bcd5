import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isDigestPinned, normaliseCapability, parseImageRef, registryAllows, ruleGrants, setFieldFix, type PolicyRule } from './catalog-helpers.js';
import { isSensitiveHostPath, normaliseHostPath } from './workload/host-path-volume/rule.js';
import { looksLikeSecretName } from './workload/secrets-in-env/rule.js';
import { insecureDashboardFlag } from './dashboard/dashboard-insecure-flags/rule.js';

const D = `sha256:${'a'.repeat(64)}`;

test('parseImageRef normalises as container runtimes do', () => {
  const cases: Array<[string, string, string | undefined, string | undefined]> = [
    ['nginx', 'docker.io/library/nginx', undefined, undefined],
    ['nginx:1.27', 'docker.io/library/nginx', '1.27', undefined],
    ['bitnami/redis:7', 'docker.io/bitnami/redis', '7', undefined],
    ['index.docker.io/library/nginx', 'docker.io/library/nginx', undefined, undefined],
    ['localhost:5000/app', 'localhost:5000/app', undefined, undefined],
    ['localhost/app:1', 'localhost/app', '1', undefined],
    ['registry.example.com:5000/a/b:2@' + D, 'registry.example.com:5000/a/b', '2', D],
    ['ghcr.io/org/app@' + D, 'ghcr.io/org/app', undefined, D],
    ['Quay.IO/org/app', 'quay.io/org/app', undefined, undefined],
  ];
  for (const [image, repo, tag, digest] of cases) {
    const r = parseImageRef(image);
    assert.equal(r.repository, repo, image);
    assert.equal(r.tag, tag, image);
    assert.equal(r.digest, digest, image);
  }
  assert.ok(isDigestPinned(parseImageRef(`nginx@${D}`)));
  assert.ok(!isDigestPinned(parseImageRef('nginx@sha256:1234')));
});

test('parseImageRef round-trips generated references', () => {
  const seg = fc.stringMatching(/^[a-z0-9]([a-z0-9._-]{0,8}[a-z0-9])?$/);
  fc.assert(
    fc.property(fc.constantFrom('ghcr.io', 'registry.example.com:5000', 'localhost:5000'), fc.array(seg, { minLength: 1, maxLength: 3 }), fc.option(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,10}$/), { nil: undefined }), (host, path, tag) => {
      const image = `${host}/${path.join('/')}${tag !== undefined ? `:${tag}` : ''}`;
      const r = parseImageRef(image);
      assert.equal(r.repository, `${host}/${path.join('/')}`);
      assert.equal(r.tag, tag);
    }),
  );
});

test('registryAllows matches whole path segments only', () => {
  const ref = (i: string) => parseImageRef(i);
  assert.ok(registryAllows('ghcr.io/acme', ref('ghcr.io/acme/app:1')));
  assert.ok(!registryAllows('ghcr.io/acme', ref('ghcr.io/acmecorp/app:1')));
  assert.ok(registryAllows('docker.io/library', ref('nginx')));
  assert.ok(registryAllows('https://index.docker.io/', ref('bitnami/redis')));
  assert.ok(!registryAllows('registry.example.com', ref('registry.example.com.evil.io/app')));
  assert.ok(!registryAllows('', ref('nginx')));
});

test('sensitive host paths: equal, below, or containing a sensitive path', () => {
  for (const p of ['/', '/etc', '/etc/', '/etc/kubernetes', '/var/run', '/var/run/docker.sock', '/run/containerd/containerd.sock', '/var', '//proc//1', '/var/lib/kubelet/pods', '/var/lib/../lib/docker', '/dev/sda', '/var/lib/etcd', '/home/user/.ssh', '/var/lib/containers/storage', '/run/k3s/containerd/containerd.sock', '/var/run/podman/podman.sock', '/var/lib/rancher/k3s']) {
    assert.ok(isSensitiveHostPath(p), p);
  }
  for (const p of ['/data', '/etcetera', '/var/log', '/opt/app', '/homes', '/var/lib/app']) assert.ok(!isSensitiveHostPath(p), p);
  assert.equal(normaliseHostPath('/var/run//crio/'), '/run/crio');
});

test('capability names ignore case and the CAP_ prefix', () => {
  assert.equal(normaliseCapability('cap_sys_admin'), 'SYS_ADMIN');
  assert.equal(normaliseCapability(' Net_Raw '), 'NET_RAW');
});

test('secret-looking environment variable names', () => {
  for (const n of ['DB_PASSWORD', 'password', 'API_KEY', 'apiKey', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'client-secret', 'SENTRY_DSN', 'PGPASS']) assert.ok(looksLikeSecretName(n), n);
  for (const n of ['PWD', 'PASSWORD_FILE', 'TOKEN_TTL', 'SECRET_NAME', 'LOG_LEVEL', 'KEYCLOAK_URL', 'PASSENGER_COUNT']) assert.ok(!looksLikeSecretName(n), n);
});

test('dashboard flags: bare and =true turn them on, =false does not', () => {
  assert.equal(insecureDashboardFlag('--enable-skip-login'), 'skipLogin');
  assert.equal(insecureDashboardFlag('--enable-skip-login=true'), 'skipLogin');
  assert.equal(insecureDashboardFlag('--enable-skip-login=false'), undefined);
  assert.equal(insecureDashboardFlag('--authentication-mode=token'), undefined);
  assert.equal(insecureDashboardFlag('--authentication-mode=basic'), 'basicAuth');
  assert.equal(insecureDashboardFlag('--authentication-mode', 'token,basic'), 'basicAuth', 'pflag: a string flag takes the next argument');
  assert.equal(insecureDashboardFlag('--authentication-mode', 'token'), undefined);
  assert.equal(insecureDashboardFlag('--enable-skip-login', 'false'), 'skipLogin', 'a boolean flag never does');
  assert.equal(insecureDashboardFlag('--enable-insecure-login=TRUE'), 'insecureLogin');
});

test('ruleGrants honours wildcards and subresource patterns as the authorizer does', () => {
  const r = (verbs: string[], apiGroups: string[], resources: string[]): PolicyRule => ({ verbs, apiGroups, resources, resourceNames: [], nonResourceURLs: [] });
  assert.ok(ruleGrants(r(['*'], [''], ['*/exec']), ['create'], '', 'pods/exec'));
  // `pods/*` is not a wildcard to the RBAC authorizer: it names a literal subresource `*`.
  assert.ok(!ruleGrants(r(['*'], [''], ['pods/*']), ['create'], '', 'pods/exec'));
  assert.ok(ruleGrants(r(['get', 'create'], [''], ['pods/exec']), ['create'], '', 'pods/exec'));
  assert.ok(ruleGrants(r(['create'], ['*'], ['*']), ['create'], '', 'pods/exec'));
  assert.ok(!ruleGrants(r(['create'], [''], ['pods']), ['create'], '', 'pods/exec'));
  assert.ok(!ruleGrants(r(['get'], ['apps'], ['secrets']), ['get'], '', 'secrets'));
});

test('setFieldFix adds the first missing parent with the rest nested', () => {
  const obj = { spec: { containers: [{ name: 'a', securityContext: { runAsUser: 1 } }] } };
  assert.deepEqual(setFieldFix(obj, '/spec/containers/0', ['securityContext', 'capabilities', 'drop'], ['ALL']), [
    { op: 'add', path: '/spec/containers/0/securityContext/capabilities', value: { drop: ['ALL'] } },
  ]);
  assert.deepEqual(setFieldFix(obj, '/spec/containers/0', ['securityContext', 'runAsUser'], 2), [{ op: 'replace', path: '/spec/containers/0/securityContext/runAsUser', value: 2 }]);
});

test('a securityContext that is not a mapping is reported at itself, not a crash', async () => {
  const { runRules, resourceFromObject } = await import('./run.js');
  const { buildModel } = await import('../model/cluster.js');
  const { RULES } = await import('./registry.js');
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' }, spec: { containers: [{ name: 'c', image: 'nginx', securityContext: 'oops' }] } };
  const findings = runRules(buildModel([resourceFromObject(pod)]), RULES);
  const at = (id: string) => findings.find((f) => f.ruleId === id)?.pointer;
  for (const id of ['allow-privilege-escalation', 'writable-root-filesystem', 'run-as-root']) assert.equal(at(id), '/spec/containers/0/securityContext', id);
});
