import { describe, expect, it } from 'vitest';
import { aesCmac } from './aes-cmac';
import { bytesToHex, hexToBytes } from './bytes';

describe('aesCmac (RFC 4493)', () => {
  it('takes the key first and gives RFC 4493 example 2', () => {
    // RFC 4493 §4 example 2; the full published set is in test/aes-cmac.conformance.test.ts.
    const key = hexToBytes('2b7e151628aed2a6abf7158809cf4f3c');
    expect(bytesToHex(aesCmac(key, hexToBytes('6bc1bee22e409f96e93d7e117393172a')))).toBe('070a16b46b4d4144f79bdd9dd04a287c');
  });

  it('accepts AES-128/192/256 keys and refuses other sizes', () => {
    for (const size of [16, 24, 32]) expect(aesCmac(new Uint8Array(size), new Uint8Array(3)).length).toBe(16);
    expect(() => aesCmac(new Uint8Array(15), new Uint8Array(0))).toThrow('AES-CMAC key: expected 16 or 24 or 32 bytes, got 15');
    expect(() => aesCmac(new Uint8Array(16), 'abc' as unknown as Uint8Array)).toThrow(TypeError);
  });
});
