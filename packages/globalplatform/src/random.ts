/**
 * The random source every key and challenge is drawn from. Injected, never read from globals in
 * domain code: production passes a cryptographically secure source, tests a fixed one.
 */

/** Fills and returns `length` random bytes. */
export type RandomSource = (length: number) => Uint8Array;
