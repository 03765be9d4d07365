/**
 * Keys at rest, sealed under a party's key-encryption key (DESIGN.md Decision 8): AES-256-GCM
 * (NIST SP 800-38D) with a random 96-bit nonce, the key's id bound as associated data so a sealed
 * key cannot be swapped into another row. Without the KEK the rows are useless.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { assertBytes, ChannelAuthenticationError, concatBytes, utf8ToBytes, type RandomSource } from '@hydra/globalplatform';

/** Seals `secret` under `kek` for the row `keyId`. */
export function sealKey(kek: Uint8Array, keyId: string, secret: Uint8Array, random: RandomSource): Uint8Array {
  assertBytes('key-encryption key', kek, 32);
  const nonce = random(12);
  return concatBytes(nonce, gcm(kek, nonce, utf8ToBytes(`hydra-key|${keyId}`)).encrypt(secret));
}

/**
 * Opens a sealed key.
 * @throws {ChannelAuthenticationError} with the wrong KEK, another row's id, or tampered bytes.
 */
export function openKey(kek: Uint8Array, keyId: string, sealed: Uint8Array): Uint8Array {
  assertBytes('key-encryption key', kek, 32);
  if (sealed.length < 12 + 16) throw new ChannelAuthenticationError();
  try {
    return gcm(kek, sealed.slice(0, 12), utf8ToBytes(`hydra-key|${keyId}`)).decrypt(sealed.slice(12));
  } catch {
    throw new ChannelAuthenticationError();
  }
}
