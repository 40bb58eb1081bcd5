/**
 * Our rules against other projects' labelled policy fixtures (../shared/fixtures/policies):
 * Kyverno policies, the Gatekeeper library, kube-linter and kube-score. Wherever one of
 * their controls covers the same thing as one of our rules, each labelled resource must
 * get the same verdict from us as from them. The tables below map their control names to
 * our rule ids (and, where our rule covers more than their control, to the message ids
 * that correspond to it). Cases where we deliberately differ are listed in DIFFERENCES
 * with the reason; a listed difference that stops differing fails too, so the list stays
 * true.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import type { KubeObject, Resource } from '../core/types.js';
import { loadText } from '../load/index.js';
import { buildModel } from '../model/cluster.js';
import type { Rule } from './define.js';
import { RULES } from './registry.js';
import { resourceFromObject, runRules } from './run.js';
import type { RuleSettings } from './settings.js';
import { roleRefOf } from './catalog-helpers.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = resolve(repoRoot, '../shared/fixtures/policies');
const BY_ID = new Map(RULES.map((r) => [r.id, r]));

type Verdict = 'pass' | 'fail';

interface Mapping {
  /** Our rule. */
  rule: string;
  /** Only these message ids count (default: all of the rule's). */
  messages?: string[];
  settings?: Partial<RuleSettings>;
  /** Only findings whose message contains this text count (e.g. one socket path). */
  messageIncludes?: string;
}

interface Case {
  source: 'kyverno' | 'gatekeeper' | 'kube-linter' | 'kube-score';
  /** Stable id, used in DIFFERENCES. */
  id: string;
  expected: Verdict | string;
  actual: Verdict | string;
}

// ---------------------------------------------------------------- the mappings

/** Kyverno `policy/rule` → our rule. */
const KYVERNO: Record<string, Mapping> = {
  'disallow-host-namespaces/host-namespaces': { rule: 'host-namespaces' },
  'disallow-host-path/host-path': { rule: 'host-path-volume' },
  'disallow-host-ports/host-ports-none': { rule: 'host-port' },
  'disallow-privileged-containers/privileged-containers': { rule: 'privileged-container' },
  'disallow-capabilities/adding-capabilities': { rule: 'dangerous-capabilities' },
  'restrict-apparmor-profiles/app-armor': { rule: 'missing-apparmor-profile', messages: ['unconfined'] },
  'restrict-seccomp/check-seccomp': { rule: 'missing-seccomp-profile', messages: ['unconfined'] },
  'restrict-seccomp-strict/check-seccomp-strict': { rule: 'missing-seccomp-profile' },
  'disallow-capabilities-strict/require-drop-all': { rule: 'capabilities-not-dropped' },
  'drop-all-capabilities/require-drop-all': { rule: 'capabilities-not-dropped' },
  'disallow-privilege-escalation/privilege-escalation': { rule: 'allow-privilege-escalation' },
  'require-run-as-non-root-user/run-as-non-root-user': { rule: 'run-as-root', messages: ['runsAsUid0'] },
  'require-run-as-nonroot/run-as-non-root': { rule: 'run-as-root' },
  'disallow-container-sock-mounts/validate-docker-sock-mount': { rule: 'host-path-volume', messages: ['sensitiveHostPath'], messageIncludes: 'docker.sock' },
  'disallow-container-sock-mounts/validate-containerd-sock-mount': { rule: 'host-path-volume', messages: ['sensitiveHostPath'], messageIncludes: 'containerd' },
  'disallow-container-sock-mounts/validate-crio-sock-mount': { rule: 'host-path-volume', messages: ['sensitiveHostPath'], messageIncludes: 'crio' },
  'disallow-default-namespace/validate-namespace': { rule: 'workload-in-default-namespace' },
  'disallow-default-namespace/validate-podcontroller-namespace': { rule: 'workload-in-default-namespace' },
  'disallow-latest-tag/require-image-tag': { rule: 'image-latest-tag', messages: ['noTag'] },
  'disallow-latest-tag/validate-image-tag': { rule: 'image-latest-tag', messages: ['latestTag'] },
  'require-requests-limits/validate-resources': { rule: 'missing-resource-limits', messages: ['missingMemoryLimit', 'missingRequests'] },
  'require-ro-rootfs/validate-readOnlyRootFilesystem': { rule: 'writable-root-filesystem' },
  'restrict-image-registries/validate-registries': { rule: 'image-registry-allowlist', settings: { registryAllowlist: ['eu.foo.io', 'bar.io'] } },
  'restrict-nodeport/validate-nodeport': { rule: 'service-exposure', messages: ['nodePort'] },
  'restrict-external-ips/check-ips': { rule: 'service-external-ips' },
  'restrict-automount-sa-token/validate-automountServiceAccountToken': { rule: 'automount-service-account-token' },
  'secrets-not-from-env-vars/secrets-not-from-env-vars': { rule: 'secrets-in-env', messages: ['secretKeyRef'] },
  'secrets-not-from-env-vars/secrets-not-from-envfrom': { rule: 'secrets-in-env', messages: ['envFromSecret'] },
  'restrict-binding-clusteradmin/clusteradmin-bindings': { rule: 'rbac-cluster-admin-binding' },
  'restrict-binding-system-groups/restrict-anonymous': { rule: 'rbac-anonymous-binding', messages: ['anonymous'] },
  'restrict-binding-system-groups/restrict-unauthenticated': { rule: 'rbac-anonymous-binding', messages: ['unauthenticated'] },
  'restrict-escalation-verbs-roles/escalate': { rule: 'rbac-bind-escalate' },
  'restrict-secret-role-verbs/secret-verbs': { rule: 'rbac-secrets-read' },
  'restrict-wildcard-resources/wildcard-resources': { rule: 'rbac-wildcard', messages: ['wildcardResources'] },
  'restrict-wildcard-verbs/wildcard-verbs': { rule: 'rbac-wildcard', messages: ['wildcardVerbs'] },
};

