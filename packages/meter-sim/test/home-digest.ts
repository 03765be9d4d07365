/**
 * How the household model's output is hashed for its exactness checks (`home-golden.test.ts`, and
 * `bench/home-fingerprint.ts` at scale): every field in order, numbers by their Float64 bytes,
 * typed arrays by element type and bytes.
 */
import type { createHash } from 'node:crypto';

/** Feeds `value` into `hash`, field by field. */
export function feed(hash: ReturnType<typeof createHash>, value: unknown): void {
  if (typeof value === 'number') {
    hash.update('n');
    hash.update(new Uint8Array(new Float64Array([value]).buffer));
  } else if (typeof value === 'string') {
    hash.update(`s${value.length}:${value}`);
  } else if (value === null || value === undefined || typeof value === 'boolean') {
    hash.update(String(value));
  } else if (ArrayBuffer.isView(value)) {
    hash.update(`${value.constructor.name}${value.byteLength}:`);
    hash.update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  } else if (Array.isArray(value)) {
    hash.update(`[${value.length}`);
    for (const v of value) feed(hash, v);
    hash.update(']');
  } else if (typeof value === 'object') {
    const keys = Object.keys(value);
    hash.update(`{${keys.length}`);
    for (const k of keys) {
      hash.update(`k${k}`);
      feed(hash, (value as Record<string, unknown>)[k]);
    }
    hash.update('}');
  } else {
    throw new TypeError(`home digest: unexpected ${typeof value}`);
  }
}
