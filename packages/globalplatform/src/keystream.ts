/**
 * A pseudo-random function for expanding a secret key into many words cheaply: the ChaCha20
 * keystream (RFC 8439 §2.4, block counter from 0) over @noble/ciphers. Used where an applet needs
 * many independent pseudo-random values per day from one derived key (the aggregation masks):
 * about three times cheaper per byte than X9.63's SHA-256 blocks. The key must itself come from a
 * KDF; a (key, nonce) pair must never be used for two purposes.
 */
import { chacha20 } from '@noble/ciphers/chacha.js';
import { assertBytes, assertInteger } from './assert';

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}
/** A keystream word (little-endian on the wire, RFC 8439 §2.3) read as big-endian bytes. */
function swap(w: number): number {
  return ((w << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24)) >>> 0;
}

/** Four bytes from `at`, little-endian. */
function le(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16) | ((bytes[at + 3] ?? 0) << 24)) >>> 0;
}

/**
 * One ChaCha20 block (RFC 8439 §2.3) for key and nonce words `k` (8 + 3, little-endian) and block
 * `counter`, its 16 output words (as the state adds them, little-endian) into `scratch`; the rounds
 * kept in local variables (the quarter rounds unrolled).
 */
// prettier-ignore
function block(k: Uint32Array, counter: number): void {
  const s0: number = 0x61707865, s1: number = 0x3320646e, s2: number = 0x79622d32, s3: number = 0x6b206574; // "expand 32-byte k"
  const s4 = k[0] ?? 0, s5 = k[1] ?? 0, s6 = k[2] ?? 0, s7 = k[3] ?? 0, s8 = k[4] ?? 0, s9 = k[5] ?? 0, s10 = k[6] ?? 0, s11 = k[7] ?? 0;
  const s12 = counter, s13 = k[8] ?? 0, s14 = k[9] ?? 0, s15 = k[10] ?? 0;
  let x0 = s0, x1 = s1, x2 = s2, x3 = s3, x4 = s4, x5 = s5, x6 = s6, x7 = s7;
  let x8 = s8, x9 = s9, x10 = s10, x11 = s11, x12 = s12, x13 = s13, x14 = s14, x15 = s15;
  for (let round = 0; round < 10; round++) {
    // Column rounds.
    x0 = (x0 + x4) | 0; x12 = rotl(x12 ^ x0, 16); x8 = (x8 + x12) | 0; x4 = rotl(x4 ^ x8, 12);
    x0 = (x0 + x4) | 0; x12 = rotl(x12 ^ x0, 8); x8 = (x8 + x12) | 0; x4 = rotl(x4 ^ x8, 7);
    x1 = (x1 + x5) | 0; x13 = rotl(x13 ^ x1, 16); x9 = (x9 + x13) | 0; x5 = rotl(x5 ^ x9, 12);
    x1 = (x1 + x5) | 0; x13 = rotl(x13 ^ x1, 8); x9 = (x9 + x13) | 0; x5 = rotl(x5 ^ x9, 7);
    x2 = (x2 + x6) | 0; x14 = rotl(x14 ^ x2, 16); x10 = (x10 + x14) | 0; x6 = rotl(x6 ^ x10, 12);
    x2 = (x2 + x6) | 0; x14 = rotl(x14 ^ x2, 8); x10 = (x10 + x14) | 0; x6 = rotl(x6 ^ x10, 7);
    x3 = (x3 + x7) | 0; x15 = rotl(x15 ^ x3, 16); x11 = (x11 + x15) | 0; x7 = rotl(x7 ^ x11, 12);
    x3 = (x3 + x7) | 0; x15 = rotl(x15 ^ x3, 8); x11 = (x11 + x15) | 0; x7 = rotl(x7 ^ x11, 7);
    // Diagonal rounds.
    x0 = (x0 + x5) | 0; x15 = rotl(x15 ^ x0, 16); x10 = (x10 + x15) | 0; x5 = rotl(x5 ^ x10, 12);
    x0 = (x0 + x5) | 0; x15 = rotl(x15 ^ x0, 8); x10 = (x10 + x15) | 0; x5 = rotl(x5 ^ x10, 7);
    x1 = (x1 + x6) | 0; x12 = rotl(x12 ^ x1, 16); x11 = (x11 + x12) | 0; x6 = rotl(x6 ^ x11, 12);
    x1 = (x1 + x6) | 0; x12 = rotl(x12 ^ x1, 8); x11 = (x11 + x12) | 0; x6 = rotl(x6 ^ x11, 7);
    x2 = (x2 + x7) | 0; x13 = rotl(x13 ^ x2, 16); x8 = (x8 + x13) | 0; x7 = rotl(x7 ^ x8, 12);
    x2 = (x2 + x7) | 0; x13 = rotl(x13 ^ x2, 8); x8 = (x8 + x13) | 0; x7 = rotl(x7 ^ x8, 7);
    x3 = (x3 + x4) | 0; x14 = rotl(x14 ^ x3, 16); x9 = (x9 + x14) | 0; x4 = rotl(x4 ^ x9, 12);
    x3 = (x3 + x4) | 0; x14 = rotl(x14 ^ x3, 8); x9 = (x9 + x14) | 0; x4 = rotl(x4 ^ x9, 7);
  }
  const w = scratch;
  w[0] = x0 + s0; w[1] = x1 + s1; w[2] = x2 + s2; w[3] = x3 + s3; w[4] = x4 + s4; w[5] = x5 + s5; w[6] = x6 + s6; w[7] = x7 + s7;
  w[8] = x8 + s8; w[9] = x9 + s9; w[10] = x10 + s10; w[11] = x11 + s11; w[12] = x12 + s12; w[13] = x13 + s13; w[14] = x14 + s14; w[15] = x15 + s15;
}

