/**
 * P-256 key pairs and ECDSA signatures (FIPS 186-5) over @noble/curves, with keys drawn from an
 * injected random source. Used for device keys, party keys and package signatures.
 */
import { p256 } from '@noble/curves/nist.js';
import { assertBytes } from './assert';
import { wipe } from './bytes';
import type { RandomSource } from './random';

/** A P-256 key pair; the public key is SEC 1 compressed (33 bytes). */
export interface KeyPair {
  privateKey: Uint8Array;
  publicKey: Uint8Array;
}

/**
 * Generates a P-256 key pair from `random` (48 bytes reduced mod n, FIPS 186-5 A.2.1).
 */
export function generateKeyPair(random: RandomSource): KeyPair {
  const seed = random(48);
  assertBytes('random seed', seed, 48);
  const privateKey = p256.utils.randomSecretKey(seed);
  return { privateKey, publicKey: p256.getPublicKey(privateKey, true) };
}

/** Derives the compressed public key of a private key. */
export function publicKeyOf(privateKey: Uint8Array): Uint8Array {
  assertBytes('private key', privateKey, 32);
  return p256.getPublicKey(privateKey, true);
}

/**
 * P-256 ECDH (SEC 1 v2 §3.3.1): the shared secret Z is the x-coordinate of privateKey × publicKey.
 * @param privateKey - 32-byte scalar.
 * @param publicKey - SEC 1 point, compressed (33 bytes) or uncompressed (65 bytes).
 * @returns the 32-byte x-coordinate.
 * @throws {TypeError|RangeError} for a malformed argument; Error for a point not on the curve.
 */
export function ecdhSharedSecret(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  assertBytes('private key', privateKey, 32);
  assertBytes('public key', publicKey);
  if (publicKey.length !== 33 && publicKey.length !== 65) throw new RangeError(`public key: expected 33 or 65 bytes, got ${publicKey.length}`);
  // noble returns the compressed shared point; the ECDH secret is its x-coordinate.
  const point = p256.getSharedSecret(privateKey, publicKey);
  const x = point.slice(1);
  wipe(point);
  return x;
}

/**
 * Whether `publicKey` is a SEC 1 encoded P-256 point (compressed, 33 bytes, or uncompressed, 65)
 * on the curve and not the identity — the check to make before storing a key another party sent.
 */
export function isP256PublicKey(publicKey: Uint8Array): boolean {
  if (!(publicKey instanceof Uint8Array) || (publicKey.length !== 33 && publicKey.length !== 65)) return false;
  try {
    p256.Point.fromBytes(publicKey).assertValidity();
    return true;
  } catch {
    return false;
  }
}

/** ECDSA P-256 with SHA-256 over `message`; returns the 64-byte compact (r‖s) signature, low-S. */
export function signMessage(message: Uint8Array, privateKey: Uint8Array): Uint8Array {
  assertBytes('message', message);
  assertBytes('private key', privateKey, 32);
  return p256.sign(message, privateKey);
}

/**
 * Verifies an ECDSA P-256/SHA-256 compact signature. Returns false for any malformed input rather
 * than throwing, so callers have one failure path. High-S signatures are accepted (other
 * implementations may produce them).
 */
export function verifyMessage(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
  if (!(message instanceof Uint8Array) || !(publicKey instanceof Uint8Array)) return false;
  try {
    return p256.verify(signature, message, publicKey, { lowS: false });
  } catch {
    return false;
  }
}
