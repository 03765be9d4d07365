// SEC 1 §2.3.4 point decoding as a validity check for keys received from another party.
import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, isP256PublicKey } from './keys';

let counter = 0;
const random = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7 + counter++) & 0xff);

describe('isP256PublicKey (SEC 1 §2.3.4)', () => {
  it('accepts compressed and uncompressed points on the curve', () => {
    const { publicKey } = generateKeyPair(random);
    expect(isP256PublicKey(publicKey)).toBe(true);
    expect(isP256PublicKey(p256.Point.fromBytes(publicKey).toBytes(false))).toBe(true);
  });

  it('refuses a point off the curve, the identity, wrong lengths and wrong types', () => {
    const { publicKey } = generateKeyPair(random);
    const uncompressed = p256.Point.fromBytes(publicKey).toBytes(false);
    const offCurve = uncompressed.slice();
    offCurve[64] = (offCurve[64] ?? 0) ^ 1;
    expect(isP256PublicKey(offCurve)).toBe(false);
    expect(isP256PublicKey(new Uint8Array(33))).toBe(false);
    expect(isP256PublicKey(publicKey.subarray(0, 32))).toBe(false);
    expect(isP256PublicKey(new Uint8Array(65).fill(4))).toBe(false);
    expect(isP256PublicKey('02' as unknown as Uint8Array)).toBe(false);
  });
});
