import { describe, expect, it } from 'vitest';
import { aesCmac } from './aes-cmac';
import { bytesToHex, concatBytes, hexToBytes } from './bytes';
import { SCP03_DERIVATION, scp03Kdf } from './scp03-kdf';

describe('scp03Kdf (GP Amendment D §4.1.5, NIST SP 800-108 counter mode)', () => {
  const key = hexToBytes('404142434445464748494a4b4c4d4e4f');
  const context = hexToBytes('0001020304050607' + '1011121314151617');

  it('lays out one block as 11×00 ‖ constant ‖ 00 ‖ L ‖ i ‖ context', () => {
    const expected = aesCmac(key, concatBytes(new Uint8Array(11), Uint8Array.of(0x06, 0x00, 0x00, 0x80, 0x01), context));
    expect(bytesToHex(scp03Kdf(key, SCP03_DERIVATION.S_MAC, context, 128))).toBe(bytesToHex(expected));
  });

  it('chains blocks with the counter for 192- and 256-bit outputs and truncates 64-bit cryptograms', () => {
    const two = scp03Kdf(key, 0x04, context, 256);
    const block2 = aesCmac(key, concatBytes(new Uint8Array(11), Uint8Array.of(0x04, 0x00, 0x01, 0x00, 0x02), context));
    expect(bytesToHex(two.subarray(16))).toBe(bytesToHex(block2));
    expect(scp03Kdf(key, 0x04, context, 192).length).toBe(24);
    const short = scp03Kdf(key, 0x00, context, 64);
    // L is part of the input, so a 64-bit output is not a prefix of the 128-bit one.
    expect(bytesToHex(short)).not.toBe(bytesToHex(scp03Kdf(key, 0x00, context, 128).subarray(0, 8)));
  });

  it('checks its arguments', () => {
    expect(() => scp03Kdf(new Uint8Array(8), 0, context, 128)).toThrow(RangeError);
    expect(() => scp03Kdf(key, 256, context, 128)).toThrow(RangeError);
    expect(() => scp03Kdf(key, 0, context, 100)).toThrow('multiple of 8');
  });
});
