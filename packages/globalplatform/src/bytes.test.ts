import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from './bytes';

describe('hex codec', () => {
  it('round-trips any bytes, and reads upper case and whitespace', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(hexToBytes(bytesToHex(bytes))).toEqual(bytes);
      }),
    );
    expect(bytesToHex(Uint8Array.of(0, 9, 10, 255))).toBe('00090aff');
    expect(hexToBytes('00 09\n0A FF')).toEqual(Uint8Array.of(0, 9, 10, 255));
  });

  it('refuses odd lengths and non-hex characters', () => {
    for (const bad of ['abc', '0g', 'zz', '+1', '٠١']) expect(() => hexToBytes(bad)).toThrow(TypeError);
    expect(() => hexToBytes(42 as unknown as string)).toThrow(TypeError);
  });
});
