// P-256 ECDH (SEC 1 v2 §3.3.1) as exported for applets: symmetric, equal to OpenSSL's x-coordinate
// secret (node:crypto), and refusing malformed keys and points off the curve.
import { describe, expect, it } from 'vitest';
import { ecdhSharedSecret, generateKeyPair } from '../src/keys';
import { nodeEcdh } from './node-reference';

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

describe('ecdhSharedSecret', () => {
  it('gives both ends the same 32-byte secret, equal to node:crypto ECDH', () => {
    for (let round = 0; round < 20; round++) {
      const a = generateKeyPair(random);
      const b = generateKeyPair(random);
      const z = ecdhSharedSecret(a.privateKey, b.publicKey);
      expect(z).toHaveLength(32);
      expect(ecdhSharedSecret(b.privateKey, a.publicKey)).toEqual(z);
      expect(z).toEqual(nodeEcdh(a.privateKey, b.publicKey));
    }
  });

  it('refuses wrong sizes and a point not on the curve', () => {
    const a = generateKeyPair(random);
    expect(() => ecdhSharedSecret(a.privateKey.slice(1), a.publicKey)).toThrow(RangeError);
    expect(() => ecdhSharedSecret(a.privateKey, a.publicKey.slice(1))).toThrow(RangeError);
    // (1, 1) is not on P-256: noble must refuse it rather than return a secret.
    expect(() => ecdhSharedSecret(a.privateKey, Uint8Array.of(0x04, ...new Uint8Array(31), 1, ...new Uint8Array(31), 1))).toThrow();
  });
});
