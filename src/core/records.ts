/** Plain-object checks for data read from YAML or JSON (arrays and null are not records). */

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `v` when it is a record, else undefined. */
export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return isRecord(v) ? v : undefined;
}

/**
 * `record[key]` when `key` is the record's own property, else undefined. For lookups by names
 * that come from input (namespaces, ports, resources): `constructor` or `toString` would
 * otherwise find Object.prototype's members.
 */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