/** One block's output words before they are copied out (wiped after each keystream). */
const scratch = new Uint32Array(16);
/** Key and nonce as the block function's 11 little-endian input words, wiped after each keystream. */
const inputWords = new Uint32Array(11);

/** `count` keystream words of the key and nonce in `inputWords`, each read big-endian, into `out` (sign 0) or added into it times `sign`. */
function keystreamWords(count: number, out: Uint32Array, sign: -1 | 0 | 1): void {
  try {
    for (let counter = 0, at = 0; at < count; counter++, at += 16) {
      block(inputWords, counter);
      const n = Math.min(16, count - at);
      // Uint32Array stores are ToUint32: a sum or difference is exactly mod 2^32.
      if (sign === 0) for (let i = 0; i < n; i++) out[at + i] = swap(scratch[i] ?? 0);
      else if (sign === 1) for (let i = 0; i < n; i++) out[at + i] = (out[at + i] ?? 0) + swap(scratch[i] ?? 0);
      else for (let i = 0; i < n; i++) out[at + i] = (out[at + i] ?? 0) - swap(scratch[i] ?? 0);
    }
  } finally {
    scratch.fill(0);
    inputWords.fill(0);
  }
}

/** The value of one hex digit, or -1. */
function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/**
 * The same keystream as {@link chacha20Keystream} (counter from 0), as `count` words, each read
 * big-endian from its four keystream bytes — without building the byte stream: for callers that
 * want many short keystreams (one per pair and day) where the per-call set-up of a byte-oriented
 * cipher dominates. Checked against noble's `chacha20` and RFC 8439 in the conformance tests.
 * @param key - 32 bytes.
 * @param nonce - 12 bytes.
 * @param count - 1 to 16,384 words.
 * @param out - where to write (at least `count` long); a new array when absent.
 */
