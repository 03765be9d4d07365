/**
 * AES-CMAC (RFC 4493; NIST SP 800-38B) with AES-128, AES-192 or AES-256 keys, over @noble/ciphers.
 * The MAC of GP SCP03 secure messaging, of the SCP03 KDF's PRF and of the SCP11 receipt.
 */
import { cmac } from '@noble/ciphers/aes.js';
import { assertBytes } from './assert';

/**
 * Computes the full 16-byte AES-CMAC of `message`.
 * @param key - 16, 24 or 32 bytes.
 * @param message - any length, may be empty.
 * @returns a new 16-byte tag.
 * @throws {TypeError|RangeError} for a non-byte or wrongly sized key, or a non-byte message.
 * Note the argument order: key first here, whereas noble's `cmac(message, key)` takes the message first.
 */
export function aesCmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  assertBytes('AES-CMAC key', key, 16, 24, 32);
  assertBytes('AES-CMAC message', message);
  return cmac(message, key);
}