/** Gatekeeper constraint kind → our rule, when the constraint's parameters mean the same as our rule. */
const GATEKEEPER: Record<string, (params: Record<string, unknown>) => Mapping | undefined> = {
  K8sPSPAllowPrivilegeEscalationContainer: () => ({ rule: 'allow-privilege-escalation' }),
  K8sPSPPrivilegedContainer: () => ({ rule: 'privileged-container' }),
  K8sPSPReadOnlyRootFilesystem: () => ({ rule: 'writable-root-filesystem' }),
  K8sPSPHostNamespace: () => ({ rule: 'host-namespaces', messages: ['hostPID', 'hostIPC'] }),
  K8sPSPHostFilesystem: (p) => (empty(p['allowedHostPaths']) ? { rule: 'host-path-volume' } : undefined),
  K8sPSPAutomountServiceAccountTokenPod: () => ({ rule: 'automount-service-account-token' }),
  K8sPSPAllowedUsers: (p) => ((p['runAsUser'] as { rule?: string } | undefined)?.rule === 'MustRunAsNonRoot' ? { rule: 'run-as-root' } : undefined),
  K8sPSPSeccompV2: (p) => (sameSet(p['allowedProfiles'], ['RuntimeDefault', 'Localhost']) ? { rule: 'missing-seccomp-profile' } : undefined),
  K8sPSPCapabilities: (p) => (sameSet(p['requiredDropCapabilities'], ['ALL']) ? { rule: 'capabilities-not-dropped' } : undefined),
  K8sDisallowedTags: (p) => (sameSet(p['tags'], ['latest']) ? { rule: 'image-latest-tag' } : undefined),
  K8sImageDigests: (p) => (empty(p['exemptImages']) ? { rule: 'image-digest-pinning' } : undefined),
  K8sDisallowAnonymous: (p) => (empty(p['allowedRoles']) ? { rule: 'rbac-anonymous-binding' } : undefined),
  K8sBlockLoadBalancer: () => ({ rule: 'service-exposure', messages: ['loadBalancer'] }),
  K8sBlockNodePort: () => ({ rule: 'service-exposure', messages: ['nodePort'] }),
  K8sExternalIPs: (p) => (empty(p['allowedIPs']) ? { rule: 'service-external-ips' } : undefined),
};

