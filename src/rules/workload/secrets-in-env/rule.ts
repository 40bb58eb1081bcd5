/**
 * Environment variables with a literal credential: a value in a known credential format (a
 * private key, a URL or connection string with a password, cloud and SaaS token formats),
 * whatever the name; or a name that says secret (PASSWORD, SECRET, TOKEN, API_KEY, …) with a
 * value that could be one (not a flag, number, duration, path or reference to a secret store).
 * The secret is then in Git and in every `kubectl get -o yaml`. The value is never read into
 * a message. Variables filled from a
 * Secret (`secretKeyRef`, `envFrom.secretRef`) are reported as advice (info): files from
 * a Secret volume do not leak through /proc/<pid>/environ, crash dumps or child processes.
 */
import { containerLabel, containersOf, WORKLOAD_TARGETS } from '../../catalog-helpers.js';
import { defineRule } from '../../define.js';

const SECRET_NAME = /(PASS(WORD|WD|PHRASE)?|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|SECRET_?KEY|CREDENTIALS?|AUTH_?KEY|CLIENT_?SECRET|DSN)(\d*$|_)/;
const NOT_A_SECRET = /_(FILE|PATH|DIR|NAME|URL_FILE|LENGTH|TTL|TIMEOUT|EXPIRY|HEADER)$/;

/** Credential formats recognised by their value, with what messages call them. */
const CREDENTIAL_FORMATS: ReadonlyArray<readonly [RegExp, string]> = [
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/, 'private key'],
  [/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i, 'URL with a password'],
  [/(^|;)\s*(password|pwd)\s*=\s*[^;\s]+/i, 'connection string with a password'],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, 'AWS access key'],
  [/\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/, 'GitHub token'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}|hooks\.slack\.com\/services\/T[A-Za-z0-9]+\/B[A-Za-z0-9]+\/[A-Za-z0-9]+/, 'Slack token'],
  [/\b[sr]k_live_[0-9A-Za-z]{16,}/, 'Stripe key'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'Google API key'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, 'JSON web token'],
];

/**
 * A reference instead of a value: Kubernetes' `$(VAR)` (filled from another variable, e.g. one
 * read from a Secret), `${VAR}` and `{{ … }}` placeholders, secret-manager URIs.
 */
const REFERENCE = /\$\([A-Za-z0-9_.-]+\)|\$\{[^}]+\}|\{\{[^}]*\}\}|^(op|akv|vault|gcpsm|awssm|ref\+[a-z]+):\/\//;

/** What credential a literal value is, recognised by its format, or undefined. */
export function credentialFormat(value: string): string | undefined {
  for (const [re, what] of CREDENTIAL_FORMATS) {
    const m = re.exec(value);
    // `postgresql://app:$(DB_PASS)@db`: the password part is a reference, not a credential.
    if (m && !REFERENCE.test(m[0])) return what;
  }
  return undefined;
}

/**
 * Values that are no credential even under a secret-sounding name: flags, numbers, durations,
 * absolute or lowercase paths (`auth/kubernetes`), and references to where a secret is kept.
 */
const NOT_A_SECRET_VALUE = /^(true|false|yes|no|on|off|enabled?|disabled?|none|null|\d+(\.\d+)?([smhd]|ms)?|\/\S*|(vault|ref\+[a-z]+|secret|arn:aws:secretsmanager|projects\/[^/]+\/secrets):.*)$/i;
/** A lowercase relative path (`auth/kubernetes`, `secret/data/app`); case matters: base64 keys hold `/` too. */
const LOWERCASE_PATH = /^[a-z0-9-]+(\/[a-z0-9-]+)+$/;

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
        'A credential written as a literal `value` of an environment variable lives in the manifest (and so in Git, CI logs and every `kubectl get -o yaml`). Credentials are recognised by their format (private keys, URLs and connection strings with a password, AWS, GitHub, Slack, Stripe and Google keys, JSON web tokens) under any name, and by a secret-sounding name (PASSWORD, TOKEN, API_KEY, …) unless the value is plainly a setting (a flag, number, duration, path or secret-store reference). Credentials taken from Secrets through environment variables are better but still leak through /proc/<pid>/environ, crash reports and child processes; those are reported as advice. Only the variable name is reported, never its value.',
      remediation: 'Move the value into a Secret (ideally managed by an external secret store) and mount it as a file; read the file in the application.',
    },
    references: [
      { framework: 'CIS', id: '5.4.1', title: 'Prefer using Secrets as files over Secrets as environment variables' },
      { framework: 'NSA-CISA', id: 'Network separation and hardening: secrets' },
      { framework: 'MITRE', id: 'T1552.001', title: 'Unsecured Credentials: Credentials In Files' },
    ],
    messages: {
      literalSecret: '{{container}} sets environment variable {{name}} to a literal value that looks like a credential',
      literalCredential: '{{container}} sets environment variable {{name}} to a literal {{format}}',
      secretKeyRef: '{{container}} reads Secret "{{secret}}" into environment variable {{name}}; prefer mounting it as a file',
      envFromSecret: '{{container}} loads every key of Secret "{{secret}}" into its environment; prefer mounting it as a file',
    },
    severities: { envFromSecret: ['info'], secretKeyRef: ['info'] },
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
        if (typeof e.value !== 'string') return;
        const value = e.value.trim();
        if (value === '') return;
        const format = credentialFormat(value);
        if (format) {
          ctx.report({ messageId: 'literalCredential', resource: ref.resource, pointer: `${ref.pointer}/env/${i}/name`, data: { container: label, name: e.name, format } });
          return;
        }
        if (!looksLikeSecretName(e.name) || NOT_A_SECRET_VALUE.test(value) || LOWERCASE_PATH.test(value) || REFERENCE.test(value)) return;
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
