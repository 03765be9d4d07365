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
 * The remedy: before SES captures `Object.freeze`, have it take the ECMAScript operation itself
 * — SetIntegrityLevel(O, frozen), ECMA-262 §7.3.15: [[PreventExtensions]], then for every own key
 * DefinePropertyOrThrow with `configurable: false` (and `writable: false` for data properties).
 * The result is the same frozen object (`Object.isFrozen` is true, assignments fail, typed arrays
 * with elements still throw), reached through the ordinary property path that keeps typed-array
 * stores fast. `lockdown()` then freezes this function along with the other intrinsics.
 *
 * Only a few prototypes need it: `Object.prototype`, `Function.prototype` and the typed-array
 * prototypes. The spec path on `Array.prototype` makes `Array.prototype.map` and friends ~10×
 * slower in their turn, so every other object — `Array.prototype` included — keeps the native
 * function (measured combination by combination; BENCHMARKS.md). Once the host calls
 * {@link lockedDown} right after `lockdown()`, every later call goes to the native function (the
 * many small JSON values a meter hardens each day; typed-array stores stay fast after hardening
 * data, classes and compartment code).
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

/** The prototypes whose native freezing slows typed-array stores; they take the spec path. */
const SPEC_PATH = new Set<unknown>([
  Object.prototype,
  Function.prototype,
  Object.getPrototypeOf(Uint8Array.prototype),
  ...[Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array].map((ctor) => ctor.prototype),
]);

/** What the realm's `Object.freeze` is once installed: the spec path for {@link SPEC_PATH} until {@link lockedDown}, the native function otherwise. */
export function hostFreeze<T>(target: T): T {
  return !afterLockdown && SPEC_PATH.has(target) ? specFreeze(target) : nativeFreeze(target);
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
