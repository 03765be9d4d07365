/**
 * A manufactured, certified meter core for the trace and probe tests: supplier, DNO and telecare
 * domains, the billing applet loaded from a signed catalog, certificates from a test manufacturer
 * CA, and an optional trace hook. Imports the secure-element fixture, so the realm is locked down.
 */
import { bytesToHex, generateKeyPair, hexToBytes, issueCertificate, nameSubjectId, publicKeyOf, utf8ToBytes, type KeyPair } from '@hydra/globalplatform';
import { manufactureMeterState, MeterCore, type MeterCoreOptions } from '../../src/meter/meter-core';
import { signAppletSource } from '../../src/secure-element/index';
import { hydraAid } from '../../src/secure-element/registry';
import { BILLING_SOURCE, compile, secureRandom as random } from '../secure-element/fixture';

export { BILLING_SOURCE, compile, random };

export const caKey = generateKeyPair(random).privateKey;
export const ca = { id: bytesToHex(utf8ToBytes('hydra-mfr-ca')), publicKey: bytesToHex(publicKeyOf(caKey)) };
export const publisher: KeyPair = generateKeyPair(random);
export const billingSignature = bytesToHex(signAppletSource(BILLING_SOURCE, publisher.privateKey));
export const metrology = () => ({ importWh: new Array<number>(48).fill(250), exportWh: new Array<number>(48).fill(0) });

/** A meter with three party domains and billing; certified unless `certified: false`. */
export function certifiedMeter(options: { certified?: boolean; onExchange?: MeterCoreOptions['onExchange'] } = {}): MeterCore {
  const state = manufactureMeterState({
    worldId: 'w',
    meterId: 'w-m0001',
    startDate: '2025-01-01',
    parties: ['supplier', 'dno', 'telecare'].map((partyId) => ({ partyId, aid: hydraAid('sd', partyId) })),
    applets: [{ appletId: 'billing', version: '1.0.0', domain: 'supplier' }],
    catalog: { publisherPublicKey: bytesToHex(publisher.publicKey), applets: [{ id: 'billing', source: BILLING_SOURCE, signature: billingSignature }] },
    ca,
    compile,
    random,
  });
  const core = new MeterCore({ state, compile, metrology, random, ...(options.onExchange ? { onExchange: options.onExchange } : {}) });
  if (options.certified === false) return core;
  const registration = core.registration();
  const certificate = (subject: Uint8Array, role: 'sd' | 'oce', publicKey: string) =>
    bytesToHex(issueCertificate({ serial: random(8), issuerId: hexToBytes(ca.id), subjectId: subject, role, notBefore: 0, notAfter: 0xfffffff0, publicKey: hexToBytes(publicKey) }, caKey));
  core.installCertificates({
    meterId: registration.meterId,
    deviceCertificate: certificate(nameSubjectId(registration.meterId), 'oce', registration.devicePublicKey),
    domains: registration.domains.map((d) => ({ aid: d.aid, certificates: [certificate(hexToBytes(d.aid), 'sd', d.publicKey)] })),
  });
  return core;
}
