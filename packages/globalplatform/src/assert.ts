/**
 * Boundary checks. Each names the field, what was expected and what came
 * (`host challenge: expected 8 bytes, got 7`). Wrong type → TypeError, wrong size → RangeError.
 */

/** Asserts a Uint8Array, optionally of one of the given lengths. */
export function assertBytes(field: string, value: unknown, ...lengths: number[]): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${field}: expected Uint8Array, got ${describe(value)}`);
  if (lengths.length > 0 && !lengths.includes(value.length)) {
    throw new RangeError(`${field}: expected ${lengths.join(' or ')} bytes, got ${value.length}`);
  }
}

/** Asserts an integer within [min, max]. */
export function assertInteger(field: string, value: unknown, min: number, max: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(`${field}: expected an integer, got ${describe(value)}`);
  if (value < min || value > max) throw new RangeError(`${field}: expected ${min}..${max}, got ${value}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
