/**
 * Dashboard flags that remove authentication: `--enable-skip-login` (critical: anyone gets
 * the Dashboard's own service account), `--enable-insecure-login` (login over plain HTTP),
 * `--authentication-mode=basic` (static passwords), `--disable-settings-authorizer`
 * (anyone may change global settings). A boolean flag counts when written bare or `=true`;
 * `=false` means unset. Flags are read from `command` and `args` of every container of a
 * Dashboard workload.
 */
import { containerLabel, containersOf, dashboardWorkloads, WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';
import type { Severity } from '../../../core/types.js';

type Flag = 'skipLogin' | 'insecureLogin' | 'basicAuth' | 'settingsAuthorizerDisabled';

const SEVERITY: Record<Flag, Severity> = { skipLogin: 'critical', insecureLogin: 'high', basicAuth: 'high', settingsAuthorizerDisabled: 'medium' };

/**
 * The insecure setting an argument turns on, if any. `next` is the argument after it: string
 * flags take their value from it when written without `=` (`--authentication-mode basic`, as
 * pflag reads them); boolean flags never do.
 */
export function insecureDashboardFlag(arg: string, next?: unknown): Flag | undefined {
  const m = /^--?([a-z-]+)(?:=(.*))?$/.exec(arg.trim());
  if (!m) return undefined;
  const flag = m[1] ?? '';
  const value = (m[2] ?? (flag === 'authentication-mode' && typeof next === 'string' ? next : undefined))?.trim().toLowerCase();
  const on = value === undefined || value === 'true' || value === '1' || value === 't';
  switch (flag) {
    case 'enable-skip-login':
      return on ? 'skipLogin' : undefined;
    case 'enable-insecure-login':
      return on ? 'insecureLogin' : undefined;
    case 'disable-settings-authorizer':
      return on ? 'settingsAuthorizerDisabled' : undefined;
    case 'authentication-mode':
      return value !== undefined && value.split(',').map((s) => s.trim()).includes('basic') ? 'basicAuth' : undefined;
    default:
      return undefined;
  }
}

export default defineRule({
  id: 'dashboard-insecure-flags',
  meta: {
    title: 'Kubernetes Dashboard with authentication weakened',
    category: 'dashboard',
    severity: 'high',
    practice: 'dashboard',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        '`--enable-skip-login` shows a "Skip" button that logs anyone in with the Dashboard\'s own service account: whoever reaches the UI gets its permissions (critical). `--enable-insecure-login` allows logging in over plain HTTP, leaking tokens; `--authentication-mode=basic` accepts static passwords; `--disable-settings-authorizer` lets any user change the global settings.',
      remediation: 'Remove these flags (or set the boolean ones to false). Use token or OIDC login over HTTPS only.',
    },
    references: [
      { framework: 'NSA-CISA', id: 'Authentication and authorization' },
      { framework: 'MITRE', id: 'T1133', title: 'External Remote Services' },
      { framework: 'MITRE', id: 'T1078', title: 'Valid Accounts' },
      { framework: 'URL', id: 'https://github.com/kubernetes/dashboard/blob/master/docs/common/arguments.md' },
    ],
    messages: {
      skipLogin: '{{container}} runs the Dashboard with {{arg}}: anyone can skip login',
      insecureLogin: '{{container}} runs the Dashboard with {{arg}}: login over plain HTTP',
      basicAuth: '{{container}} runs the Dashboard with {{arg}}: static-password login',
      settingsAuthorizerDisabled: '{{container}} runs the Dashboard with {{arg}}: anyone can change settings',
    },
    severities: { skipLogin: ['critical'], settingsAuthorizerDisabled: ['medium'] },
    fixable: true,
  },
  check(ctx) {
    // Most clusters run no Dashboard: then there is nothing to walk.
    const dashboards = new Set(dashboardWorkloads(ctx.model).map((d) => d.workload));
    if (dashboards.size === 0) return;
    for (const ref of containersOf(ctx.model)) {
      if (!dashboards.has(ref.workload)) continue;
      for (const field of ['command', 'args'] as const) {
        const list = ref.container[field];
        if (!Array.isArray(list)) continue;
        // pflag reads nothing after `--` as a flag.
        const end = list.indexOf('--');
        list.forEach((arg, i) => {
          if (end >= 0 && i >= end) return;
          const flag = typeof arg === 'string' ? insecureDashboardFlag(arg, list[i + 1]) : undefined;
          if (!flag) return;
          const pointer = `${ref.pointer}/${field}/${i}`;
          // `--authentication-mode basic`: the value is the next argument, removed with it.
          const split = flag === 'basicAuth' && !String(arg).includes('=');
          ctx.report({
            messageId: flag,
            resource: ref.resource,
            pointer,
            data: { container: containerLabel(ref), arg: split ? `${String(arg).trim()} ${String(list[i + 1]).trim()}` : String(arg).trim() },
            severity: SEVERITY[flag],
            fix: split ? [{ op: 'remove', path: pointer }, { op: 'remove', path: pointer }] : [{ op: 'remove', path: pointer }],
          });
        });
      }
    }
  },
});
