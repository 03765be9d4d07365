import { bytesToHex, generateKeyPair, hexToBytes, nameSubjectId, parseCertificate, verifyCertificateChain } from '@hydra/globalplatform';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createManufacturerCa } from './manufacturer-ca';

const random = (n: number) => new Uint8Array(randomBytes(n));

describe('manufacturer CA', () => {
  const ca = createManufacturerCa({ privateKeyHex: bytesToHex(generateKeyPair(random).privateKey), random });

  // GP Amendment F certificate: tag 5F20 holds 1 to 16 bytes; world ids make meter ids longer.
  it.each(['demo-m0001', 'demo-conventional-m0001', `${'w'.repeat(58)}-m0001`])('certifies the device key of meter %s under a 16-byte subject bound to its id', (meterId) => {
    const device = generateKeyPair(random);
    const issued = ca.certify({ meterId, devicePublicKey: bytesToHex(device.publicKey), domains: [] });
    const leaf = verifyCertificateChain([hexToBytes(issued.deviceCertificate)], { trustAnchors: [ca.anchor], now: Date.UTC(2026, 0, 1) / 1000, leafRole: 'oce' });
    expect(bytesToHex(leaf.subjectId)).toBe(bytesToHex(nameSubjectId(meterId)));
    expect(bytesToHex(parseCertificate(hexToBytes(issued.deviceCertificate)).subjectId)).not.toBe(bytesToHex(nameSubjectId(`${meterId}x`)));
  });
});
