/**
 * Test fixtures shared by unit, conformance and fuzz tests: a seeded random source (tests are
 * reproducible; production injects a CSPRNG), a small PKI (CA-KLCC for cards, CA-KLOC for
 * off-card entities) and helpers that open SCP03 and SCP11 sessions between both ends.
 */
import { generateKeyPair, type KeyPair } from '../src/keys';
import type { RandomSource } from '../src/random';
import { issueCertificate, type TrustAnchor } from '../src/certificate';
import { scp03CardExternalAuthenticate, scp03CardInitializeUpdate, scp03HostComplete, scp03HostExternalAuthenticate, scp03HostInitializeUpdate } from '../src/scp03';
import type { Scp03Session, SecurityLevel } from '../src/scp03-session';
import { scp11CardAuthenticate, scp11CardPerformSecurityOperation, scp11HostFinish, scp11HostStart, type Scp11CardHandshake, type Scp11CardKeys } from '../src/scp11';
import { utf8ToBytes } from '../src/bytes';

/** A seeded, reproducible byte source (xorshift32). Not for production keys. */
export function seededRandom(seed: number): RandomSource {
  let x = seed >>> 0 || 0x9e3779b9;
  return (length: number) => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      out[i] = x & 0xff;
    }
    return out;
  };
}

/** A seeded PRNG for fuzzing decisions: integers in [0, n). */
export function seededInt(seed: number): (n: number) => number {
  const bytes = seededRandom(seed);
  return (n: number) => {
    const b = bytes(4);
    return (((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0) % n;
  };
}

export const NOW = 1_780_000_000; // 2026-05-28, the injected "now" of certificate checks
const YEAR = 365 * 24 * 3600;

export interface Pki {
  klcc: KeyPair;
  kloc: KeyPair;
  sd: KeyPair;
  oce: KeyPair;
  sdCertificates: Uint8Array[];
  oceCertificates: Uint8Array[];
  klccAnchor: TrustAnchor;
  klocAnchor: TrustAnchor;
}

/** A two-root PKI: CA-KLCC signs the SD's certificate, CA-KLOC signs an intermediate that signs the OCE's. */
export function makePki(random: RandomSource = seededRandom(7)): Pki {
  const klcc = generateKeyPair(random);
  const kloc = generateKeyPair(random);
  const intermediate = generateKeyPair(random);
  const sd = generateKeyPair(random);
  const oce = generateKeyPair(random);
  const id = (text: string) => utf8ToBytes(text);
  const sdCert = issueCertificate(
    { serial: Uint8Array.of(1), issuerId: id('CA-KLCC'), subjectId: id('meter-1/sd'), role: 'sd', notBefore: NOW - YEAR, notAfter: NOW + YEAR, publicKey: sd.publicKey },
    klcc.privateKey,
  );
  const intermediateCert = issueCertificate(
    { serial: Uint8Array.of(2), issuerId: id('CA-KLOC'), subjectId: id('supplier-ca'), role: 'ca', notBefore: NOW - YEAR, notAfter: NOW + 5 * YEAR, publicKey: intermediate.publicKey },
    kloc.privateKey,
  );
  const oceCert = issueCertificate(
    { serial: Uint8Array.of(3), issuerId: id('supplier-ca'), subjectId: id('supplier/oce'), role: 'oce', notBefore: NOW - YEAR, notAfter: NOW + YEAR, publicKey: oce.publicKey },
    intermediate.privateKey,
  );
  return {
    klcc,
    kloc,
    sd,
    oce,
    sdCertificates: [sdCert],
    oceCertificates: [intermediateCert, oceCert],
    klccAnchor: { id: id('CA-KLCC'), publicKey: klcc.publicKey },
    klocAnchor: { id: id('CA-KLOC'), publicKey: kloc.publicKey },
  };
}

export function cardKeys(pki: Pki): Scp11CardKeys {
  return { keyVersion: 1, sdPrivateKey: pki.sd.privateKey, sdCertificates: pki.sdCertificates, oceTrustAnchors: [pki.klocAnchor] };
}

/** Static SCP03 keys of the given size, derived from a seed. */
export function scp03Keys(size: 16 | 24 | 32, random: RandomSource = seededRandom(size)) {
  return { enc: random(size), mac: random(size), dek: random(size) };
}

/** Runs the whole SCP03 handshake between a host and a card; returns both sessions. */
export function openScp03(options: { size?: 16 | 24 | 32; level?: SecurityLevel; macLength?: 8 | 16; seed?: number } = {}): { host: Scp03Session; card: Scp03Session } {
  const size = options.size ?? 16;
  const macLength = options.macLength ?? 8;
  const random = seededRandom(options.seed ?? 1);
  const keys = scp03Keys(size);
  const step1 = scp03HostInitializeUpdate({ keys, keyVersion: 0x30, securityLevel: options.level ?? 0x33, macLength, random });
  const card1 = scp03CardInitializeUpdate(
    { keyset: { keyVersion: 0x30, keys, keyDiversificationData: new Uint8Array(10), iParameter: 0x70 | (macLength === 16 ? 1 : 0) }, sequenceCounter: 5, aid: Uint8Array.of(0xa0, 0, 0, 1, 0x51, 0, 0, 0) },
    step1.output,
  );
  const step2 = scp03HostExternalAuthenticate(step1.state, card1.output.response);
  const card2 = scp03CardExternalAuthenticate(card1.state, step2.output);
  const host = scp03HostComplete(step2.state, card2.output).state;
  return { host, card: card2.state };
}

/** Runs SCP11a or SCP11b between a host and a card; returns both sessions. */
export function openScp11(variant: 'a' | 'b', pki: Pki = makePki(), keyLength: 16 | 24 | 32 = 16, seed = 3): { host: Scp03Session; card: Scp03Session; receipt: Uint8Array } {
  const random = seededRandom(seed);
  const keys = cardKeys(pki);
  const start = scp11HostStart({
    variant,
    keyVersion: 1,
    sdPublicKey: pki.sd.publicKey,
    keyLength,
    random,
    ...(variant === 'a' ? { oceStaticPrivateKey: pki.oce.privateKey, oceCertificates: pki.oceCertificates } : {}),
  });
  let handshake: Scp11CardHandshake | null = null;
  const commands = start.output;
  for (const command of commands.slice(0, -1)) {
    handshake = scp11CardPerformSecurityOperation(handshake, command, { keys, now: NOW }).state;
  }
  const card = scp11CardAuthenticate(handshake, commands.at(-1)!, { keys, random });
  const host = scp11HostFinish(start.state, card.output);
  return { host: host.state, card: card.state, receipt: host.output.receipt };
}

/** Deep copy through JSON, as a database or IndexedDB round trip would do. */
export function roundTrip<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