/**
 * kube-linter check → our rule. `viaBinding`: they report the binding of a role we report.
 * `perObject`: they report per container mount, we per volume, so only kinds are compared.
 */
const KUBE_LINTER: Record<string, Mapping & { viaBinding?: boolean; perObject?: boolean }> = {
  'privileged-container': { rule: 'privileged-container' },
  'privilege-escalation-container': { rule: 'allow-privilege-escalation' },
  'host-ipc': { rule: 'host-namespaces', messages: ['hostIPC'] },
  'host-network': { rule: 'host-namespaces', messages: ['hostNetwork'] },
  'host-pid': { rule: 'host-namespaces', messages: ['hostPID'] },
  'latest-tag': { rule: 'image-latest-tag' },
  'no-read-only-root-fs': { rule: 'writable-root-filesystem' },
  'run-as-non-root': { rule: 'run-as-root' },
  'sensitive-host-mounts': { rule: 'host-path-volume', messages: ['sensitiveHostPath'], perObject: true },
  'docker-sock': { rule: 'host-path-volume', messages: ['sensitiveHostPath'], messageIncludes: 'docker.sock', perObject: true },
  'env-var-secret': { rule: 'secrets-in-env', messages: ['literalSecret'] },
  'read-secret-from-env-var': { rule: 'secrets-in-env', messages: ['secretKeyRef'] },
  'default-service-account': { rule: 'default-service-account' },
  'exposed-services': { rule: 'service-exposure' },
  'drop-net-raw-capability': { rule: 'dangerous-capabilities' },
  'cluster-admin-role-binding': { rule: 'rbac-cluster-admin-binding' },
  'access-to-create-pods': { rule: 'rbac-pods-exec', messages: ['createPods'], viaBinding: true },
  'access-to-secrets': { rule: 'rbac-secrets-read', viaBinding: true },
};

/** kube-score check name → our rule (grade 10 = pass, 1 = fail; 5/7 warnings are not compared). */
const KUBE_SCORE: Record<string, Mapping> = {
  'Container Security Context Privileged': { rule: 'privileged-container' },
  'Container Security Context ReadOnlyRootFilesystem': { rule: 'writable-root-filesystem' },
  'Container Image Tag': { rule: 'image-latest-tag' },
  'Container Resources': { rule: 'missing-resource-limits' },
  'Container Seccomp Profile': { rule: 'missing-seccomp-profile' },
  'Service Type': { rule: 'service-exposure', messages: ['nodePort'] },
};

/**
 * Deliberate differences: case id → why our verdict differs. Each is checked to still differ.
 */
