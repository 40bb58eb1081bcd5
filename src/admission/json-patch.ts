/**
 * JSON Patch (RFC 6902) for mutation: a builder that only ever adds what is missing
 * (creating absent parents in the same operation, so every path is valid when applied
 * in order) and a small applier used by `admission test` and the tests.
 * JSON Pointer segments are escaped per RFC 6901 (`~` → `~0`, `/` → `~1`).
 */
import type { JsonPatchOp } from '../core/finding.js';
import { toPointer, unescapeSegment } from '../core/json-pointer.js';

export { escapeSegment, toPointer } from '../core/json-pointer.js';

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`invalid JSON pointer ${JSON.stringify(pointer)}`);
  return pointer.slice(1).split('/').map(unescapeSegment);
}

function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  return v !== null && typeof v === 'object';
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/**
 * Accumulates `add` operations against a copy of the target, so later additions see the
 * parents earlier ones created. The copy is made on write, only along the paths written
 * (most requests need no patch; copying whole objects per request cost more than the rest of
 * the mutation). `ensure` never replaces a value that is present (a JSON `null` counts as
 * absent, as the API server's defaulting treats it).
 */
export class PatchBuilder {
  readonly ops: JsonPatchOp[] = [];
  private doc: unknown;
  /** Containers that are this builder's copies (writable); everything else is the target's. */
  private readonly own = new WeakSet<object>();

  constructor(target: unknown) {
    this.doc = target;
  }

  /** The container at `segments` (which exist), copied shallowly along the path on first write. */
  private writable(segments: ReadonlyArray<string | number>): Record<string, unknown> | unknown[] {
    const mine = (v: unknown): Record<string, unknown> | unknown[] => {
      const c = v as Record<string, unknown> | unknown[];
      if (this.own.has(c)) return c;
      const copy = Array.isArray(c) ? [...c] : { ...c };
      this.own.add(copy);
      return copy;
    };
    this.doc = mine(this.doc);
    let cur = this.doc as Record<string, unknown>;
    for (const s of segments) {
      const key = String(s);
      const next = mine(cur[key]);
      cur[key] = next;
      cur = next as Record<string, unknown>;
    }
    return cur;
  }

  /** The value at `segments` in the patched copy, or undefined. */
  get(segments: ReadonlyArray<string | number>): unknown {
    let cur: unknown = this.doc;
    for (const s of segments) {
      if (!isContainer(cur)) return undefined;
      cur = (cur as Record<string, unknown>)[String(s)];
    }
    return cur ?? undefined;
  }

  /**
   * Sets `value` at `segments` unless something is already there. Missing parents are
   * created by adding the smallest enclosing object. Returns whether an op was emitted.
   */
  ensure(segments: ReadonlyArray<string | number>, value: unknown): boolean {
    if (segments.length === 0) return false;
    let cur: unknown = this.doc;
    for (let i = 0; i < segments.length; i++) {
      const key = String(segments[i]);
      if (!isContainer(cur) || Array.isArray(cur) && !/^\d+$/.test(key)) return false; // cannot descend into a scalar: leave the user's value alone
      const next = (cur as Record<string, unknown>)[key];
      const last = i === segments.length - 1;
      if (next === undefined || next === null) {
        if (Array.isArray(cur)) return false; // index out of range: not ours to invent
        let wrapped: unknown = clone(value);
        for (let j = segments.length - 1; j > i; j--) wrapped = { [String(segments[j])]: wrapped };
        // One copy serves the op and the working document: a later write under it copies
        // the containers it changes first (writable), so the op's value never moves.
        this.ops.push({ op: 'add', path: toPointer(segments.slice(0, i + 1)), value: wrapped });
        (this.writable(segments.slice(0, i)) as Record<string, unknown>)[key] = wrapped;
        return true;
      }
      if (last) return false; // present: never override
      cur = next;
    }
    return false;
  }

  /** Appends `value` to the array at `segments` (which must exist). */
  append(segments: ReadonlyArray<string | number>, value: unknown): boolean {
    if (!Array.isArray(this.get(segments))) return false;
    const v = clone(value);
    this.ops.push({ op: 'add', path: `${toPointer(segments)}/-`, value: v });
    (this.writable(segments) as unknown[]).push(v);
    return true;
  }
}

export class JsonPatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPatchError';
  }
}

/** Applies a JSON Patch to a copy of `doc` (add, remove, replace, move, copy, test). */
export function applyJsonPatch<T>(doc: T, ops: readonly JsonPatchOp[]): T {
  let root: unknown = clone(doc);
  for (const op of ops) {
    const segs = parsePointer(op.path);
    switch (op.op) {
      case 'add':
        root = put(root, segs, clone(op.value), 'add');
        break;
      case 'replace':
        get(root, segs, op.path);
        root = put(root, segs, clone(op.value), 'replace');
        break;
      case 'remove':
        root = remove(root, segs, op.path);
        break;
      case 'copy':
        root = put(root, segs, clone(get(root, parsePointer(op.from), op.from)), 'add');
        break;
      case 'move': {
        const v = get(root, parsePointer(op.from), op.from);
        root = remove(root, parsePointer(op.from), op.from);
        root = put(root, segs, v, 'add');
        break;
      }
      case 'test':
        if (JSON.stringify(get(root, segs, op.path)) !== JSON.stringify(op.value)) throw new JsonPatchError(`test failed at ${op.path}`);
        break;
    }
  }
  return root as T;
}

function get(root: unknown, segs: string[], pointer: string): unknown {
  let cur = root;
  for (const s of segs) {
    if (!isContainer(cur) || !(s in cur)) throw new JsonPatchError(`path ${pointer} does not exist`);
    cur = (cur as Record<string, unknown>)[s];
  }
  return cur;
}

function parentOf(root: unknown, segs: string[], pointer: string): Record<string, unknown> | unknown[] {
  const parent = get(root, segs.slice(0, -1), pointer);
  if (!isContainer(parent)) throw new JsonPatchError(`parent of ${pointer} is not an object or array`);
  return parent;
}

function put(root: unknown, segs: string[], value: unknown, mode: 'add' | 'replace'): unknown {
  if (segs.length === 0) return value;
  const pointer = toPointer(segs);
  const parent = parentOf(root, segs, pointer);
  const key = segs[segs.length - 1] as string;
  if (Array.isArray(parent)) {
    const idx = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(idx) || idx < 0 || idx > parent.length || (mode === 'replace' && idx >= parent.length)) {
      throw new JsonPatchError(`index ${key} out of range at ${pointer}`);
    }
    if (mode === 'add') parent.splice(idx, 0, value);
    else parent[idx] = value;
  } else {
    parent[key] = value;
  }
  return root;
}

function remove(root: unknown, segs: string[], pointer: string): unknown {
  if (segs.length === 0) return undefined;
  const parent = parentOf(root, segs, pointer);
  const key = segs[segs.length - 1] as string;
  if (Array.isArray(parent)) {
    const idx = Number(key);
    if (!Number.isInteger(idx) || idx < 0 || idx >= parent.length) throw new JsonPatchError(`index ${key} out of range at ${pointer}`);
    parent.splice(idx, 1);
  } else {
    if (!(key in parent)) throw new JsonPatchError(`path ${pointer} does not exist`);
    delete parent[key];
  }
  return root;
}
