import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../test/fixtures';
import { bytesToHex, utf8ToBytes } from './bytes';
import { packageHash, signPackage, verifyPackage } from './dap';
import { generateKeyPair } from './keys';

const publisher = generateKeyPair(seededRandom(11));
const pkg = utf8ToBytes('export default function billing() { return 42; }\n');

describe('DAP package signatures (ECDSA P-256 over SHA-256)', () => {
  it('hashes with SHA-256', () => {
    expect(bytesToHex(packageHash(utf8ToBytes('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('verifies its own signatures and refuses a changed package, another key or garbage', () => {
    const signature = signPackage(pkg, publisher.privateKey);
    expect(signature.length).toBe(64);
    expect(verifyPackage(pkg, signature, publisher.publicKey)).toBe(true);
    const changed = pkg.slice();
    changed[0]! ^= 1;
    expect(verifyPackage(changed, signature, publisher.publicKey)).toBe(false);
    expect(verifyPackage(pkg, signature, generateKeyPair(seededRandom(12)).publicKey)).toBe(false);
    const flipped = signature.slice();
    flipped[40]! ^= 1;
    expect(verifyPackage(pkg, flipped, publisher.publicKey)).toBe(false);
    expect(verifyPackage(pkg, new Uint8Array(3), publisher.publicKey)).toBe(false);
    expect(verifyPackage(pkg, signature, new Uint8Array(33))).toBe(false);
    expect(verifyPackage('x' as unknown as Uint8Array, signature, publisher.publicKey)).toBe(false);
  });

  it('accepts high-S and DER signatures (other signers do not normalise)', () => {
    const signature = p256.Signature.fromBytes(signPackage(pkg, publisher.privateKey));
    const highS = new p256.Signature(signature.r, p256.Point.CURVE().n - signature.s);
    expect(verifyPackage(pkg, highS.toBytes('compact'), publisher.publicKey)).toBe(true);
    expect(verifyPackage(pkg, highS.toBytes('der'), publisher.publicKey)).toBe(true);
  });
});