const DIFFERENCES: Record<string, string> = {
  'kyverno:restrict-binding-clusteradmin/clusteradmin-bindings/RoleBinding/badrb01':
    'roleRef is a namespaced Role that happens to be named cluster-admin, not the ClusterRole; Kyverno matches the name only',
  'kyverno:restrict-binding-clusteradmin/clusteradmin-bindings/RoleBinding/badrb02':
    'roleRef is a namespaced Role that happens to be named cluster-admin, not the ClusterRole; Kyverno matches the name only',
  'kyverno:restrict-escalation-verbs-roles/escalate/Role/badrole01':
    'the only verb is impersonate on roles, which the authorizer never consults (impersonation is checked on users, groups, serviceaccounts); rbac-bind-escalate looks at bind/escalate, rbac-impersonate at impersonate on identities',
  'gatekeeper:disallowedtags/exempt-images-with-disallowed-tags':
    'the constraint exempts images by name (exemptImages); kubeward expresses exemptions as configured exceptions with a justification, not as rule parameters',
  'gatekeeper:allow-privilege-escalation/exempted-path': 'exemptImages parameter (see above: exceptions are configuration, not rule semantics)',
  'gatekeeper:privileged-containers/exempted-image': 'exemptImages parameter (see above: exceptions are configuration, not rule semantics)',
  'gatekeeper:read-only-root-filesystem/exact-exemption': 'exemptImages parameter (see above: exceptions are configuration, not rule semantics)',
  'gatekeeper:read-only-root-filesystem/allow-normally-disallowed': 'exemptImages parameter (see above: exceptions are configuration, not rule semantics)',
  'gatekeeper:read-only-root-filesystem/image-with-exempt-prefix-readOnlyRootFilesystem-not-required':
    'exemptImages parameter (see above: exceptions are configuration, not rule semantics)',
  'gatekeeper:seccompv2/example-allowed-exempt-image': 'exemptImages parameter (see above: exceptions are configuration, not rule semantics)',
  'kube-score:154:TestContainerSeccompAllGood:Container Seccomp Profile':
    'the pod only carries seccomp.security.alpha.kubernetes.io/defaultProfileName, a PodSecurityPolicy annotation that has no effect on a Pod (the kubelet read seccomp.security.alpha.kubernetes.io/pod and container.seccomp.security.alpha.kubernetes.io/<name>); the pod runs Unconfined',
  'kube-score:155:TestContainerSeccompAllGoodAnnotation:Container Seccomp Profile': 'same fixture idea: only the PodSecurityPolicy defaultProfileName annotation, no effective profile',
  'kube-linter:run-as-non-root':
    'kube-linter also reports runAsGroup: 0 (container "app3"); run-as-root follows the Pod Security Standards, which constrain the user, not the group',
};

// ---------------------------------------------------------------- helpers

function empty(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0);
}

function sameSet(v: unknown, want: string[]): boolean {
  return Array.isArray(v) && v.length === want.length && want.every((w) => v.includes(w));
}

function ruleOf(m: Mapping): Rule {
  const r = BY_ID.get(m.rule);
  assert.ok(r, `mapping names unknown rule ${m.rule}`);
  for (const id of m.messages ?? []) assert.ok(id in r.meta.messages, `${m.rule} has no message id ${id}`);
  return r;
}

function loadFile(file: string): Resource[] {
  const loaded = loadText(readFileSync(file, 'utf8'), file);
  return loaded.resources;
}

/** Findings of the mapped rule (and message ids) over `context`, keyed by `Kind/name`. */
function findings(m: Mapping, context: Resource[]): Array<{ key: string; message: string }> {
  const rule = ruleOf(m);
  const out = runRules(buildModel(context), [rule], m.settings ? { settings: m.settings } : {});
  return out
    .filter((f) => (!m.messages || m.messages.includes(f.messageId)) && (m.messageIncludes === undefined || f.message.includes(m.messageIncludes)))
    .map((f) => ({ key: `${f.resource.kind}/${f.resource.name}`, message: f.message }));
}

function verdictFor(m: Mapping, context: Resource[], kind: string, name: string): Verdict {
  return findings(m, context).some((f) => f.key === `${kind}/${name}`) ? 'fail' : 'pass';
}

// ---------------------------------------------------------------- Kyverno

interface KyvernoResult {
  policy: string;
  rule: string;
  kind: string;
  resources?: string[];
  resource?: string;
  result: string;
}

function kyvernoCases(): Case[] {
  const root = join(fixtures, 'kyverno-policies');
  const tests: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'kyverno-test.yaml') tests.push(p);
    }
  };
  walk(root);
  const cases: Case[] = [];
  for (const t of tests.sort()) {
    const spec = load(readFileSync(t, 'utf8')) as { resources?: string[]; results?: KyvernoResult[] };
    const results = (spec.results ?? []).filter((r) => KYVERNO[`${r.policy}/${r.rule}`] && (r.result === 'pass' || r.result === 'fail'));
    if (results.length === 0) continue;
    const context = (spec.resources ?? []).flatMap((f) => loadFile(join(dirname(t), f)));
    for (const r of results) {
      const m = KYVERNO[`${r.policy}/${r.rule}`] as Mapping;
      for (const full of r.resources ?? (r.resource ? [r.resource] : [])) {
        const name = full.split('/').pop() ?? full;
        cases.push({ source: 'kyverno', id: `kyverno:${r.policy}/${r.rule}/${r.kind}/${name}`, expected: r.result as Verdict, actual: verdictFor(m, context, r.kind, name) });
      }
    }
  }
  return cases;
}

