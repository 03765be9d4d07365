/**
 * Package signatures for DAP verification (GP Card Specification v2.3.1 §9.2.1 and Amendment E's
 * ECC DAP): ECDSA over P-256 with SHA-256 (FIPS 186-5) of a package's bytes. The meter checks the
 * publisher's signature over the package hash before loading; the hash is what the dashboard shows
 * next to the published source.
 */
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { assertBytes } from './assert';

/**
 * The SHA-256 hash of a package's bytes (32 bytes).
 * @throws {TypeError} when `bytes` is not a Uint8Array.
 */
export function packageHash(bytes: Uint8Array): Uint8Array {
  assertBytes('package bytes', bytes);
  return sha256(bytes);
}

/**
 * Signs a package: ECDSA P-256 over SHA-256(bytes), deterministic (RFC 6979), low-S.
 * @param bytes - the package as published.
 * @param privateKey - the publisher's 32-byte P-256 private key.
 * @returns the 64-byte signature r ‖ s.
 * @throws {TypeError|RangeError} for a non-byte package or a wrongly sized key.
 */
export function signPackage(bytes: Uint8Array, privateKey: Uint8Array): Uint8Array {
  assertBytes('publisher private key', privateKey, 32);
  // Sign the digest itself: noble would otherwise hash a second time.
  return p256.sign(packageHash(bytes), privateKey, { prehash: false });
}

/**
 * Verifies a package signature. Accepts the 64-byte r ‖ s form or DER, and high-S signatures
 * (other signers, such as node:crypto or a hardware token, do not normalise S).
 * @returns true only for a valid signature by `publicKey` over SHA-256(bytes); false for anything
 *   else, including malformed signatures and keys — one failure path, never a throw for bad input.
 */
export function verifyPackage(bytes: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (!(bytes instanceof Uint8Array) || !(signature instanceof Uint8Array) || !(publicKey instanceof Uint8Array)) return false;
  try {
    const digest = packageHash(bytes);
    const format = signature.length === 64 ? 'compact' : 'der';
    return p256.verify(signature, digest, publicKey, { prehash: false, lowS: false, format });
  } catch {
    return false;
  }
}
