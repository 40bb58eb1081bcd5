/**
 * The admission policy file: schema (validated with ajv), defaults, a compiled form the
 * decision path reads without allocating, and hot reload (fs.watch + debounce; a bad edit
 * keeps the last good policy).
 *
 * ```yaml
 * apiVersion: kubeward.dev/v1alpha1
 * kind: AdmissionPolicy
 * defaults: { level: restricted, version: latest, mode: enforce }
 * namespaces:
 *   legacy: { level: baseline, mode: enforce }
 *   sandbox: { level: restricted, mode: warn }
 * workloads: enforce          # how PSS verdicts apply to Deployments etc. (PSA itself only warns)
 * rules:
 *   automount-service-account-token: warn
 *   image-digest-pinning: audit
 * exemptions: { namespaces: [], usernames: [], groups: [], runtimeClasses: [] }
 * mutation: { enabled: false, namespaces: [team-a] }
 * sandbox: { namespaces: [untrusted], runtimeClassName: gvisor }
 * registries: { allow: [registry.example.com, ghcr.io/acme] }
 * images: { mode: enforce, failOn: high, requireFix: true, unknown: warn }   # known vulnerabilities (verdict cache)
 * ```
 */
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { escapeSegment } from '../core/json-pointer.js';
import { ConfigError, KubewardError, errorMessage } from '../core/errors.js';
import { loadRawYaml } from '../load/raw-yaml.js';
import { DEFAULT_RULE_SETTINGS } from '../rules/settings.js';

export const LEVELS = ['privileged', 'baseline', 'restricted'] as const;
export type Level = (typeof LEVELS)[number];
export const MODES = ['enforce', 'warn', 'audit'] as const;
export type Mode = (typeof MODES)[number];
export const RULE_MODES = ['enforce', 'warn', 'audit', 'off'] as const;
export type RuleMode = (typeof RULE_MODES)[number];

/** The kubeward rules the webhook can apply, besides the Pod Security Standards. */
export const ADMISSION_RULE_IDS = [
  'automount-service-account-token',
  'dashboard-insecure-flags',
  'image-digest-pinning',
  'image-registry-allowlist',
  'sandbox-runtime-class',
] as const;
export type AdmissionRuleId = (typeof ADMISSION_RULE_IDS)[number];

export interface LevelSetting {
  level: Level;
  /** `latest` or `v1.N`. */
  version: string;
  mode: Mode;
}

export interface AdmissionPolicy {
  /** Applied to namespaces without Pod Security labels and without an entry in `namespaces`. */
  defaults: LevelSetting;
  /** Static namespace → level map; an entry wins over the namespace's own labels. */
  namespaces: Record<string, LevelSetting>;
  /** How a PSS verdict applies to workload kinds (Deployment, Job, …). */
  workloads: Mode;
  rules: Record<AdmissionRuleId, RuleMode>;
  exemptions: { namespaces: string[]; usernames: string[]; groups: string[]; runtimeClasses: string[] };
  mutation: { enabled: boolean; namespaces: string[] };
  sandbox: { namespaces: string[]; runtimeClassName: string; handlers: string[] };
  registries: { allow: string[] };
  /**
   * Known vulnerabilities in the pod's images, decided from the verdict cache (`kubeward scan
   * --images`, `kubeward image scan`, or the webhook's own background scans) — never by pulling
   * an image on the request path. `unknown`: what an image without a cached verdict gets.
   */
  images: { mode: RuleMode; failOn: 'low' | 'medium' | 'high' | 'critical'; requireFix: boolean; unknown: 'allow' | 'warn' | 'deny' };
  /** Where the policy came from: a file path, or `<default>`. */
  source: string;
}

export const DEFAULT_RULE_MODES: Record<AdmissionRuleId, RuleMode> = {
  'automount-service-account-token': 'warn',
  'dashboard-insecure-flags': 'enforce',
  'image-digest-pinning': 'warn',
  'image-registry-allowlist': 'enforce',
  'sandbox-runtime-class': 'enforce',
};

/** With no policy file: `restricted` (latest) enforced everywhere, rules at their default modes. */
export function defaultPolicy(): AdmissionPolicy {
  return {
    defaults: { level: 'restricted', version: 'latest', mode: 'enforce' },
    namespaces: {},
    workloads: 'enforce',
    rules: { ...DEFAULT_RULE_MODES },
    exemptions: { namespaces: [], usernames: [], groups: [], runtimeClasses: [] },
    mutation: { enabled: false, namespaces: [] },
    sandbox: { namespaces: [], runtimeClassName: 'gvisor', handlers: [...DEFAULT_RULE_SETTINGS.sandboxHandlers] },
    registries: { allow: [] },
    images: { mode: 'off', failOn: 'high', requireFix: true, unknown: 'warn' },
    source: '<default>',
  };
}

