import { describe, expect, it } from 'vitest';
import { makePki, NOW, seededRandom } from '../test/fixtures';
import { utf8ToBytes } from './bytes';
import { encodeCertificateStore, issueCertificate, parseCertificate, parseCertificateStore, verifyCertificateChain } from './certificate';
import { CertificateError } from './errors';
import { generateKeyPair } from './keys';

const pki = makePki();

function rejected(fn: () => unknown): CertificateError['reason'] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CertificateError);
    return (error as CertificateError).reason;
  }
  throw new Error('expected a CertificateError');
}

describe('SCP11 certificates and chain verification (GP Amendment F §6.3 style)', () => {
  it('issues, parses and verifies a one-level SD chain and a two-level OCE chain', () => {
    const sd = verifyCertificateChain(pki.sdCertificates, { trustAnchors: [pki.klccAnchor], now: NOW, leafRole: 'sd' });
    expect(sd.role).toBe('sd');
    expect(sd.publicKey.length).toBe(65);
    const oce = verifyCertificateChain(pki.oceCertificates, { trustAnchors: [pki.klocAnchor], now: NOW, leafRole: 'oce' });
    expect(new TextDecoder().decode(oce.subjectId)).toBe('supplier/oce');
    const parsed = parseCertificate(pki.sdCertificates[0]!);
    expect(parsed.encoded).toEqual(pki.sdCertificates[0]);
  });

  it('refuses the wrong trust anchor, a broken link, a bad signature and the wrong role', () => {
    expect(rejected(() => verifyCertificateChain(pki.sdCertificates, { trustAnchors: [pki.klocAnchor], now: NOW, leafRole: 'sd' }))).toBe('wrong-issuer');
    expect(rejected(() => verifyCertificateChain(pki.sdCertificates, { trustAnchors: [{ id: pki.klccAnchor.id, publicKey: pki.kloc.publicKey }], now: NOW, leafRole: 'sd' }))).toBe('bad-signature');
    expect(rejected(() => verifyCertificateChain([pki.oceCertificates[1]!], { trustAnchors: [pki.klocAnchor], now: NOW, leafRole: 'oce' }))).toBe('wrong-issuer');
    expect(rejected(() => verifyCertificateChain(pki.sdCertificates, { trustAnchors: [pki.klccAnchor], now: NOW, leafRole: 'oce' }))).toBe('wrong-role');
    const tampered = pki.sdCertificates[0]!.slice();
    tampered[tampered.length - 1]! ^= 1;
    expect(rejected(() => verifyCertificateChain([tampered], { trustAnchors: [pki.klccAnchor], now: NOW, leafRole: 'sd' }))).toBe('bad-signature');
    const subject = pki.sdCertificates[0]!.slice();
    subject[20]! ^= 1; // inside the signed fields
    expect(rejected(() => verifyCertificateChain([subject], { trustAnchors: [pki.klccAnchor], now: NOW, leafRole: 'sd' }))).not.toBe('malformed' as never);
    expect(rejected(() => verifyCertificateChain([], { trustAnchors: [pki.klccAnchor], now: NOW, leafRole: 'sd' }))).toBe('empty-chain');
  });

  it('refuses certificates outside their validity at the injected now', () => {
    const options = { trustAnchors: [pki.klccAnchor], leafRole: 'sd' as const };
    expect(rejected(() => verifyCertificateChain(pki.sdCertificates, { ...options, now: NOW + 2 * 365 * 24 * 3600 }))).toBe('expired');
    expect(rejected(() => verifyCertificateChain(pki.sdCertificates, { ...options, now: NOW - 2 * 365 * 24 * 3600 }))).toBe('not-yet-valid');
  });

  it('refuses a CA certificate that is not a CA in the middle of a chain', () => {
    const leafAsCa = issueCertificate(
      { serial: Uint8Array.of(9), issuerId: utf8ToBytes('supplier/oce'), subjectId: utf8ToBytes('x'), role: 'oce', notBefore: 0, notAfter: NOW * 2, publicKey: generateKeyPair(seededRandom(5)).publicKey },
      pki.oce.privateKey,
    );
    expect(rejected(() => verifyCertificateChain([...pki.oceCertificates, leafAsCa], { trustAnchors: [pki.klocAnchor], now: NOW, leafRole: 'oce' }))).toBe('wrong-role');
  });

  it('refuses malformed certificates (6A80) and carries the chain in a BF21 store', () => {
    expect(rejected(() => parseCertificate(Uint8Array.of(0x7f, 0x21, 0x00)))).toBe('malformed');
    expect(rejected(() => parseCertificate(Uint8Array.of(0x86, 0x00)))).toBe('malformed');
    expect(rejected(() => parseCertificate(pki.sdCertificates[0]!.subarray(0, 50)))).toBe('malformed');
    expect(new CertificateError('malformed', 'x').statusWord).toBe(0x6a80);
    expect(new CertificateError('expired', 'x').statusWord).toBe(0x6982);
    const store = encodeCertificateStore(pki.oceCertificates);
    expect(parseCertificateStore(store)).toEqual(pki.oceCertificates);
    expect(rejected(() => parseCertificateStore(Uint8Array.of(0xbf, 0x21, 0x02, 0x86, 0x00)))).toBe('malformed');
    expect(() => issueCertificate({ ...parseCertificate(pki.sdCertificates[0]!), serial: new Uint8Array(0) }, pki.klcc.privateKey)).toThrow(RangeError);
  });
});