// ---------------------------------------------------------------- Gatekeeper

function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split('\n').slice(1)) {
    if (line.trim() === '') continue;
    const cells: string[] = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i] as string;
      if (ch === '"') {
        if (quoted && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = !quoted;
      } else if (ch === ',' && !quoted) {
        cells.push(cur);
        cur = '';
      } else cur += ch;
    }
    cells.push(cur);
    rows.push(cells);
  }
  return rows;
}

function gatekeeperCases(): Case[] {
  const root = join(fixtures, 'gatekeeper-library');
  const cases: Case[] = [];
  for (const [suite, , constraintPath, caseName, objectPath, inventory, expected] of csvRows(readFileSync(join(root, 'cases.csv'), 'utf8'))) {
    if (!constraintPath || !objectPath || !suite) continue;
    const constraint = load(readFileSync(join(root, constraintPath), 'utf8')) as { kind: string; spec?: { parameters?: Record<string, unknown> } };
    const m = GATEKEEPER[constraint.kind]?.(constraint.spec?.parameters ?? {});
    if (!m) continue;
    const docs = loadFile(join(root, objectPath));
    const doc = docs[0];
    if (!doc) continue;
    let target = doc;
    if (doc.object.kind === 'AdmissionReview') {
      const req = doc.object['request'] as { operation?: string; object?: KubeObject } | undefined;
      // Scanning has no operations: UPDATE reviews (which PSP constraints ignore) are not comparable.
      if (!req?.object || req.operation === 'UPDATE') continue;
      target = resourceFromObject(req.object, objectPath);
    }
    const context = [target, ...(inventory ? inventory.split(/[;|]/).filter(Boolean).flatMap((p) => loadFile(join(root, p.trim()))) : [])];
    const id = `gatekeeper:${dirname(suite).split('/').pop() ?? suite}/${caseName ?? ''}`;
    cases.push({ source: 'gatekeeper', id, expected: expected === 'violation' ? 'fail' : 'pass', actual: verdictFor(m, context, target.object.kind, target.object.metadata.name ?? '') });
  }
  return cases;
}

// ---------------------------------------------------------------- kube-linter

interface LinterCase {
  test: string;
  input: string;
  include_check: string | null;
  expected_report_count: number | null;
  expected_reports: Array<{ format: string; expected: string }>;
}

/** `Kind container`: what a kube-linter report names (kind, and container when the message has one). */
function linterKey(kind: string, message: string): string {
  const c = /container "([^"]+)"/.exec(message);
  return c ? `${kind} ${c[1]}` : kind;
}

function kubeLinterCases(): Case[] {
  const root = join(fixtures, 'kube-linter');
  const cases: Case[] = [];
  const all = JSON.parse(readFileSync(join(root, 'cases.json'), 'utf8')) as LinterCase[];
  for (const c of all) {
    const m = c.include_check ? KUBE_LINTER[c.include_check] : undefined;
    if (!m || c.expected_report_count === null) continue;
    const context = loadFile(join(root, c.input));
    // Their reports, minus OpenShift kinds we do not model.
    const theirs = c.expected_reports
      .map((r) => {
        const [head = '', ...rest] = r.expected.split(': ');
        const kind = head.split(' ')[0] ?? head;
        return m.perObject ? kind : linterKey(kind, rest.join(': '));
      })
      .filter((k) => !k.startsWith('DeploymentConfig') && !k.startsWith('SecurityContextConstraints'))
      .sort();
    let ours: string[];
    if (m.viaBinding) {
      const roles = new Set(findings(m, context).map((f) => f.key));
      ours = context
        .filter((r) => r.object.kind === 'RoleBinding' || r.object.kind === 'ClusterRoleBinding')
        .filter((b) => {
          const ref = roleRefOf(b);
          return ref !== undefined && roles.has(`${ref.kind}/${ref.name}`);
        })
        .map((b) => b.object.kind)
        .sort();
    } else {
      const seen = new Set<string>();
      ours = [];
      for (const f of findings(m, context)) {
        const kind = f.key.split('/')[0] ?? '';
        const key = (m.perObject ? kind : linterKey(kind, f.message)) + `\0${f.key}`;
        if (seen.has(key)) continue;
        seen.add(key);
        ours.push(key.split('\0')[0] as string);
      }
      ours.sort();
    }
    cases.push({ source: 'kube-linter', id: `kube-linter:${c.test}`, expected: theirs.join(', '), actual: ours.join(', ') });
  }
  return cases;
}