const VERSION_PATTERN = '^(latest|v1\\.(0|[1-9][0-9]{0,2}))$';
const stringList = { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true } as const;
const levelSetting = {
  type: 'object',
  additionalProperties: false,
  properties: {
    level: { enum: [...LEVELS] },
    version: { type: 'string', pattern: VERSION_PATTERN },
    mode: { enum: [...MODES] },
  },
} as const;

export const POLICY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'kubeward.dev/v1alpha1' },
    kind: { const: 'AdmissionPolicy' },
    defaults: levelSetting,
    namespaces: { type: 'object', propertyNames: { pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 }, additionalProperties: { ...levelSetting, required: ['level'] } },
    workloads: { enum: [...MODES] },
    rules: { type: 'object', additionalProperties: false, properties: Object.fromEntries(ADMISSION_RULE_IDS.map((id) => [id, { enum: [...RULE_MODES] }])) },
    exemptions: {
      type: 'object',
      additionalProperties: false,
      properties: { namespaces: stringList, usernames: stringList, groups: stringList, runtimeClasses: stringList },
    },
    mutation: { type: 'object', additionalProperties: false, properties: { enabled: { type: 'boolean' }, namespaces: stringList } },
    sandbox: {
      type: 'object',
      additionalProperties: false,
      properties: { namespaces: stringList, runtimeClassName: { type: 'string', minLength: 1 }, handlers: stringList },
    },
    registries: { type: 'object', additionalProperties: false, properties: { allow: stringList } },
    images: {
      type: 'object',
      additionalProperties: false,
      properties: {
        mode: { enum: [...RULE_MODES] },
        failOn: { enum: ['low', 'medium', 'high', 'critical'] },
        requireFix: { type: 'boolean' },
        unknown: { enum: ['allow', 'warn', 'deny'] },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: false, strict: false });
const validatePolicy = ajv.compile(POLICY_SCHEMA);

type Raw = Record<string, unknown>;

/** Parses and validates a policy file's text; errors carry file:line:column. */
export function parsePolicy(text: string, file: string): AdmissionPolicy {
  if (text.trim() === '' || text.split('\n').every((l) => /^\s*(#.*)?$/.test(l))) {
    throw new ConfigError('admission policy file is empty', { file, line: 1, column: 1 });
  }
  const doc = loadRawYaml(text, file);
  if (doc.value === null || typeof doc.value !== 'object' || Array.isArray(doc.value)) {
    throw new ConfigError('admission policy must be a mapping', { file, line: 1, column: 1 });
  }
  if (!validatePolicy(doc.value)) {
    const err = validatePolicy.errors?.[0];
    const pointer = err?.instancePath ?? '';
    let what = err?.message ?? 'invalid';
    let at = pointer;
    if (err?.keyword === 'additionalProperties') {
      const key = String((err.params as { additionalProperty?: string }).additionalProperty);
      what = `unknown key "${key}"`;
      at = `${pointer}/${escapeSegment(key)}`;
    } else if (err?.keyword === 'enum') {
      what = `must be one of ${((err.params as { allowedValues?: unknown[] }).allowedValues ?? []).join(', ')}`;
    }
    const pos = doc.locate(at);
    throw new ConfigError(`invalid admission policy at ${pointer || '/'}: ${what}`, { file, line: pos.line, column: pos.column });
  }
  return normalisePolicy(doc.value as Raw, file);
}

function normalisePolicy(raw: Raw, source: string): AdmissionPolicy {
  const p = defaultPolicy();
  p.source = source;
  const d = raw['defaults'] as Partial<LevelSetting> | undefined;
  if (d) p.defaults = { ...p.defaults, ...d };
  const ns = raw['namespaces'] as Record<string, Partial<LevelSetting>> | undefined;
  for (const [name, s] of Object.entries(ns ?? {})) {
    p.namespaces[name] = { level: s.level ?? p.defaults.level, version: s.version ?? 'latest', mode: s.mode ?? 'enforce' };
  }
  if (raw['workloads'] !== undefined) p.workloads = raw['workloads'] as Mode;
  Object.assign(p.rules, (raw['rules'] as Partial<Record<AdmissionRuleId, RuleMode>> | undefined) ?? {});
  Object.assign(p.exemptions, (raw['exemptions'] as Raw | undefined) ?? {});
  Object.assign(p.mutation, (raw['mutation'] as Raw | undefined) ?? {});
  Object.assign(p.sandbox, (raw['sandbox'] as Raw | undefined) ?? {});
  Object.assign(p.registries, (raw['registries'] as Raw | undefined) ?? {});
  Object.assign(p.images, (raw['images'] as Raw | undefined) ?? {});
  if (!p.sandbox.handlers.includes(p.sandbox.runtimeClassName)) p.sandbox.handlers = [...p.sandbox.handlers, p.sandbox.runtimeClassName];
  return p;
}

export function loadPolicyFile(file: string): AdmissionPolicy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e: unknown) {
    throw new ConfigError(`cannot read admission policy: ${errorMessage(e)}`, { file });
  }
  return parsePolicy(text, file);
}

