/**
 * ANSI X9.63 key derivation with SHA-256 (SEC 1 v2 §3.6.1; BSI TR-03111 §4.3.3), as GlobalPlatform
 * SCP11 uses it (GP Amendment F §6.5.2.3): K = SHA-256(Z || counter32 || sharedInfo) || … .
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { assertBytes, assertInteger } from './assert';
import { concatBytes, uintToBytes } from './bytes';

/**
 * Derives `lengthBytes` bytes from a shared secret.
 * @param sharedSecret - the ECDH shared secret Z (the x-coordinate), any length.
 * @param sharedInfo - the SharedInfo octets, may be empty.
 * @param lengthBytes - 1..(2^32-1)·32 bytes; in practice a few dozen.
 * @throws {TypeError|RangeError} on wrong argument types or lengths.
 */
export function x963Kdf(sharedSecret: Uint8Array, sharedInfo: Uint8Array, lengthBytes: number): Uint8Array {
  assertBytes('shared secret', sharedSecret);
  assertBytes('shared info', sharedInfo);
  assertInteger('output length', lengthBytes, 1, 32 * 1024);
  const blocks = Math.ceil(lengthBytes / 32);
  const out = new Uint8Array(blocks * 32);
  // Z ‖ counter ‖ SharedInfo, with only the counter changing between blocks.
  const input = concatBytes(sharedSecret, uintToBytes(1, 4), sharedInfo);
  const at = sharedSecret.length;
  for (let counter = 1; counter <= blocks; counter++) {
    input[at] = counter >>> 24;
    input[at + 1] = (counter >>> 16) & 0xff;
    input[at + 2] = (counter >>> 8) & 0xff;
    input[at + 3] = counter & 0xff;
    out.set(sha256(input), (counter - 1) * 32);
  }
  return out.slice(0, lengthBytes);
}
