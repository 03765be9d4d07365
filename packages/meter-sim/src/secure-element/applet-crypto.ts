/**
 * The `crypto` capability the card manager hands an applet that declares it (DESIGN.md Decision
 * 10): ECDSA P-256 verification, the X9.63 KDF, P-256 key generation from the card's secure random
 * source and ECDH — all through @hydra/globalplatform, hex in and hex out so keys can live in the
 * applet's JSON storage. The applet never sees the random source itself.
 */
import { addChacha20Words, bytesToHex, chacha20KeyWords, ecdhSharedSecret, generateKeyPair, hexToBytes, utf8ToBytes, verifyMessage, wipe, x963Kdf, type RandomSource } from '@hydra/globalplatform';
import type { AppletCrypto } from './applet';
import { plainNumbers } from './freeze-json';

/**
 * Native implementations a host may offer for expensive primitives (DESIGN.md Decision 17): Node's
 * `crypto` in a worker thread computes P-256 ECDH about 30× faster than noble. Each must give
 * exactly noble's answer; absent ones fall back to noble (the reference, and all a browser has
 * synchronously).
 */
export interface CryptoPrimitives {
  /** P-256 ECDH: the 32-byte x-coordinate of privateKey × publicKey (SEC 1 compressed or uncompressed point). */
  ecdh?(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array;
}

const MAX_WORDS = 8192;
/** Most streams one `prfWordsSum` adds (a feeder's other meters: 500 at most). */
const MAX_TERMS = 1024;
/** The running sum of the usual short keystreams (one per pair and day), wiped after each call. */
const PRF_BUFFER = new Uint32Array(64);

function assertWordCount(what: string, count: number): void {
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_WORDS) throw new RangeError(`${what} count: expected 1 to ${MAX_WORDS}, got ${String(count)}`);
}

/**
 * Bytes read as `count` big-endian uint32. Arrays here grow by `push`: once `lockdown()` has
 * frozen `Object.prototype` and `Array.prototype`, V8 checks the prototype chain on every store to
 * a hole or past the end of an array (≈ 20× a push; see BENCHMARKS.md, "SES lockdown in Node").
 */
function words(bytes: Uint8Array, count: number): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(view.getUint32(4 * i));
  return out;
}


/** The 12-byte nonce of a label: its UTF-8 bytes, zero-padded (ASCII labels without an encoder). */
function nonceOf(label: string): Uint8Array {
  const nonce = new Uint8Array(12);
  let ascii = label.length <= 12;
  for (let i = 0; ascii && i < label.length; i++) {
    const code = label.charCodeAt(i);
    if (code > 0x7f) ascii = false;
    else nonce[i] = code;
  }
  if (ascii) return nonce;
  const bytes = utf8ToBytes(label);
  if (bytes.length > 12) throw new RangeError(`prfWords label: at most 12 bytes, got ${bytes.length}`);
  nonce.fill(0);
  nonce.set(bytes);
  return nonce;
}

/** Most pair keys a capability keeps parsed (a feeder's other meters: 500 at most). */
const MAX_KEPT_KEYS = 1024;

/**
 * Σ sign·ChaCha20 keystream words over `terms`, mod 2^32 (one term with sign +1 is `prfWords`).
 * Keys are parsed from hex once and kept in `keys` (the applet keeps the same keys as hex in its
 * storage, day after day); the running sum is wiped whatever happens.
 */
function prfSum(keys: Map<string, Uint32Array>, what: string, terms: readonly { keyHex: string; sign: 1 | -1 }[], label: string, count: number): number[] {
  assertWordCount(what, count);
  if (!Array.isArray(terms) || terms.length > MAX_TERMS) throw new RangeError(`${what} terms: expected an array of at most ${MAX_TERMS}`);
  const nonce = nonceOf(String(label));
  const sum = count <= PRF_BUFFER.length ? PRF_BUFFER : new Uint32Array(count);
  sum.fill(0, 0, count);
  try {
    for (let k = 0; k < terms.length; k++) {
      const term = terms[k];
      const sign = term?.sign;
      if (sign !== 1 && sign !== -1) throw new RangeError(`${what} term.sign: expected 1 or -1`);
      const keyHex = term?.keyHex;
      let words = typeof keyHex === 'string' ? keys.get(keyHex) : undefined;
      if (!words) {
        words = chacha20KeyWords(keyHex as string);
        if (keys.size >= MAX_KEPT_KEYS) {
          for (const kept of keys.values()) kept.fill(0);
          keys.clear();
        }
        keys.set(keyHex as string, words);
      }
      addChacha20Words(words, nonce, count, sum, sign);
    }
    return plainNumbers(sum.subarray(0, count));
  } finally {
    sum.fill(0);
  }
}

/**
 * Creates the crypto capability over a random source.
 * @param random - the card's secure random source (never a seeded PRNG).
 * @param primitives - native fast paths the host offers (default: noble only).
 * @returns plain functions; the runtime hardens them before an applet sees them.
 */
export function createAppletCrypto(random: RandomSource, primitives: CryptoPrimitives = {}): AppletCrypto {
  const kdfBytes = (secretHex: string, info: string, lengthBytes: number) => x963Kdf(hexToBytes(secretHex), utf8ToBytes(info), lengthBytes);
  const ecdh = primitives.ecdh ?? ecdhSharedSecret;
  const keys = new Map<string, Uint32Array>();
  return {
    verify(signatureHex, message, publicKeyHex) {
      try {
        return verifyMessage(hexToBytes(signatureHex), utf8ToBytes(message), hexToBytes(publicKeyHex));
      } catch {
        // Fails closed: one answer for any malformed signature, message or key.
        return false;
      }
    },
    kdf(secretHex, info, lengthBytes) {
      return bytesToHex(kdfBytes(secretHex, info, lengthBytes));
    },
    kdfWords(secretHex, info, count) {
      assertWordCount('kdfWords', count);
      return words(kdfBytes(secretHex, info, 4 * count), count);
    },
    prfWords(keyHex, label, count) {
      return prfSum(keys, 'prfWords', [{ keyHex, sign: 1 }], label, count);
    },
    prfWordsSum(terms, label, count) {
      return prfSum(keys, 'prfWordsSum', terms, label, count);
    },
    generateKeyPair() {
      const pair = generateKeyPair(random);
      const result = { privateKey: bytesToHex(pair.privateKey), publicKey: bytesToHex(pair.publicKey) };
      wipe(pair.privateKey);
      return result;
    },
    ecdh(privateKeyHex, publicKeyHex) {
      if (typeof privateKeyHex !== 'string' || typeof publicKeyHex !== 'string') throw new TypeError('ecdh: expected hex strings');
      const privateKey = hexToBytes(privateKeyHex);
      try {
        const publicKey = hexToBytes(publicKeyHex);
        // The same checks as noble's path, whichever computes it.
        if (privateKey.length !== 32) throw new RangeError(`private key: expected 32 bytes, got ${privateKey.length}`);
        if (publicKey.length !== 33 && publicKey.length !== 65) throw new RangeError(`public key: expected 33 or 65 bytes, got ${publicKey.length}`);
        return bytesToHex(ecdh(privateKey, publicKey));
      } finally {
        wipe(privateKey);
      }
    },
  };
}
