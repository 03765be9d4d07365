/**
 * Node hosts only: import this module before `ses` in any Node thread that calls `lockdown()`.
 *
 * Node 20's V8 makes every indexed store into a typed array 40–100× slower once a prototype such
 * as `Object.prototype` or `%TypedArray%.prototype` has been frozen with the native
 * `Object.freeze` (its fast path moves the prototype to frozen elements; measured in BENCHMARKS.md).
 * `lockdown()` freezes every intrinsic that way, so inside a locked-down Node worker the household
 * model, noble's hashes and ciphers and the secure element all ran several times slower than in a
 * plain realm. Chromium's current V8 does not have the problem, so browsers keep the native
 * function.
 *
 * The remedy: before SES captures `Object.freeze`, replace it with the ECMAScript operation itself
 * — SetIntegrityLevel(O, frozen), ECMA-262 §7.3.15: [[PreventExtensions]], then for every own key
 * DefinePropertyOrThrow with `configurable: false` (and `writable: false` for data properties).
 * The result is the same frozen object (`Object.isFrozen` is true, assignments fail, typed arrays
 * with elements still throw), reached through the ordinary property path that keeps typed-array
 * stores fast. `lockdown()` then freezes this function along with the other intrinsics.
 *
 * Property by property is much slower than the native function for the many small JSON values a
 * meter hardens every day, and only freezing the intrinsics' prototypes triggers the slow path; so
 * once the host calls {@link lockedDown} right after `lockdown()`, the installed function hands
 * every later call to the native `Object.freeze` (measured: typed-array stores stay fast after
 * hardening data, classes and compartment code).
 */

const { defineProperty, getOwnPropertyDescriptor, ownKeys, preventExtensions } = Reflect;
const nativeFreeze = Object.freeze;
let afterLockdown = false;

/**
 * `Object.freeze` as ECMA-262 specifies it (§20.1.2.6 with §7.3.15 SetIntegrityLevel).
 * @param target - any value; non-objects are returned unchanged.
 * @returns `target`, frozen.
 * @throws {TypeError} when the object cannot be made non-extensible or a property cannot be
 *   redefined (a typed array with elements, a proxy that refuses).
 */
export function specFreeze<T>(target: T): T {
  if ((typeof target !== 'object' || target === null) && typeof target !== 'function') return target;
  const object = target as object;
  if (!preventExtensions(object)) throw new TypeError('Cannot freeze: the object refused to become non-extensible');
  for (const key of ownKeys(object)) {
    const current = getOwnPropertyDescriptor(object, key);
    if (current === undefined) continue;
    const accessor = 'get' in current || 'set' in current;
    if (!defineProperty(object, key, accessor ? { configurable: false } : { configurable: false, writable: false })) {
      throw new TypeError(`Cannot freeze: property ${String(key)} cannot be redefined`);
    }
  }
  return target;
}

/**
 * Installs {@link specFreeze} as `Object.freeze` unless the realm is already locked down.
 * @returns whether it was installed.
 */
export function installSpecFreeze(): boolean {
  if (Object.isFrozen(Object.prototype)) return false;
  defineProperty(Object, 'freeze', { value: hostFreeze, writable: true, enumerable: false, configurable: true });
  return true;
}

/** What the realm's `Object.freeze` is once installed: the spec path until {@link lockedDown}, then native. */
export function hostFreeze<T>(target: T): T {
  return afterLockdown ? nativeFreeze(target) : specFreeze(target);
}

/**
 * Tells the installed `Object.freeze` that `lockdown()` has frozen the intrinsics: from now on it
 * uses the native function.
 * @throws {Error} when the realm is not locked down (called too early).
 */
export function lockedDown(): void {
  if (!Object.isFrozen(Object.prototype)) throw new Error('lockedDown(): lockdown() has not run in this realm');
  afterLockdown = true;
}

installSpecFreeze();
