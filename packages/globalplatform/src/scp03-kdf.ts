/**
 * The SCP03 key derivation function (GP Card Specification v2.3 Amendment D §6.2.2 and §4.1.5):
 * NIST SP 800-108 KDF in counter mode with AES-CMAC as PRF and this fixed input layout per block:
 *   label (11 bytes 00 ‖ 1-byte derivation constant) ‖ 00 separator ‖ L (2 bytes, bits) ‖ i (1 byte) ‖ context.
 * Used for session keys (constants 04, 06, 07), cryptograms (00, 01) and the pseudo-random card
 * challenge (02).
 */
import { assertBytes, assertInteger } from './assert';
import { aesCmac } from './aes-cmac';
import { concatBytes, uintToBytes, wipe } from './bytes';

/** Derivation constants of GP Amendment D §4.1.5, Table 4-1. */
export const SCP03_DERIVATION = {
  CARD_CRYPTOGRAM: 0x00,
  HOST_CRYPTOGRAM: 0x01,
  CARD_CHALLENGE: 0x02,
  S_ENC: 0x04,
  S_MAC: 0x06,
  S_RMAC: 0x07,
} as const;

/**
 * Derives `lengthBits / 8` bytes.
 * @param key - the AES key the PRF is keyed with (16, 24 or 32 bytes).
 * @param constant - the one-byte derivation constant (0x00..0xFF).
 * @param context - the context (e.g. host challenge ‖ card challenge); any length.
 * @param lengthBits - L, a multiple of 8 from 8 to 256·128 bits (64 for S8 cryptograms, key length × 8 for keys).
 * @throws {TypeError|RangeError} for wrongly typed or sized arguments.
 */
export function scp03Kdf(key: Uint8Array, constant: number, context: Uint8Array, lengthBits: number): Uint8Array {
  assertBytes('SCP03 KDF key', key, 16, 24, 32);
  assertInteger('derivation constant', constant, 0, 0xff);
  assertBytes('SCP03 KDF context', context);
  assertInteger('SCP03 KDF length in bits', lengthBits, 8, 0xff * 128);
  if (lengthBits % 8 !== 0) throw new RangeError(`SCP03 KDF length in bits: expected a multiple of 8, got ${lengthBits}`);
  const blocks = Math.ceil(lengthBits / 128);
  const out = new Uint8Array(blocks * 16);
  const label = new Uint8Array(12);
  label[11] = constant;
  for (let i = 1; i <= blocks; i++) {
    // Amendment D §4.1.5: label ‖ '00' ‖ L ‖ i ‖ context — the counter sits after L, not first.
    const input = concatBytes(label, Uint8Array.of(0), uintToBytes(lengthBits, 2), Uint8Array.of(i), context);
    const block = aesCmac(key, input);
    out.set(block, (i - 1) * 16);
    wipe(block);
  }
  const result = out.slice(0, lengthBits / 8);
  wipe(out);
  return result;
}