export function chacha20Words(key: Uint8Array, nonce: Uint8Array, count: number, out: Uint32Array = new Uint32Array(count)): Uint32Array {
  assertBytes('key', key, 32);
  assertBytes('nonce', nonce, 12);
  assertInteger('keystream words', count, 1, 16_384);
  if (out.length < count) throw new RangeError(`keystream words: output holds ${out.length}, need ${count}`);
  for (let i = 0; i < 8; i++) inputWords[i] = le(key, 4 * i);
  for (let i = 0; i < 3; i++) inputWords[8 + i] = le(nonce, 4 * i);
  keystreamWords(count, out, 0);
  return out;
}

/**
 * A ChaCha20 key given as 64 hex digits, as the cipher's 8 little-endian input words (RFC 8439
 * §2.3): for {@link addChacha20Words}, which callers with many short keystreams per key can keep
 * (parsing the hex each time costs more than a block). Wipe it with `fill(0)` when done.
 * @throws {TypeError} for a key that is not a hex string; {RangeError} for one that is not 32 bytes.
 */
export function chacha20KeyWords(keyHex: string): Uint32Array {
  if (typeof keyHex !== 'string') throw new TypeError(`key: expected a hex string, got ${typeof keyHex}`);
  if (keyHex.length !== 64) throw new RangeError(`key: expected 32 bytes (64 hex digits), got ${keyHex.length} digits`);
  const words = new Uint32Array(8);
  let bad = 0;
  for (let i = 0; i < 8; i++) {
    // Word i is key bytes 4i…4i+3, little-endian: hex digits 8i…8i+7, a byte's two digits high first.
    let word = 0;
    for (let b = 3; b >= 0; b--) {
      const high = hexDigit(keyHex.charCodeAt(8 * i + 2 * b));
      const low = hexDigit(keyHex.charCodeAt(8 * i + 2 * b + 1));
      bad |= high | low; // -1 sets the sign bit
      word = (word << 8) | (high << 4) | low;
    }
    words[i] = word;
  }
  if (bad < 0) {
    words.fill(0);
    throw new TypeError('key: expected only the digits 0-9 and a-f');
  }
  return words;
}

/**
 * Adds `sign` × the {@link chacha20Words} keystream of a key into `sum`, mod 2^32 — for sums of
 * many pairs' keystreams (the aggregation masks): the words are added as they are made.
 * @param keyWords - the key as from {@link chacha20KeyWords}.
 * @param nonce - 12 bytes.
 * @param count - 1 to 16,384 words.
 * @param sum - added into (at least `count` long).
 * @throws {RangeError} for wrong sizes or sign (nothing is added then).
 */
export function addChacha20Words(keyWords: Uint32Array, nonce: Uint8Array, count: number, sum: Uint32Array, sign: 1 | -1): void {
  if (!(keyWords instanceof Uint32Array) || keyWords.length !== 8) throw new RangeError('key: expected 8 words (from chacha20KeyWords)');
  assertBytes('nonce', nonce, 12);
  assertInteger('keystream words', count, 1, 16_384);
  if (sum.length < count) throw new RangeError(`keystream words: sum holds ${sum.length}, need ${count}`);
  if (sign !== 1 && sign !== -1) throw new RangeError('sign: expected 1 or -1');
  inputWords.set(keyWords);
  for (let i = 0; i < 3; i++) inputWords[8 + i] = le(nonce, 4 * i);
  keystreamWords(count, sum, sign);
}

/**
 * `length` keystream bytes of ChaCha20 under `key` and `nonce`.
 * @param key - 32 bytes.
 * @param nonce - 12 bytes (RFC 8439).
 * @param length - 1 to 65,536 bytes.
 * @throws {TypeError|RangeError} for wrong types or sizes.
 */
export function chacha20Keystream(key: Uint8Array, nonce: Uint8Array, length: number): Uint8Array {
  assertBytes('key', key, 32);
  assertBytes('nonce', nonce, 12);
  assertInteger('keystream length', length, 1, 65_536);
  return chacha20(key, nonce, new Uint8Array(length));
}
