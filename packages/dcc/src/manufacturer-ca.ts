/**
 * The simulated manufacturer CA (DESIGN.md Decision 3) as a server-side registration service:
 * the meter host sends public keys only; the CA, whose private key lives in the server's secrets
 * (`HYDRA_MANUFACTURER_CA_KEY`, written by set-up) and never in a browser, returns compact SCP11
 * certificates (GP Amendment F §4.1, format in `@hydra/globalplatform` certificate.ts): one per
 * security domain key (role `sd`, subject = the domain's AID) and one for the device key that signs
 * uplink envelopes (role `oce`, an off-card key: the comms hub's; subject = `nameSubjectId(meterId)`, since
 * tag 5F20 holds at most 16 bytes and a meter id can be 64 characters).
 * Validity is the simulated device lifetime, fixed, so world clocks anywhere in it verify.
 */
import { bytesToHex, hexToBytes, issueCertificate, nameSubjectId, publicKeyOf, utf8ToBytes, type RandomSource, type TrustAnchor } from '@hydra/globalplatform';
import { RelayError } from './errors';

/** 2020-01-01 to 2050-01-01 (s): the simulated meters' lifetime. */
const NOT_BEFORE = Date.UTC(2020, 0, 1) / 1000;
const NOT_AFTER = Date.UTC(2050, 0, 1) / 1000;

/** The CA's identifier (in every certificate's issuer field). */
export const MANUFACTURER_CA_ID = 'hydra-mfr-ca';

/** What a meter host asks to have certified: public keys only. */
export interface CertificationRequest {
  meterId: string;
  devicePublicKey: string;
  domains: { aid: string; publicKey: string }[];
}

/** The certificates returned (hex). */
export interface IssuedCertificates {
  meterId: string;
  deviceCertificate: string;
  domains: { aid: string; certificates: string[] }[];
}

/** A manufacturer CA able to certify meters. */
export interface ManufacturerCa {
  /** The trust anchor parties and meters verify against (public). */
  anchor: TrustAnchor;
  /** Certifies one meter's keys. @throws {RelayError} ENVELOPE_MALFORMED for a malformed key or AID. */
  certify(request: CertificationRequest): IssuedCertificates;
}

/** The public anchor of a CA private key (hex), for configuring parties and meters. */
export function manufacturerCaAnchor(privateKeyHex: string): { id: string; publicKey: string } {
  return { id: bytesToHex(utf8ToBytes(MANUFACTURER_CA_ID)), publicKey: bytesToHex(publicKeyOf(hexToBytes(privateKeyHex))) };
}

/**
 * Creates the CA from its private key.
 * @warning server-side only: never pass the private key to code that runs in a browser.
 */
export function createManufacturerCa(options: { privateKeyHex: string; random: RandomSource }): ManufacturerCa {
  const privateKey = hexToBytes(options.privateKeyHex);
  const id = utf8ToBytes(MANUFACTURER_CA_ID);
  const anchor = { id, publicKey: publicKeyOf(privateKey) };
  const issue = (subjectId: Uint8Array, role: 'sd' | 'oce', publicKeyHex: string, field: string) => {
    if (typeof publicKeyHex !== 'string' || !/^(02|03)[0-9a-fA-F]{64}$/.test(publicKeyHex)) throw new RelayError('ENVELOPE_MALFORMED', `${field}: expected a 33-byte compressed P-256 key in hex`);
    return bytesToHex(issueCertificate({ serial: options.random(8), issuerId: id, subjectId, role, notBefore: NOT_BEFORE, notAfter: NOT_AFTER, publicKey: hexToBytes(publicKeyHex) }, privateKey));
  };
  return {
    anchor,
    certify(request) {
      return {
        meterId: request.meterId,
        deviceCertificate: issue(nameSubjectId(request.meterId), 'oce', request.devicePublicKey, 'device public key'),
        domains: request.domains.map((domain) => {
          if (typeof domain.aid !== 'string' || !/^[0-9a-fA-F]{10,32}$/.test(domain.aid)) throw new RelayError('ENVELOPE_MALFORMED', 'domain AID: expected 5 to 16 bytes in hex');
          return { aid: domain.aid.toLowerCase(), certificates: [issue(hexToBytes(domain.aid), 'sd', domain.publicKey, `domain ${domain.aid} public key`)] };
        }),
      };
    },
  };
}
