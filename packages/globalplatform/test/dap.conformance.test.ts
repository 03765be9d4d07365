/**
 * DAP package signatures cross-checked with node:crypto (OpenSSL) ECDSA P-256/SHA-256, whose
 * signatures are not low-S normalised: about half of them are high-S and must still verify.
 * No published DAP vector is used (see vectors/README.md); ECDSA itself is noble's, itself tested
 * against Wycheproof upstream.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { signPackage, verifyPackage } from '../src/dap';
import { seededRandom } from './fixtures';

describe('DAP signatures against node:crypto', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = publicKey.export({ format: 'jwk' });
  const raw = new Uint8Array([4, ...Buffer.from(jwk.x!, 'base64url'), ...Buffer.from(jwk.y!, 'base64url')]);
  const n = p256.Point.CURVE().n;

  it('verifies node:crypto signatures (IEEE P1363 and DER), high-S included', () => {
    const random = seededRandom(21);
    let highS = 0;
    for (let i = 0; i < 40; i++) {
      const pkg = random(50 + i);
      const p1363 = new Uint8Array(sign('sha256', pkg, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
      const der = new Uint8Array(sign('sha256', pkg, privateKey));
      if (p256.Signature.fromBytes(p1363).s > n / 2n) highS++;
      expect(verifyPackage(pkg, p1363, raw)).toBe(true);
      expect(verifyPackage(pkg, der, raw)).toBe(true);
      const wrong = pkg.slice();
      wrong[0]! ^= 1;
      expect(verifyPackage(wrong, p1363, raw)).toBe(false);
    }
    expect(highS).toBeGreaterThan(0);
  });

  it('produces signatures node:crypto verifies', () => {
    const d = new Uint8Array(Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url'));
    const pkg = seededRandom(22)(1000);
    const signature = signPackage(pkg, d);
    expect(verify('sha256', pkg, { key: createPublicKey(createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }))), dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
  });
});
