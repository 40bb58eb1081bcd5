/**
 * Environment variables whose name says secret (PASSWORD, SECRET, TOKEN, API_KEY, …) and
 * whose value is written literally in the manifest: the secret is in Git and in every
 * `kubectl get -o yaml`. The value is never read into a message. Variables filled from a
 * Secret (`secretKeyRef`, `envFrom.secretRef`) are reported as advice (info): files from
 * a Secret volume do not leak through /proc/<pid>/environ, crash dumps or child processes.
 */
import { containerLabel, containersOf, WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

const SECRET_NAME = /(PASS(WORD|WD|PHRASE)?|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|SECRET_?KEY|CREDENTIALS?|AUTH_?KEY|CLIENT_?SECRET|DSN)($|_)/;
const NOT_A_SECRET = /_(FILE|PATH|DIR|NAME|URL_FILE|LENGTH|TTL|TIMEOUT|EXPIRY|HEADER)$/;

/** True when an environment variable name suggests that its value is a credential. */
export function looksLikeSecretName(name: string): boolean {
  const n = name.toUpperCase().replace(/[-.]/g, '_');
  return !NOT_A_SECRET.test(n) && SECRET_NAME.test(n);
}

export default defineRule({
  id: 'secrets-in-env',
  meta: {
    title: 'Secret in environment variable',
    category: 'workload',
    severity: 'high',
    practice: 'resource-hygiene',
    targets: WORKLOAD_TARGETS,
    docs: {
      description:
        'A credential written as a literal `value` of an environment variable lives in the manifest (and so in Git, CI logs and every `kubectl get -o yaml`). Credentials taken from Secrets through environment variables are better but still leak through /proc/<pid>/environ, crash reports and child processes; those are reported as advice. Only the variable name is reported, never its value.',
      remediation: 'Move the value into a Secret (ideally managed by an external secret store) and mount it as a file; read the file in the application.',
    },
    references: [
      { framework: 'CIS', id: '5.4.1', title: 'Prefer using Secrets as files over Secrets as environment variables' },
      { framework: 'NSA-CISA', id: 'Network separation and hardening: secrets' },
      { framework: 'MITRE', id: 'T1552.001', title: 'Unsecured Credentials: Credentials In Files' },
    ],
    messages: {
      literalSecret: '{{container}} sets environment variable {{name}} to a literal value that looks like a credential',
      secretKeyRef: '{{container}} reads Secret "{{secret}}" into environment variable {{name}}; prefer mounting it as a file',
      envFromSecret: '{{container}} loads every key of Secret "{{secret}}" into its environment; prefer mounting it as a file',
    },
  },
  check(ctx) {
    for (const ref of containersOf(ctx.model)) {
      const label = containerLabel(ref);
      (Array.isArray(ref.container.env) ? ref.container.env : []).forEach((e, i) => {
        if (!e || typeof e.name !== 'string') return;
        const skr = e.valueFrom?.['secretKeyRef'] as { name?: unknown } | undefined;
        if (skr && typeof skr === 'object') {
          ctx.report({
            messageId: 'secretKeyRef',
            resource: ref.resource,
            pointer: `${ref.pointer}/env/${i}/valueFrom/secretKeyRef`,
            data: { container: label, name: e.name, secret: String(skr.name ?? '') },
            severity: 'info',
          });
          return;
        }
        if (typeof e.value !== 'string' || e.value.trim() === '' || /^\$\([A-Za-z0-9_.-]+\)$/.test(e.value.trim())) return;
        if (!looksLikeSecretName(e.name)) return;
        ctx.report({ messageId: 'literalSecret', resource: ref.resource, pointer: `${ref.pointer}/env/${i}/name`, data: { container: label, name: e.name } });
      });
      (Array.isArray(ref.container.envFrom) ? ref.container.envFrom : []).forEach((e, i) => {
        const sr = e?.['secretRef'] as { name?: unknown } | undefined;
        if (!sr || typeof sr !== 'object') return;
        ctx.report({
          messageId: 'envFromSecret',
          resource: ref.resource,
          pointer: `${ref.pointer}/envFrom/${i}/secretRef`,
          data: { container: label, secret: String(sr.name ?? '') },
          severity: 'info',
        });
      });
    }
  },
});
