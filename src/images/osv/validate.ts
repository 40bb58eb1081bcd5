/**
 * Validation of OSV records against the OSV JSON schema shipped in `data/osv-schema.json`
 * (ossf/osv-schema, Apache-2.0). The result is data: a record, or the reasons it was refused.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { OsvRecord } from './types.js';

// ajv-formats is CommonJS; its default export arrives as the module object under nodenext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

/** Finds `data/osv-schema.json` from this module, in the source tree and in the built package. */
export function osvSchemaPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'data', 'osv-schema.json');
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('data/osv-schema.json not found next to the kubeward installation');
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled === undefined) {
    const schema = JSON.parse(readFileSync(osvSchemaPath(), 'utf8')) as object;
    const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true });
    addFormats(ajv);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

export type OsvValidation = { ok: true; record: OsvRecord } | { ok: false; reasons: string[] };

function describe(e: ErrorObject): string {
  const where = e.instancePath === '' ? '(record)' : e.instancePath;
  if (e.keyword === 'pattern') return `${where} has an unsupported value ${JSON.stringify(e.data)}`.slice(0, 200);
  return `${where} ${e.message ?? 'is invalid'}`;
}

/** Validates a parsed JSON value as an OSV record. Reasons are short, deduplicated and sorted. */
export function validateOsvRecord(value: unknown): OsvValidation {
  const validate = validator();
  if (validate(value)) {
    const rec = value as OsvRecord;
    if (typeof rec.id !== 'string' || typeof rec.modified !== 'string') {
      return { ok: false, reasons: ['(record) must have string id and modified'] };
    }
    return { ok: true, record: rec };
  }
  const reasons = [...new Set((validate.errors ?? []).map(describe))].sort();
  return { ok: false, reasons: reasons.slice(0, 8) };
}
