/**
 * ANSI X9.63 KDF (SHA-256) against the NIST CAVS vector OpenSSL ships, and against an independent
 * implementation over node:crypto's SHA-256 (SEC 1 v2 §3.6.1) for random inputs.
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../src/bytes';
import { x963Kdf } from '../src/x963-kdf';
import vectors from './vectors/x963-kdf.json';
import { seededRandom } from './fixtures';
import { nodeX963 } from './node-reference';

describe('X9.63 KDF conformance (NIST CAVS ansx963_2001, SHA-256)', () => {
  for (const v of vectors.vectors) {
    it(v.name, () => {
      const out = x963Kdf(hexToBytes(v.sharedSecret), hexToBytes(v.sharedInfo), v.keyData.length / 2);
      expect(bytesToHex(out)).toBe(v.keyData);
      const flipped = hexToBytes(v.sharedInfo);
      flipped[0]! ^= 1;
      expect(bytesToHex(x963Kdf(hexToBytes(v.sharedSecret), flipped, v.keyData.length / 2))).not.toBe(v.keyData);
    });
  }

  it('matches an independent node:crypto implementation, including SCP11 lengths (80, 120, 160 bytes)', () => {
    const random = seededRandom(963);
    for (let i = 0; i < 100; i++) {
      const z = random(64);
      const info = random(i % 5);
      const length = [80, 120, 160, 1, 33][i % 5]!;
      expect(bytesToHex(x963Kdf(z, info, length))).toBe(bytesToHex(nodeX963(z, info, length)));
    }
  });
});
