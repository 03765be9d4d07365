/**
 * PUT KEY key data for an AES key set (GP Card Specification §11.8.2.3; Amendment D §7.2 for
 * SCP03): each key component travels encrypted under the channel's DEK (the static DEK of an
 * SCP03 key set, the derived S-DEK of an SCP11 session) with AES-CBC and a zero ICV, followed by
 * its key check value — the first 3 bytes of AES-ECB(key, 16 × 01). The card answers the new key
 * version number followed by the check values, which the host compares with its own.
 *
 * Layout: `<new KVN>` then, per key (ENC, MAC, DEK), `88 <1+n> <n> <E_DEK(key)> 03 <KCV>`.
 */
import { cbc, ecb } from '@noble/ciphers/aes.js';
import { assertBytes } from './assert';
import { bytesToHex, concatBytes } from './bytes';
import { GlobalPlatformError } from './errors';

/** Key type tag for AES (GP §11.1.8). */
const AES_KEY_TYPE = 0x88;
const KCV_LENGTH = 3;
const ZERO_ICV = new Uint8Array(16);

/** An AES key set as PUT KEY carries it. */
export interface AesKeySet {
  enc: Uint8Array;
  mac: Uint8Array;
  dek: Uint8Array;
}

/** Key check value of an AES key: AES-ECB(key, 16 × 01), first 3 bytes (Amendment D §7.2). */
export function aesKeyCheckValue(key: Uint8Array): Uint8Array {
  assertBytes('key', key, 16, 24, 32);
  return ecb(key, { disablePadding: true }).encrypt(new Uint8Array(16).fill(0x01)).slice(0, KCV_LENGTH);
}

function assertKeyLength(name: string, key: Uint8Array): void {
  // AES-CBC without padding: key components must be whole blocks (AES-128 or AES-256).
  assertBytes(name, key, 16, 32);
}

/** Builds PUT KEY data: the new version, then each key encrypted under `dek` with its check value. */
export function encodePutKeyData(dek: Uint8Array, newVersion: number, keys: AesKeySet): Uint8Array {
  assertBytes('DEK', dek, 16, 24, 32);
  if (!Number.isInteger(newVersion) || newVersion < 1 || newVersion > 0x7f) throw new RangeError(`PUT KEY: key version must be 01..7F, got ${newVersion}`);
  const blocks = (['enc', 'mac', 'dek'] as const).map((name) => {
    const key = keys[name];
    assertKeyLength(`new ${name.toUpperCase()} key`, key);
    const encrypted = cbc(dek, ZERO_ICV, { disablePadding: true }).encrypt(key);
    return concatBytes(Uint8Array.of(AES_KEY_TYPE, 1 + key.length, key.length), encrypted, Uint8Array.of(KCV_LENGTH), aesKeyCheckValue(key));
  });
  return concatBytes(Uint8Array.of(newVersion), ...blocks);
}

/** PUT KEY data that does not decode, decrypt or check: 6A80. */
function wrongData(message: string): GlobalPlatformError {
  return new GlobalPlatformError('WRONG_DATA', message);
}

/**
 * Decodes PUT KEY data on the card: decrypts each key under `dek` and verifies its check value.
 * @returns the new key version, the keys and the response data the card answers with.
 * @throws {GlobalPlatformError} WRONG_DATA (6A80) for a wrong layout, a key of unsupported length or a check value
 *   that does not match (a key encrypted under another DEK, or tampered in transit).
 */
export function decodePutKeyData(dek: Uint8Array, data: Uint8Array): { newVersion: number; keys: AesKeySet; response: Uint8Array } {
  assertBytes('DEK', dek, 16, 24, 32);
  if (data.length < 1) throw wrongData('PUT KEY: no data');
  const newVersion = data[0] ?? 0;
  const keys: Uint8Array[] = [];
  const checks: Uint8Array[] = [];
  let offset = 1;
  for (const name of ['ENC', 'MAC', 'DEK']) {
    const type = data[offset];
    const total = data[offset + 1];
    const length = data[offset + 2];
    if (type !== AES_KEY_TYPE) throw wrongData(`PUT KEY: ${name} key must have key type 88 (AES), got ${type === undefined ? 'nothing' : type.toString(16).padStart(2, '0')}`);
    if (length === undefined || total !== length + 1 || (length !== 16 && length !== 32)) throw wrongData(`PUT KEY: ${name} key length must be 16 or 32 bytes`);
    const encrypted = data.subarray(offset + 3, offset + 3 + length);
    const kcvLength = data[offset + 3 + length];
    const kcv = data.subarray(offset + 4 + length, offset + 4 + length + KCV_LENGTH);
    if (encrypted.length !== length || kcvLength !== KCV_LENGTH || kcv.length !== KCV_LENGTH) throw wrongData(`PUT KEY: ${name} key block is truncated`);
    const key = cbc(dek, ZERO_ICV, { disablePadding: true }).decrypt(encrypted);
    const expected = aesKeyCheckValue(key);
    if (bytesToHex(expected) !== bytesToHex(kcv)) throw wrongData(`PUT KEY: ${name} key does not match its check value`);
    keys.push(key);
    checks.push(expected);
    offset += 4 + length + KCV_LENGTH;
  }
  if (offset !== data.length) throw wrongData(`PUT KEY: ${data.length - offset} unexpected trailing bytes`);
  const [enc, mac, dekKey] = keys as [Uint8Array, Uint8Array, Uint8Array];
  return { newVersion, keys: { enc, mac, dek: dekKey }, response: concatBytes(Uint8Array.of(newVersion), ...checks) };
}
