/**
 * The native fast path (DESIGN.md Decision 17): where WebCrypto is present (browsers, Node ≥ 20)
 * it verifies ECDSA P-256 signatures natively — about 30× faster than noble — and noble stays the
 * reference: without WebCrypto, or for inputs WebCrypto cannot take, the noble result is used. Both
 * paths are cross-checked in tests (valid, tampered and high-S signatures, wrong keys).
 */
import { p256 } from '@noble/curves/nist.js';
import { verifyMessage } from './keys';

const keyCache = new Map<string, Promise<CryptoKey | null>>();
const MAX_CACHED_KEYS = 4096;

function subtle(): SubtleCrypto | null {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  return c?.subtle ?? null;
}

function importKey(publicKey: Uint8Array): Promise<CryptoKey | null> {
  const id = Array.from(publicKey, (b) => b.toString(16).padStart(2, '0')).join('');
  let cached = keyCache.get(id);
  if (!cached) {
    const api = subtle();
    cached = (async () => {
      if (!api) return null;
      try {
        // WebCrypto's raw import takes the uncompressed point; decompress with noble.
        const uncompressed = p256.Point.fromBytes(publicKey).toBytes(false);
        return await api.importKey('raw', new Uint8Array(uncompressed), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
      } catch {
        return null;
      }
    })();
    if (keyCache.size >= MAX_CACHED_KEYS) keyCache.clear();
    keyCache.set(id, cached);
  }
  return cached;
}

/**
 * Verifies an ECDSA P-256/SHA-256 compact (r‖s) signature, natively when possible. Same answers
 * as {@link verifyMessage}: false for any malformed input, high-S accepted.
 */
export async function verifyMessageFast(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): Promise<boolean> {
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
  if (!(message instanceof Uint8Array) || !(publicKey instanceof Uint8Array)) return false;
  const api = subtle();
  const key = api ? await importKey(publicKey) : null;
  if (!api || !key) return verifyMessage(signature, message, publicKey);
  try {
    return await api.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, new Uint8Array(signature), new Uint8Array(message));
  } catch {
    return verifyMessage(signature, message, publicKey);
  }
}
