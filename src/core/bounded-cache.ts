/**
 * A memo table that forgets everything when it fills. For values derived from keys that
 * recur many times (a cluster names few distinct images, pointers, templates): memory stays
 * bounded whatever the input, and the common case is a lookup.
 */
export class BoundedCache<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): V {
    if (this.map.size >= this.limit) this.map.clear();
    this.map.set(key, value);
    return value;
  }

  /** The remembered value for `key`, or `make()`'s, remembered. */
  getOr(key: K, make: () => V): V {
    const hit = this.map.get(key);
    return hit !== undefined ? hit : this.set(key, make());
  }
}
