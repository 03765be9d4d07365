import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../src/bytes';
import { GlobalPlatformError } from '../src/errors';
import { aesKeyCheckValue, decodePutKeyData, encodePutKeyData } from '../src/put-key';

// Cross-checked against node:crypto (OpenSSL), an independent AES implementation.
const nodeEcb = (key: Uint8Array, block: Uint8Array) => {
  const cipher = createCipheriv(`aes-${key.length * 8}-ecb`, key, null).setAutoPadding(false);
  return new Uint8Array(Buffer.concat([cipher.update(block), cipher.final()]));
};

const dek = hexToBytes('404142434445464748494a4b4c4d4e4f');
const keys = { enc: new Uint8Array(16).fill(0x11), mac: new Uint8Array(16).fill(0x22), dek: new Uint8Array(16).fill(0x33) };

describe('PUT KEY key data (GP §11.8.2.3, Amendment D §7.2)', () => {
  it('computes the key check value as AES-ECB(key, 16 × 01), first 3 bytes', () => {
    for (const key of [keys.enc, hexToBytes('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f')]) {
      expect(bytesToHex(aesKeyCheckValue(key))).toBe(bytesToHex(nodeEcb(key, new Uint8Array(16).fill(1)).slice(0, 3)));
    }
  });

  it('encrypts each key under the DEK (one AES block with a zero ICV) and round-trips', () => {
    const data = encodePutKeyData(dek, 2, keys);
    expect(data.length).toBe(1 + 3 * 23);
    expect(bytesToHex(data.subarray(0, 4))).toBe('02881110');
    expect(bytesToHex(data.subarray(4, 20))).toBe(bytesToHex(nodeEcb(dek, keys.enc)));
    expect(bytesToHex(data)).not.toContain(bytesToHex(keys.enc));
    const decoded = decodePutKeyData(dek, data);
    expect(decoded.newVersion).toBe(2);
    expect(bytesToHex(decoded.keys.mac)).toBe(bytesToHex(keys.mac));
    expect(bytesToHex(decoded.response)).toBe(`02${[keys.enc, keys.mac, keys.dek].map((k) => bytesToHex(aesKeyCheckValue(k))).join('')}`);
  });

  it('refuses another DEK, a flipped bit, truncation, trailing bytes and garbage with WRONG_DATA (6A80)', () => {
    const data = encodePutKeyData(dek, 2, keys);
    const flipped = data.slice();
    flipped[10] = (flipped[10] ?? 0) ^ 0x01;
    const inputs = [data.slice(0, 30), Uint8Array.of(...data, 0), flipped, new Uint8Array(0), new Uint8Array(70).fill(0x88)];
    for (const input of inputs) {
      let caught: unknown;
      try {
        decodePutKeyData(dek, input);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(GlobalPlatformError);
      expect((caught as GlobalPlatformError).statusWord).toBe(0x6a80);
    }
    expect(() => decodePutKeyData(new Uint8Array(16).fill(9), data)).toThrow(/check value/);
  });
});
