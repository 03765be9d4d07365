/**
 * A small bounded memo for values shared by many homes on the same day (weather, sun, feeder
 * events). Cleared wholesale when full: simple, allocation-free on hits, and results never depend
 * on what was cached because every entry is a pure function of its key.
 */

/** A map that forgets everything once it holds `capacity` entries. */
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  /** The cached value for `key`, computing and storing it with `make` on a miss. */
  get(key: string, make: () => V): V {
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const value = make();
    if (this.entries.size >= this.capacity) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }
}
