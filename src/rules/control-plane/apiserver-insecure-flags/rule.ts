/**
 * kube-apiserver flags that open the API server: anonymous access, AlwaysAllow
 * authorization, an insecure port, admission plugins that let unsecured pods in, no audit
 * log. Read from the kube-apiserver static pod manifest (/etc/kubernetes/manifests) or any
 * pod that runs kube-apiserver. CIS Kubernetes Benchmark section 1.2.
 */
import type { Severity } from '../../../core/types.js';
import { topLevelWorkloads } from '../../../model/cluster.js';
import { defineRule } from '../../define.js';

type Flags = Map<string, { value: string; index: number; list: 'command' | 'args' }>;

/** `--name=value`, `--name value` and bare `--name` (true) from command and args. */
/** kube-apiserver flags whose repetitions accumulate. */
const LIST_FLAGS = new Set(['enable-admission-plugins', 'disable-admission-plugins', 'authorization-mode']);

export function parseFlags(command: readonly unknown[], args: readonly unknown[]): Flags {
  const flags: Flags = new Map();
  // A repeated list flag (pflag StringSlice) adds to the list; other flags: the last one wins.
  const set = (name: string, f: { value: string; index: number; list: 'command' | 'args' }): void => {
    const prev = flags.get(name);
    flags.set(name, prev && LIST_FLAGS.has(name) ? { ...f, value: `${prev.value},${f.value}` } : f);
  };
  for (const [list, items] of [['command', command], ['args', args]] as const) {
    for (let i = 0; i < items.length; i++) {
      const a = items[i];
      if (typeof a !== 'string' || !a.startsWith('--')) continue;
      const eq = a.indexOf('=');
      if (eq > 0) set(a.slice(2, eq), { value: a.slice(eq + 1), index: i, list });
      else {
        const next = items[i + 1];
        const isValue = typeof next === 'string' && !next.startsWith('-');
        set(a.slice(2), { value: isValue ? next : 'true', index: i, list });
        if (isValue) i++;
      }
    }
  }
  return flags;
}

const listOf = (v: string | undefined): string[] => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

