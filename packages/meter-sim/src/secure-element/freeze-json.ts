/**
 * Plain JSON data for applets, frozen: what `harden` does for such data at a fraction of its cost
 * (JSON values have only Object.prototype and Array.prototype, which `lockdown()` has already
 * hardened, and no accessors to check), and what the JSON round trip does for an applet's values
 * without re-serialising data it only passed back unchanged. Used on the hot path (each day's
 * metrology feed, stored values, outbox items); capabilities still go through `harden`.
 */
import type { Json } from '@hydra/globalplatform';

/**
 * A typed array's values as a plain array (what JSON and applets take), grown by `push`:
 * `Array.from` walks the iterator, and in a locked-down realm a store past an array's end is
 * ≈ 20× a push (BENCHMARKS.md, "Every applet active").
 */
export function plainNumbers(values: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) out.push(values[i] as number);
  return out;
}

/** A base class whose constructor returns the object it is given, so a subclass's field lands on it. */
class Returning {
  constructor(target: object) {
    return target as Returning;
  }
}

/**
 * The mark of objects this module froze after checking them (plain JSON all the way down): a
 * class's private field, which only this module can add or test for — an applet cannot forge it,
 * nor see it — and which is an O(1) property test. (A WeakSet of every stored value did the same,
 * but with a meter fleet's hundreds of thousands of live values each `add` cost microseconds;
 * BENCHMARKS.md, "Every applet active".) The mark is added before the object is frozen.
 */
class Checked extends Returning {
  #checked = true;

  /** Marks `value` (not yet marked). */
  static mark(value: object): void {
    new Checked(value);
  }

  /** Whether `value` carries the mark. */
  static has(value: object): boolean {
    return #checked in value;
  }
}

/**
 * Freezes `value` and everything reachable from it, in place.
 * Warning: only for data the caller built from JSON-like values (no functions, class instances or
 * accessors); untrusted values go through {@link adoptJson}.
 * @returns `value`, now frozen.
 */
export function freezeJson<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  // Index loops, and no call for a primitive: most values here are arrays of numbers.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item !== null && typeof item === 'object') freezeJson(item);
    }
  } else {
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== null && typeof item === 'object') freezeJson(item);
    }
  }
  return value;
}

/** Whether `value` is plain JSON that `JSON.stringify` would keep exactly (no undefined, NaN, functions, accessors, class instances). */
function isPlainJson(value: unknown, depth: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth > 64) return false;
  if (Checked.has(value)) return true;
  // Frozen or sealed by someone else: not checked here, and too late to mark — adoptJson copies it.
  if (!Object.isExtensible(value)) return false;
  if (Array.isArray(value)) {
    // A hole reads as undefined, which is not JSON: no separate `in` check is needed.
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'number' ? !Number.isFinite(item) : !isPlainJson(item, depth + 1)) return false;
    }
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key of Object.keys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (!descriptor || !('value' in descriptor) || !isPlainJson(descriptor.value, depth + 1)) return false;
  }
  return true;
}

/**
 * Marks a value and everything in it as checked plain JSON, freezing it in place.
 * Warning: only for values known to be plain JSON (parsed from JSON, or checked by isPlainJson).
 */
export function freezeChecked(value: unknown): void {
  if (value === null || typeof value !== 'object' || Checked.has(value)) return;
  // Marked while still extensible (so an engine that refuses private fields on frozen objects can
  // still mark it); an applet's value that is already frozen is copied by adoptJson instead.
  if (Object.isExtensible(value)) Checked.mark(value);
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item !== null && typeof item === 'object') freezeChecked(item);
    }
  } else {
    // for-in over a plain object (checked: own data properties only; Object.prototype is frozen
    // without enumerable properties) walks V8's enum cache with no array to allocate.
    for (const key in value) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== null && typeof item === 'object') freezeChecked(item);
    }
  }
}

/**
 * Takes a value an applet hands over (to its storage or outbox) as frozen JSON: plain JSON is
 * frozen in place and kept (the applet can no longer change it); anything else goes through a
 * JSON round trip, exactly as `JSON.parse(JSON.stringify(value))` would store it.
 * @throws {TypeError} for a value JSON cannot encode (a cycle, a BigInt).
 */
export function adoptJson<T extends Json>(value: T): T {
  if (isPlainJson(value, 0)) {
    freezeChecked(value);
    return value;
  }
  const copy = JSON.parse(JSON.stringify(value)) as T;
  freezeChecked(copy);
  return copy;
}