/** The policy with its lists turned into sets, so the decision path does lookups only. */
export interface CompiledPolicy {
  policy: AdmissionPolicy;
  exemptNamespaces: ReadonlySet<string>;
  exemptUsernames: ReadonlySet<string>;
  exemptGroups: ReadonlySet<string>;
  exemptRuntimeClasses: ReadonlySet<string>;
  mutateNamespaces: ReadonlySet<string>;
  sandboxNamespaces: ReadonlySet<string>;
  sandboxHandlers: ReadonlySet<string>;
  /** Rules not `off`, in id order. */
  activeRules: readonly AdmissionRuleId[];
}

export function compilePolicy(policy: AdmissionPolicy): CompiledPolicy {
  return {
    policy,
    exemptNamespaces: new Set(policy.exemptions.namespaces),
    exemptUsernames: new Set(policy.exemptions.usernames),
    exemptGroups: new Set(policy.exemptions.groups),
    exemptRuntimeClasses: new Set(policy.exemptions.runtimeClasses),
    mutateNamespaces: new Set(policy.mutation.namespaces),
    sandboxNamespaces: new Set(policy.sandbox.namespaces),
    sandboxHandlers: new Set(policy.sandbox.handlers),
    activeRules: ADMISSION_RULE_IDS.filter((id) => policy.rules[id] !== 'off'),
  };
}

export interface ReloadEvent {
  ok: boolean;
  file: string;
  /** Set when the new text was rejected (the previous policy stays in force). */
  error?: string;
}

export interface PolicyWatchOptions {
  debounceMs?: number;
  onReload?: (event: ReloadEvent) => void;
}

/**
 * A policy file kept current. The directory is watched (not the file), so editors that
 * replace the file and ConfigMap volumes that swap a `..data` symlink are both seen;
 * the text is re-read after a quiet period and applied only when it changed and is valid.
 */
export class PolicyFileWatcher {
  readonly file: string;
  private compiled: CompiledPolicy;
  private lastText: string;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly debounceMs: number;
  private readonly onReload: ((event: ReloadEvent) => void) | undefined;

  /** Reads the file now; throws a ConfigError when it is missing or invalid at start. */
  constructor(file: string, options: PolicyWatchOptions = {}) {
    this.file = resolve(file);
    this.debounceMs = options.debounceMs ?? 200;
    this.onReload = options.onReload;
    this.lastText = readText(this.file);
    this.compiled = compilePolicy(parsePolicy(this.lastText, file));
  }

  current(): CompiledPolicy {
    return this.compiled;
  }

  start(): this {
    if (this.watcher) return this;
    const name = basename(this.file);
    this.watcher = watch(dirname(this.file), { persistent: false }, (_event, changed) => {
      if (changed !== null && changed !== name && !String(changed).startsWith('..')) return;
      this.schedule();
    });
    this.watcher.on('error', () => this.schedule());
    return this;
  }

  /** Re-reads the file now (also what the watcher does after its debounce). */
  reload(): ReloadEvent {
    let text: string;
    try {
      text = readText(this.file);
    } catch (e: unknown) {
      return this.report({ ok: false, file: this.file, error: errorMessage(e) });
    }
    if (text === this.lastText) return { ok: true, file: this.file };
    try {
      const next = compilePolicy(parsePolicy(text, this.file));
      this.compiled = next;
      this.lastText = text;
      return this.report({ ok: true, file: this.file });
    } catch (e: unknown) {
      const where = e instanceof KubewardError && e.location?.line !== undefined ? ` (line ${e.location.line})` : '';
      return this.report({ ok: false, file: this.file, error: `${errorMessage(e)}${where}` });
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.reload();
    }, this.debounceMs);
    this.timer.unref();
  }

  private report(event: ReloadEvent): ReloadEvent {
    this.onReload?.(event);
    return event;
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e: unknown) {
    throw new ConfigError(`cannot read admission policy: ${errorMessage(e)}`, { file });
  }
}
