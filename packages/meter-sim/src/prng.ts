/**
 * The seeded pseudo-random generator that drives the simulation (never keys: those come from an
 * injected secure source). sfc32 (Chris Doty-Humphrey's Small Fast Chaotic PRNG, PractRand-clean)
 * seeded through SHA-256 of a label, so independent streams can be forked by name:
 * `forkPrng(seed, 'home/17/weather')` is the same sequence on every machine.
 *
 * The household model forks several streams per home-day, so the seeding hash has a fast path:
 * FIPS 180-4 SHA-256 written out for messages of at most two blocks (≤ 119 bytes) of ASCII — every
 * label the simulation uses — on reused scratch words, with noble's `sha256` for anything else.
 * Both give the same digest (tested against noble and the FIPS 180-2 examples).
 */
import { sha256 } from '@noble/hashes/sha2.js';

/**
 * A deterministic stream of numbers. It carries its state in its fields: call the methods on the
 * stream itself (not detached) and don't freeze it.
 */
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

/** FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
/** FIPS 180-4 §5.3.3: the initial hash value. */
const IV = Int32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

/** Longest message the fast path takes: two blocks less the 0x80 byte and the 64-bit length. */
const SHORT_MAX_BYTES = 119;
// Scratch shared by every call (the simulation is synchronous, so calls never interleave): the
// padded message as big-endian words, the message schedule, and the running hash value.
const message = new Int32Array(32);
const schedule = new Int32Array(64);
const state = new Int32Array(8);
// The message words of the last `first` part on their own (every fork of a world shares its seed):
// copied in place of re-encoding it.
const prefix = new Int32Array(32);
let prefixText: string | undefined;
let prefixAscii = false;

/** FIPS 180-4 §6.2.2: one block of 16 words of `message` from word `offset` into `state`. */
function compress(offset: number): void {
  const w = schedule;
  for (let t = 0; t < 16; t++) w[t] = message[offset + t] ?? 0;
  for (let t = 16; t < 64; t++) {
    const w15 = w[t - 15] ?? 0;
    const w2 = w[t - 2] ?? 0;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    w[t] = (s1 + (w[t - 7] ?? 0) + s0 + (w[t - 16] ?? 0)) | 0;
  }
  let a = state[0] ?? 0;
  let b = state[1] ?? 0;
  let c = state[2] ?? 0;
  let d = state[3] ?? 0;
  let e = state[4] ?? 0;
  let f = state[5] ?? 0;
  let g = state[6] ?? 0;
  let h = state[7] ?? 0;
  for (let t = 0; t < 64; t++) {
    const sigma1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + sigma1 + ((e & f) ^ (~e & g)) + (K[t] ?? 0) + (w[t] ?? 0)) | 0;
    const sigma0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (sigma0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = ((state[0] ?? 0) + a) | 0;
  state[1] = ((state[1] ?? 0) + b) | 0;
  state[2] = ((state[2] ?? 0) + c) | 0;
  state[3] = ((state[3] ?? 0) + d) | 0;
  state[4] = ((state[4] ?? 0) + e) | 0;
  state[5] = ((state[5] ?? 0) + f) | 0;
  state[6] = ((state[6] ?? 0) + g) | 0;
  state[7] = ((state[7] ?? 0) + h) | 0;
}

/** Writes the ASCII `text` into `words` from byte `at`; false at the first non-ASCII code unit. */
function putAscii(words: Int32Array, text: string, at: number): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return false;
    const byte = at + i;
    words[byte >> 2] = (words[byte >> 2] ?? 0) | (code << (24 - 8 * (byte & 3)));
  }
  return true;
}

/**
 * SHA-256 of the UTF-8 bytes of `first`, then `separator` (one ASCII code unit or none), then
 * `second`, into `state` — when that message is ASCII and at most {@link SHORT_MAX_BYTES} bytes.
 * @returns false (state unspecified) when the message is not short ASCII: use the general hash
 */
function shortAsciiDigest(first: string, separator: number, second: string): boolean {
  const sep = separator < 0 ? 0 : 1;
  const length = first.length + sep + second.length;
  if (length > SHORT_MAX_BYTES) return false;
  if (first !== prefixText) {
    prefix.fill(0);
    prefixAscii = putAscii(prefix, first, 0);
    prefixText = first;
  }
  if (!prefixAscii) return false;
  message.set(prefix);
  if (sep) message[first.length >> 2] = (message[first.length >> 2] ?? 0) | (separator << (24 - 8 * (first.length & 3)));
  if (!putAscii(message, second, first.length + sep)) return false;
  // FIPS 180-4 §5.1.1: a 1 bit, zeros, then the length in bits as a 64-bit big-endian integer
  // (its upper word is 0 for these lengths).
  message[length >> 2] = (message[length >> 2] ?? 0) | (0x80 << (24 - 8 * (length & 3)));
  const words = length + 9 <= 64 ? 16 : 32;
  message[words - 1] = length * 8;
  state.set(IV);
  compress(0);
  if (words === 32) compress(16);
  return true;
}

/**
 * SHA-256 of the UTF-8 encoding of `text` (exported for the conformance tests): the hand-written
 * short-message path when `text` is ASCII of at most 119 bytes, noble's `sha256` otherwise.
 * @returns the 32-byte digest
 */
export function sha256Text(text: string): Uint8Array {
  if (!shortAsciiDigest(text, -1, '')) return sha256(utf8.encode(text));
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const word = state[i] ?? 0;
    out[4 * i] = word >>> 24;
    out[4 * i + 1] = (word >>> 16) & 0xff;
    out[4 * i + 2] = (word >>> 8) & 0xff;
    out[4 * i + 3] = word & 0xff;
  }
  return out;
}

/** sfc32, with the Box–Muller and range helpers of {@link Prng}. */
class Sfc32 implements Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  private nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    const c = (this.c << 21) | (this.c >>> 11);
    this.c = (c + t) | 0;
    return t >>> 0;
  }

  next(): number {
    return this.nextUint32() / 4_294_967_296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick: expected a non-empty array');
    return items[Math.floor(this.next() * items.length)] as T;
  }
}

/**
 * Creates the stream named `label` under world seed `seed`: sfc32 seeded with the first 128 bits
 * of SHA-256(`${seed}\u0000${label}`), the fourth word made odd, then 12 outputs discarded.
 * @returns the same sequence for the same (seed, label) on every machine
 */
export function forkPrng(seed: string, label: string): Prng {
  if (shortAsciiDigest(seed, 0, label)) return new Sfc32(state[0] ?? 0, state[1] ?? 0, state[2] ?? 0, (state[3] ?? 0) | 1);
  const digest = sha256(utf8.encode(`${seed}\u0000${label}`));
  const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
  return new Sfc32(view.getUint32(0), view.getUint32(4), view.getUint32(8), view.getUint32(12) | 1);
}
