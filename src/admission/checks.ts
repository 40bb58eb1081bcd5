/**
 * The kubeward rules the webhook applies besides the Pod Security Standards. Each check
 * is a pluggable function `(obj, ctx) => Violation[]`; when the rule catalog registers a
 * rule with the same id, the catalog's implementation is used instead (see `resolveChecks`),
 * so `kubeward scan` and the webhook give one verdict per rule.
 *
 * The fallbacks below read only the object under review (admission sees nothing else):
 * - automount-service-account-token: the pod does not set `automountServiceAccountToken: false`.
 * - sandbox-runtime-class: in a sandbox namespace, `runtimeClassName` is not a sandbox handler.
 * - image-registry-allowlist: an image's registry/path is outside `registries.allow` (empty = any).
 * - image-digest-pinning: an image is not pinned by `@sha256:` digest.
 * - dashboard-insecure-flags: a Kubernetes Dashboard container runs with a login bypass or
 *   insecure serving flag.
 */
import type { KubeObject } from '../core/types.js';
import type { JsonPatchOp } from '../core/finding.js';
import { allContainers, type PodTemplate } from '../model/workloads.js';
import type { AdmissionRuleId, CompiledPolicy } from './policy.js';

export interface Violation {
  ruleId: string;
  message: string;
  /** JSON pointer inside the reviewed object. */
  pointer: string;
  fix?: JsonPatchOp[];
}

export interface CheckContext {
  policy: CompiledPolicy;
  namespace: string;
  template: PodTemplate;
}

export type AdmissionCheck = (obj: KubeObject, ctx: CheckContext) => Violation[];

function containerLabel(group: string, name: string): string {
  return `${group === 'initContainers' ? 'init container' : group === 'ephemeralContainers' ? 'ephemeral container' : 'container'} "${name}"`;
}

export const automountServiceAccountToken: AdmissionCheck = (_obj, { template }) => {
  if (template.spec.automountServiceAccountToken === false) return [];
  return [
    {
      ruleId: 'automount-service-account-token',
      message: 'the pod mounts a service-account token (set automountServiceAccountToken: false unless it calls the Kubernetes API)',
      pointer: `${template.specPointer}/automountServiceAccountToken`,
      fix: [{ op: 'add', path: `${template.specPointer}/automountServiceAccountToken`, value: false }],
    },
  ];
};

export const sandboxRuntimeClass: AdmissionCheck = (_obj, { policy, namespace, template }) => {
  if (!policy.sandboxNamespaces.has(namespace)) return [];
  const rc = template.spec.runtimeClassName;
  if (typeof rc === 'string' && policy.sandboxHandlers.has(rc)) return [];
  return [
    {
      ruleId: 'sandbox-runtime-class',
      message: `namespace "${namespace}" requires a sandbox runtimeClassName (${[...policy.sandboxHandlers].join(', ')}), got ${rc ? `"${rc}"` : 'none'}`,
      pointer: `${template.specPointer}/runtimeClassName`,
      fix: [{ op: 'add', path: `${template.specPointer}/runtimeClassName`, value: policy.policy.sandbox.runtimeClassName }],
    },
  ];
};

/** `nginx` → `docker.io/library/nginx`; `ghcr.io/a/b:1` → `ghcr.io/a/b`. */
export function imageRepository(image: string): string {
  let ref = image;
  const at = ref.indexOf('@');
  if (at >= 0) ref = ref.slice(0, at);
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) ref = ref.slice(0, colon);
  const first = ref.split('/')[0] ?? '';
  const hasRegistry = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return ref;
  return ref.includes('/') ? `docker.io/${ref}` : `docker.io/library/${ref}`;
}

/** True when `repository` is `entry` or lies under it (`ghcr.io/acme` allows `ghcr.io/acme/app`, not `ghcr.io/acmecorp`). */
export function registryAllows(entry: string, repository: string): boolean {
  const e = entry.replace(/\/+$/, '');
  return repository === e || repository.startsWith(`${e}/`);
}

export const imageRegistryAllowlist: AdmissionCheck = (_obj, { policy, template }) => {
  const allow = policy.policy.registries.allow;
  if (allow.length === 0) return [];
  const out: Violation[] = [];
  for (const { container, group, index } of allContainers(template.spec)) {
    const image = typeof container.image === 'string' ? container.image : '';
    const repo = imageRepository(image);
    if (allow.some((a) => registryAllows(a, repo))) continue;
    out.push({
      ruleId: 'image-registry-allowlist',
      message: `${containerLabel(group, container.name)} image "${image}" is not from an allowed registry (${allow.join(', ')})`,
      pointer: `${template.specPointer}/${group}/${index}/image`,
    });
  }
  return out;
};

export const imageDigestPinning: AdmissionCheck = (_obj, { template }) => {
  const out: Violation[] = [];
  for (const { container, group, index } of allContainers(template.spec)) {
    const image = typeof container.image === 'string' ? container.image : '';
    if (/@sha256:[0-9a-f]{64}$/.test(image)) continue;
    out.push({
      ruleId: 'image-digest-pinning',
      message: `${containerLabel(group, container.name)} image "${image}" is not pinned by digest (@sha256:…)`,
      pointer: `${template.specPointer}/${group}/${index}/image`,
    });
  }
  return out;
};

const DASHBOARD_IMAGE = /(^|\/)(kubernetesui\/dashboard(-[a-z]+)?|kubernetes-dashboard[-a-z0-9]*)(:|@|$)/;

/** Flags that open the Dashboard to anyone who reaches it, with the value that makes them unsafe. */
function insecureDashboardFlag(arg: string): string | undefined {
  const m = /^--?([a-z-]+)(?:=(.*))?$/.exec(arg.trim());
  if (!m) return undefined;
  const [, flag, value] = m;
  const truthy = value === undefined || value === '' || value === 'true';
  switch (flag) {
    case 'enable-skip-login':
    case 'enable-insecure-login':
    case 'disable-settings-authorizer':
      return truthy ? `--${flag}` : undefined;
    case 'insecure-bind-address':
      return value !== undefined && value !== '127.0.0.1' && value !== 'localhost' ? `--${flag}=${value}` : undefined;
    case 'authentication-mode':
      return value !== undefined && value.split(',').includes('basic') ? `--${flag}=${value}` : undefined;
    default:
      return undefined;
  }
}

export const dashboardInsecureFlags: AdmissionCheck = (_obj, { template }) => {
  const out: Violation[] = [];
  for (const { container, group, index } of allContainers(template.spec)) {
    if (typeof container.image !== 'string' || !DASHBOARD_IMAGE.test(container.image)) continue;
    for (const field of ['command', 'args'] as const) {
      const list = container[field];
      if (!Array.isArray(list)) continue;
      list.forEach((arg, i) => {
        const bad = typeof arg === 'string' ? insecureDashboardFlag(arg) : undefined;
        if (bad) {
          out.push({
            ruleId: 'dashboard-insecure-flags',
            message: `${containerLabel(group, container.name)} runs the Kubernetes Dashboard with ${bad}`,
            pointer: `${template.specPointer}/${group}/${index}/${field}/${i}`,
          });
        }
      });
    }
  }
  return out;
};

export const FALLBACK_CHECKS: Record<AdmissionRuleId, AdmissionCheck> = {
  'automount-service-account-token': automountServiceAccountToken,
  'dashboard-insecure-flags': dashboardInsecureFlags,
  'image-digest-pinning': imageDigestPinning,
  'image-registry-allowlist': imageRegistryAllowlist,
  'sandbox-runtime-class': sandboxRuntimeClass,
};
