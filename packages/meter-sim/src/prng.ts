/**
 * The seeded pseudo-random generator that drives the simulation (never keys: those come from an
 * injected secure source). sfc32 (Chris Doty-Humphrey's Small Fast Chaotic PRNG, PractRand-clean)
 * seeded through SHA-256 of a label, so independent streams can be forked by name:
 * `forkPrng(seed, 'home/17/weather')` is the same sequence on every machine.
 */
import { sha256 } from '@noble/hashes/sha2.js';

/** A deterministic stream of numbers. */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  /** Standard normal (Box–Muller). */
  normal(mean?: number, sd?: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
}

const utf8 = new TextEncoder();

/** Creates the stream named `label` under world seed `seed`. */
export function forkPrng(seed: string, label: string): Prng {
  const digest = sha256(utf8.encode(`${seed}\u0000${label}`));
  const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
  let a = view.getUint32(0);
  let b = view.getUint32(4);
  let c = view.getUint32(8);
  let d = view.getUint32(12) | 1;
  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) nextUint32();
  const next = (): number => nextUint32() / 4_294_967_296;
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    normal: (mean = 0, sd = 1) => {
      const u = 1 - next();
      const v = next();
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick: expected a non-empty array');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
  };
}
