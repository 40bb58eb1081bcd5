/** Bounds that keep hostile input from hanging or exhausting memory. */
export interface LoadLimits {
  /** Largest file (or stdin) accepted, in bytes. */
  maxFileBytes: number;
  /** Deepest nesting of collections in one document. */
  maxDepth: number;
  /** Most alias nodes (`*ref`) in one document. */
  maxAliases: number;
  /** Most nodes one document may expand to once aliases are followed (alias bombs). */
  maxExpandedNodes: number;
}

export const DEFAULT_LIMITS: LoadLimits = {
  maxFileBytes: 256 * 1024 * 1024,
  maxDepth: 200,
  maxAliases: 10_000,
  maxExpandedNodes: 1_000_000,
};

/**
 * Counts the nodes a value expands to when shared references (YAML aliases) are followed,
 * stopping at `cap`. Returns the count, or -1 once the cap is passed.
 */
export function expandedNodeCount(value: unknown, cap: number): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    count++;
    if (count > cap) return -1;
    if (v !== null && typeof v === 'object') {
      if (Array.isArray(v)) for (const x of v) stack.push(x);
      else for (const k in v as Record<string, unknown>) stack.push((v as Record<string, unknown>)[k]);
    }
  }
  return count;
}