export default defineRule({
  id: 'apiserver-insecure-flags',
  meta: {
    title: 'kube-apiserver runs with insecure flags',
    category: 'control-plane',
    severity: 'high',
    practice: 'api-server-firewall',
    targets: 'Pod (kube-apiserver static pod), Deployment/DaemonSet running kube-apiserver',
    docs: {
      description:
        'The API server is the front door of the cluster: a stolen token, kubectl or an anonymous request all go through it. These flags widen that door: --anonymous-auth left on, --authorization-mode=AlwaysAllow or without RBAC, an insecure (unauthenticated HTTP) port, --token-auth-file static tokens, AlwaysAdmit or a disabled PodSecurity/NodeRestriction admission plugin (unsecured pods are no longer rejected), no audit log, profiling endpoints, and kubelet connections whose certificate is not verified.',
      remediation:
        'Set --anonymous-auth=false, --authorization-mode=Node,RBAC, --enable-admission-plugins including NodeRestriction (and never AlwaysAdmit; keep PodSecurity enabled), --audit-log-path with rotation, --profiling=false, --kubelet-certificate-authority; remove --insecure-port/--token-auth-file. Restrict who can reach the API server with authorized networks or a firewall in front of it.',
    },
    references: [
      { framework: 'CIS', id: '1.2', title: 'API Server' },
      { framework: 'NSA-CISA', id: 'Control plane hardening' },
      { framework: 'MITRE', id: 'T1133', title: 'External Remote Services' },
    ],
    messages: {
      anonymous: 'anonymous requests are authenticated as system:anonymous (--anonymous-auth is not false)',
      alwaysAllow: '--authorization-mode={{value}} authorizes every request',
      noRbac: '--authorization-mode={{value}} does not include RBAC',
      insecurePort: '--insecure-port={{value}} serves the API without authentication or TLS',
      tokenFile: '--token-auth-file uses static bearer tokens that cannot be revoked without a restart',
      alwaysAdmit: '--enable-admission-plugins includes AlwaysAdmit: admission control is bypassed',
      disabledPlugin: '--disable-admission-plugins turns off {{plugin}}',
      noNodeRestriction: 'the NodeRestriction admission plugin is not enabled: a node can modify other nodes and their pods',
      noAudit: 'no --audit-log-path: API requests are not audited',
      profiling: '--profiling is not false: profiling endpoints are served',
      kubeletCa: 'no --kubelet-certificate-authority: kubelet serving certificates are not verified',
    },
    severities: { alwaysAllow: ['critical'], insecurePort: ['critical'], anonymous: ['medium'], kubeletCa: ['medium'], noAudit: ['medium'], noNodeRestriction: ['medium'], profiling: ['low'] },
  },
  check(ctx) {
    for (const w of topLevelWorkloads(ctx.model)) {
      w.template.spec.containers.forEach((c, ci) => {
        const command = Array.isArray(c.command) ? c.command : [];
        const args = Array.isArray(c.args) ? c.args : [];
        const runsApiserver = [...command, ...args].slice(0, 2).some((x) => typeof x === 'string' && /(^|\/)kube-apiserver$/.test(x));
        if (!runsApiserver) return;
        const flags = parseFlags(command, args);
        const base = `${w.template.specPointer}/containers/${ci}`;
        const at = (name: string): string => {
          const f = flags.get(name);
          return f ? `${base}/${f.list}/${f.index}` : `${base}/${args.length > 0 ? 'args' : 'command'}`;
        };
        const report = (messageId: Parameters<typeof ctx.report>[0]['messageId'], flag: string, severity: Severity, data: Record<string, string> = {}): void =>
          ctx.report({ messageId, resource: w.resource, pointer: at(flag), severity, data });
        if (flags.get('anonymous-auth')?.value !== 'false') report('anonymous', 'anonymous-auth', 'medium');
        // --authorization-config (structured authorization, GA in 1.32) replaces --authorization-mode:
        // the two are mutually exclusive, and the authorizers are then in that file.
        if (!flags.has('authorization-config') || flags.has('authorization-mode')) {
          const modes = listOf(flags.get('authorization-mode')?.value ?? 'AlwaysAllow');
          const modeValue = flags.get('authorization-mode')?.value ?? 'AlwaysAllow (default)';
          if (modes.includes('AlwaysAllow')) report('alwaysAllow', 'authorization-mode', 'critical', { value: modeValue });
          else if (!modes.includes('RBAC')) report('noRbac', 'authorization-mode', 'high', { value: modeValue });
        }
        const insecure = flags.get('insecure-port');
        if (insecure && insecure.value !== '0') report('insecurePort', 'insecure-port', 'critical', { value: insecure.value });
        if (flags.has('token-auth-file')) report('tokenFile', 'token-auth-file', 'high');
        const enabled = listOf(flags.get('enable-admission-plugins')?.value);
        if (enabled.includes('AlwaysAdmit')) report('alwaysAdmit', 'enable-admission-plugins', 'high');
        for (const plugin of listOf(flags.get('disable-admission-plugins')?.value)) {
          if (['PodSecurity', 'NodeRestriction', 'ServiceAccount'].includes(plugin)) report('disabledPlugin', 'disable-admission-plugins', 'high', { plugin });
        }
        if (!enabled.includes('NodeRestriction')) report('noNodeRestriction', 'enable-admission-plugins', 'medium');
        if (!flags.has('audit-log-path')) report('noAudit', 'audit-log-path', 'medium');
        if (flags.get('profiling')?.value !== 'false') report('profiling', 'profiling', 'low');
        if (!flags.has('kubelet-certificate-authority')) report('kubeletCa', 'kubelet-certificate-authority', 'medium');
      });
    }
  },
});
