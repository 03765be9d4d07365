/**
 * Security domains (GP Card Specification v2.3.1 §7): the issuer security domain and one
 * supplementary security domain per party, each with its own keys — an SCP11 key pair certified by
 * the manufacturer CA (GP Amendment F §4.1) and an SCP03 static key set (GP Amendment D §4.1.1).
 * Keys come from the injected secure random source, never from a world seed (DESIGN.md Decision 2).
 */
import {
  bytesToHex,
  generateKeyPair,
  hexToBytes,
  issueCertificate,
  publicKeyOf,
  SCP03_I,
  type RandomSource,
  type Scp03CardKeyset,
  type Scp11CardKeys,
} from '@hydra/globalplatform';
import type { Privilege } from './privileges';
import type { DomainRecord, Party } from './registry';

/** The simulated manufacturer CA: its identifier and private key (kept by the factory, not the card). */
export interface ManufacturerCa {
  /** 1 to 16 bytes. */
  id: Uint8Array;
  privateKey: Uint8Array;
}

/**
 * The manufacturer CA as a meter knows it when the CA's private key stays server-side: its id
 * and public key only. Domains manufactured against it have no certificate until the host's
 * registration returns them (see `certification.ts`).
 */
export interface ManufacturerCaPublic {
  id: Uint8Array;
  publicKey: Uint8Array;
}

/** Options for {@link manufactureDomain}. */
export interface ManufactureDomainOptions {
  aid: string;
  party: Party | null;
  privileges: Privilege[];
  associatedSd: string | null;
  ca: ManufacturerCa | ManufacturerCaPublic;
  random: RandomSource;
  /** World time (ms) at manufacture: the certificate's start of validity. */
  now: number;
  dapPublicKey: Uint8Array | null;
  /** CA-KLOC roots accepted for SCP11a OCE certificates. */
  oceTrustAnchors: { id: Uint8Array; publicKey: Uint8Array }[];
}

/** SCP03 i parameter: pseudo-random challenge, R-MAC and R-ENC supported (Amendment D Table 5-1). */
export const SCP03_I_PARAMETER = SCP03_I.PSEUDO_RANDOM_CHALLENGE | SCP03_I.R_MAC | SCP03_I.R_ENC;

const TWENTY_YEARS_S = 20 * 366 * 24 * 3600;

/**
 * Creates a security domain with fresh keys: SCP11 key pair and certificate (role `sd`, subject =
 * the domain's AID, issued by the manufacturer CA), SCP03 key set version 1.
 * @throws {TypeError|RangeError} for malformed CA material.
 */
export function manufactureDomain(options: ManufactureDomainOptions): DomainRecord {
  const { random, ca } = options;
  const ecka = generateKeyPair(random);
  const notBefore = Math.floor(options.now / 1000);
  // Without the CA's private key (it stays server-side) the domain is certified at registration.
  const certificate = !('privateKey' in ca) ? null : issueCertificate(
    {
      serial: random(8),
      issuerId: ca.id,
      subjectId: hexToBytes(options.aid),
      role: 'sd',
      notBefore,
      notAfter: Math.min(notBefore + TWENTY_YEARS_S, 0xffffffff),
      publicKey: ecka.publicKey,
    },
    ca.privateKey,
  );
  return {
    aid: options.aid,
    party: options.party,
    lifecycle: 'PERSONALIZED',
    locked: false,
    privileges: options.privileges,
    associatedSd: options.associatedSd,
    scp03: {
      keyVersion: 1,
      enc: bytesToHex(random(16)),
      mac: bytesToHex(random(16)),
      dek: bytesToHex(random(16)),
      sequenceCounter: 0,
      keyDiversificationData: bytesToHex(random(10)),
    },
    scp11: {
      keyVersion: 1,
      privateKey: bytesToHex(ecka.privateKey),
      publicKey: bytesToHex(ecka.publicKey),
      certificates: certificate === null ? [] : [bytesToHex(certificate)],
      oceTrustAnchors: options.oceTrustAnchors.map((anchor) => ({ id: bytesToHex(anchor.id), publicKey: bytesToHex(anchor.publicKey) })),
    },
    dapPublicKey: options.dapPublicKey === null ? null : bytesToHex(options.dapPublicKey),
    data: {},
  };
}

/** The library's view of a domain's SCP11 keys. */
export function scp11CardKeysOf(domain: DomainRecord): Scp11CardKeys {
  return {
    keyVersion: domain.scp11.keyVersion,
    sdPrivateKey: hexToBytes(domain.scp11.privateKey),
    sdCertificates: domain.scp11.certificates.map(hexToBytes),
    oceTrustAnchors: domain.scp11.oceTrustAnchors.map((anchor) => ({ id: hexToBytes(anchor.id), publicKey: hexToBytes(anchor.publicKey) })),
  };
}

/** The library's view of a domain's SCP03 key set. */
export function scp03KeysetOf(domain: DomainRecord): Scp03CardKeyset {
  return {
    keyVersion: domain.scp03.keyVersion,
    keys: { enc: hexToBytes(domain.scp03.enc), mac: hexToBytes(domain.scp03.mac), dek: hexToBytes(domain.scp03.dek) },
    keyDiversificationData: hexToBytes(domain.scp03.keyDiversificationData),
    iParameter: SCP03_I_PARAMETER,
  };
}

/** The CA's public key as a trust anchor, for hosts verifying GET DATA BF21. */
export function caTrustAnchor(ca: ManufacturerCa): { id: Uint8Array; publicKey: Uint8Array } {
  return { id: ca.id.slice(), publicKey: publicKeyOf(ca.privateKey) };
}
