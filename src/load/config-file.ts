/** Finds, reads and validates `.kubeward.yaml`; errors name file:line:column. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { ConfigError, errorMessage } from '../core/errors.js';
import { escapeSegment } from '../core/json-pointer.js';
import { CONFIG_SCHEMA } from '../config/schema.js';
import { DEFAULT_CONFIG, normaliseConfig, type KubewardConfig } from '../config/config.js';
import { loadRawYaml } from './raw-yaml.js';

export const CONFIG_FILE_NAMES = ['.kubeward.yaml', '.kubeward.yml'];

/** The nearest `.kubeward.yaml` from `start` (a file or directory) upward, if any. */
export function findConfigFile(start: string): string | undefined {
  let dir = resolve(start);
  try {
    if (!statSync(dir).isDirectory()) dir = dirname(dir);
  } catch {
    dir = dirname(dir);
  }
  for (;;) {
    for (const n of CONFIG_FILE_NAMES) {
      const p = join(dir, n);
      if (existsSync(p)) return p;
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

let compiled: ValidateFunction | undefined;

/** The schema validator, built on first use: ajv and the compile cost ~150 ms, which only a configuration file needs. */
function configValidator(): ValidateFunction {
  if (!compiled) {
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    compiled = new Ajv({ allErrors: true, strict: false }).compile(CONFIG_SCHEMA);
  }
  return compiled;
}

/** A calendar date `YYYY-MM-DD` that exists (not 2027-02-30). */
function realDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * Parses and validates a configuration. With `ruleIds` (the catalog), rule names in `rules`
 * and in exceptions must be among them: a misspelt id would otherwise switch nothing off and
 * suppress nothing, silently.
 */
export function parseConfig(text: string, file: string, ruleIds?: ReadonlySet<string>): KubewardConfig {
  // Empty or only comments: no settings.
  if (/^(\s*(#[^\n]*)?(\n|$))*$/.test(text.replace(/\r/g, ''))) return { ...DEFAULT_CONFIG, file };
  const doc = loadRawYaml(text, file);
  if (doc.value === null || doc.value === undefined) return { ...DEFAULT_CONFIG, file };
  if (typeof doc.value !== 'object' || Array.isArray(doc.value)) throw new ConfigError('configuration must be a mapping', { file, line: 1, column: 1 });
  const validate = configValidator();
  if (!validate(doc.value)) {
    const err = validate.errors?.[0];
    const pointer = err?.instancePath ?? '';
    const extra = err?.keyword === 'additionalProperties' ? String((err.params as { additionalProperty?: string }).additionalProperty) : undefined;
    // An unknown key is pointed at itself, not at the mapping that holds it.
    const pos = doc.locate(extra !== undefined ? `${pointer}/${escapeSegment(extra)}` : pointer);
    const what = extra !== undefined ? `unknown key "${extra}"` : (err?.message ?? 'invalid');
    throw new ConfigError(`invalid configuration at ${pointer || '/'}: ${what}`, { file, line: pos.line, column: pos.column });
  }
  const raw = doc.value as Record<string, unknown>;
  const fail = (pointer: string, message: string): never => {
    const pos = doc.locate(pointer);
    throw new ConfigError(`invalid configuration at ${pointer}: ${message}`, { file, line: pos.line, column: pos.column });
  };
  for (const id of Object.keys((raw['rules'] ?? {}) as object)) {
    if (ruleIds && !ruleIds.has(id)) fail(`/rules/${escapeSegment(id)}`, `unknown rule "${id}" (kubeward rules lists them)`);
  }
  ((raw['exceptions'] ?? []) as Array<{ rule: string; justification: string; expires?: string }>).forEach((ex, i) => {
    if (ruleIds && ex.rule !== '*' && !ruleIds.has(ex.rule)) fail(`/exceptions/${i}/rule`, `unknown rule "${ex.rule}" (kubeward rules lists them)`);
    if (ex.justification.trim().length < 10) fail(`/exceptions/${i}/justification`, 'a justification says why, in at least 10 characters');
    if (ex.expires !== undefined && !realDate(ex.expires)) fail(`/exceptions/${i}/expires`, `no such date: ${ex.expires}`);
  });
  return normaliseConfig(raw, file);
}

export function loadConfigFile(file: string, ruleIds?: ReadonlySet<string>): KubewardConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e: unknown) {
    throw new ConfigError(`cannot read configuration: ${errorMessage(e)}`, { file });
  }
  return parseConfig(text, file, ruleIds);
}