// ---------------------------------------------------------------- kube-score

interface ScoreCase {
  test_func: string;
  files: string[];
  check: string;
  expected_grade: string;
  checks_config: string | null;
  run_config: string | null;
}

function kubeScoreCases(): Case[] {
  const root = join(fixtures, 'kube-score');
  const cases: Case[] = [];
  const all = JSON.parse(readFileSync(join(root, 'cases.json'), 'utf8')) as ScoreCase[];
  all.forEach((c, i) => {
    const m = KUBE_SCORE[c.check];
    const grade = Number.parseInt(c.expected_grade, 10);
    // Compared: definite grades, under the default configuration or one that only enables optional checks.
    const custom = (c.checks_config !== null && c.checks_config !== 'nil') || /Ignore|MinReplicas/.test(c.run_config ?? '');
    if (!m || (grade !== 1 && grade !== 10) || custom) return;
    const context = c.files.flatMap((f) => loadFile(join(root, f)));
    const kinds = m.rule === 'service-exposure' ? ['Service'] : ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet', 'ReplicationController'];
    const first = context.find((r) => kinds.includes(r.object.kind));
    if (!first) return;
    cases.push({
      source: 'kube-score',
      id: `kube-score:${i}:${c.test_func}:${c.check}`,
      expected: grade === 10 ? 'pass' : 'fail',
      actual: verdictFor(m, context, first.object.kind, first.object.metadata.name ?? ''),
    });
  });
  return cases;
}

// ---------------------------------------------------------------- the test

if (!existsSync(fixtures)) {
  console.log('NOTICE: ../shared/fixtures absent; skipping policies conformance');
  test.skip('policies conformance (../shared/fixtures absent)');
} else {
  const sources: Array<[string, () => Case[]]> = [
    ['kyverno-policies', kyvernoCases],
    ['gatekeeper-library', gatekeeperCases],
    ['kube-linter', kubeLinterCases],
    ['kube-score', kubeScoreCases],
  ];
  const seenDifferences = new Set<string>();
  let total = 0;
  for (const [name, collect] of sources) {
    test(`policies conformance: ${name}`, () => {
      const cases = collect();
      assert.ok(cases.length > 0, `no comparable cases found for ${name}`);
      const wrong: string[] = [];
      let agreed = 0;
      let differ = 0;
      for (const c of cases) {
        const same = c.expected === c.actual;
        if (c.id in DIFFERENCES) {
          seenDifferences.add(c.id);
          differ++;
          if (same) wrong.push(`${c.id}: listed as a deliberate difference but now agrees (${c.actual}); remove it from DIFFERENCES`);
        } else if (same) agreed++;
        else wrong.push(`${c.id}: expected ${c.expected || '(none)'}, kubeward ${c.actual || '(none)'}`);
      }
      total += cases.length;
      console.log(`policies conformance ${name}: ${cases.length} cases compared, ${agreed} agree, ${differ} deliberate differences`);
      assert.deepEqual(wrong, []);
    });
  }
  test('policies conformance: every listed difference is still a case', () => {
    console.log(`policies conformance: ${total} cases compared in all`);
    assert.deepEqual(Object.keys(DIFFERENCES).filter((id) => !seenDifferences.has(id)), []);
  });
}
