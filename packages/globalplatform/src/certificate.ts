/**
 * Compact certificates for SCP11 (modelled on the GlobalPlatform certificate format of GP Card
 * Specification v2.3 Amendment F §6.3 / Table 6-2, tag 7F21, but with validity as integers and a
 * one-byte role in place of the key-usage bit string):
 *
 *   7F21 { 93 serial ‖ 42 issuer id ‖ 5F20 subject id ‖ 95 role ‖ 5F25 not-before ‖ 5F24 not-after
 *          ‖ 7F49 { B0 public key (65-byte uncompressed P-256 point) } ‖ 5F37 signature }
 *
 * The signature is ECDSA P-256 with SHA-256 (FIPS 186-5), 64 bytes r‖s, by the issuer's key over the
 * concatenated TLVs before 5F37. Chains are verified from a trusted root (a CA-KLOC for off-card
 * entity certificates, a CA-KLCC for security domain certificates): right issuer, good signature,
 * right role, valid at the injected `now`. The SD's chain travels in GET DATA tag BF21.
 */
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { assertBytes, assertInteger } from './assert';
import { bytesToUint, concatBytes, constantTimeEqual, uintToBytes, utf8ToBytes } from './bytes';
import { CertificateError, GlobalPlatformError } from './errors';
import { encodeTlv, parseTlv, parseTlvs, type Tlv } from './tlv';

/** The role a certificate gives its key: a certificate authority, a security domain's ECKA key, or an off-card entity's ECKA key. */
export type CertificateRole = 'ca' | 'sd' | 'oce';

const ROLE_BYTES: Record<CertificateRole, number> = { ca: 0x01, sd: 0x02, oce: 0x03 };

/** Tag of a certificate and of the SD certificate store (GP Amendment F §7.4.2 GET DATA BF21). */
export const TAG_CERTIFICATE = 0x7f21;
export const TAG_CERTIFICATE_STORE = 0xbf21;

/** Most bytes a subject or issuer identifier carries (tags 5F20 / 42). */
export const MAX_CERTIFICATE_ID_BYTES = 16;

/**
 * The subject identifier for a name of any length: the first 16 bytes of SHA-256 over its UTF-8
 * bytes (tag 5F20 holds 1 to 16 bytes; a meter id can be 64 characters). A verifier recomputes it
 * from the name it expects, so the certificate stays bound to that name.
 * @param name - e.g. a meter id.
 * @returns 16 bytes.
 * @throws {TypeError} when `name` is not a non-empty string.
 */
export function nameSubjectId(name: string): Uint8Array {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError(`certificate subject name: expected a non-empty string, got ${typeof name === 'string' ? 'an empty string' : typeof name}`);
  return sha256(utf8ToBytes(name)).slice(0, MAX_CERTIFICATE_ID_BYTES);
}

/** The signed content of a certificate. */
export interface CertificateBody {
  /** 1 to 20 bytes. */
  serial: Uint8Array;
  /** Identifier of the issuing CA (1 to 16 bytes); a root's certificate names itself. */
  issuerId: Uint8Array;
  /** Identifier of the subject (1 to 16 bytes). */
  subjectId: Uint8Array;
  role: CertificateRole;
  /** Start of validity, seconds since 1970-01-01 UTC. */
  notBefore: number;
  /** End of validity (inclusive), seconds since 1970-01-01 UTC. */
  notAfter: number;
  /** The subject's P-256 public key, 33 (compressed) or 65 bytes; stored uncompressed. */
  publicKey: Uint8Array;
}

/** A parsed certificate: its body, signature and the exact bytes. */
export interface Certificate extends CertificateBody {
  signature: Uint8Array;
  /** The signed bytes (the TLVs before 5F37). */
  tbs: Uint8Array;
  /** The complete 7F21 encoding. */
  encoded: Uint8Array;
}

/** A trusted root: an identifier and the public key that signs the first certificate of a chain. */
export interface TrustAnchor {
  id: Uint8Array;
  publicKey: Uint8Array;
}

function uncompressed(publicKey: Uint8Array, field: string): Uint8Array {
  assertBytes(field, publicKey, 33, 65);
  return p256.Point.fromBytes(publicKey).toBytes(false);
}

function encodeBody(body: CertificateBody): Uint8Array {
  assertBytes('certificate serial', body.serial);
  if (body.serial.length < 1 || body.serial.length > 20) throw new RangeError(`certificate serial: expected 1 to 20 bytes, got ${body.serial.length}`);
  for (const [field, id] of [['issuer id', body.issuerId], ['subject id', body.subjectId]] as const) {
    assertBytes(field, id);
    if (id.length < 1 || id.length > 16) throw new RangeError(`${field}: expected 1 to 16 bytes, got ${id.length}`);
  }
  if (!(body.role in ROLE_BYTES)) throw new RangeError(`certificate role: expected ca, sd or oce, got ${String(body.role)}`);
  assertInteger('notBefore', body.notBefore, 0, 0xffffffff);
  assertInteger('notAfter', body.notAfter, body.notBefore, 0xffffffff);
  return concatBytes(
    encodeTlv(0x93, body.serial),
    encodeTlv(0x42, body.issuerId),
    encodeTlv(0x5f20, body.subjectId),
    encodeTlv(0x95, Uint8Array.of(ROLE_BYTES[body.role])),
    encodeTlv(0x5f25, uintToBytes(body.notBefore, 4)),
    encodeTlv(0x5f24, uintToBytes(body.notAfter, 4)),
    encodeTlv(0x7f49, encodeTlv(0xb0, uncompressed(body.publicKey, 'certificate public key'))),
  );
}

/**
 * Issues (signs) a certificate.
 * @param body - the content to sign.
 * @param issuerPrivateKey - the issuing CA's 32-byte P-256 private key.
 * @returns the 7F21 encoding.
 * @throws {TypeError|RangeError} for out-of-range fields or an invalid key.
 */
export function issueCertificate(body: CertificateBody, issuerPrivateKey: Uint8Array): Uint8Array {
  assertBytes('issuer private key', issuerPrivateKey, 32);
  const tbs = encodeBody(body);
  // noble hashes with SHA-256 itself (prehash: true); output is the 64-byte compact r‖s, low-S.
  const signature = p256.sign(tbs, issuerPrivateKey);
  return encodeTlv(TAG_CERTIFICATE, concatBytes(tbs, encodeTlv(0x5f37, signature)));
}

const BODY_TAGS = [0x93, 0x42, 0x5f20, 0x95, 0x5f25, 0x5f24, 0x7f49, 0x5f37] as const;

/**
 * Parses a certificate strictly: the eight fields, in order, nothing else. Does not verify it.
 * @throws {CertificateError} (reason `malformed`, status 6A80) for anything else.
 */
export function parseCertificate(bytes: Uint8Array): Certificate {
  assertBytes('certificate', bytes);
  let outer: Tlv;
  try {
    outer = parseTlv(bytes, { recursive: false });
  } catch (error) {
    if (error instanceof GlobalPlatformError) throw new CertificateError('malformed', error.message);
    throw error;
  }
  if (outer.tag !== TAG_CERTIFICATE) throw new CertificateError('malformed', `expected tag 7F21, got ${outer.tag.toString(16).toUpperCase()}`);
  let fields: Tlv[];
  try {
    // Not recursive: GP puts the point under tag B0, whose constructed bit is set although its value is a plain point.
    fields = parseTlvs(outer.value, { recursive: false });
  } catch (error) {
    if (error instanceof GlobalPlatformError) throw new CertificateError('malformed', error.message);
    throw error;
  }
  if (fields.length !== BODY_TAGS.length || fields.some((field, i) => field.tag !== BODY_TAGS[i])) {
    throw new CertificateError('malformed', 'expected fields 93, 42, 5F20, 95, 5F25, 5F24, 7F49, 5F37 in this order');
  }
  const [serial, issuer, subject, role, notBefore, notAfter, key, signature] = fields as [Tlv, Tlv, Tlv, Tlv, Tlv, Tlv, Tlv, Tlv];
  const roleName = (Object.keys(ROLE_BYTES) as CertificateRole[]).find((name) => role.value.length === 1 && ROLE_BYTES[name] === role.value[0]);
  if (!roleName) throw new CertificateError('malformed', 'unknown role');
  if (serial.value.length < 1 || serial.value.length > 20 || issuer.value.length < 1 || issuer.value.length > 16 || subject.value.length < 1 || subject.value.length > 16) {
    throw new CertificateError('malformed', 'serial, issuer id or subject id of the wrong size');
  }
  if (notBefore.value.length !== 4 || notAfter.value.length !== 4) throw new CertificateError('malformed', 'validity dates must be 4 bytes');
  let keyFields: Tlv[];
  try {
    keyFields = parseTlvs(key.value, { recursive: false });
  } catch {
    throw new CertificateError('malformed', 'public key must be 7F49 { B0 65-byte point }');
  }
  const point = keyFields.length === 1 && keyFields[0]?.tag === 0xb0 ? keyFields[0].value : undefined;
  if (!point || point.length !== 65) throw new CertificateError('malformed', 'public key must be 7F49 { B0 65-byte point }');
  try {
    p256.Point.fromBytes(point);
  } catch {
    throw new CertificateError('malformed', 'public key is not a point on P-256');
  }
  if (signature.value.length !== 64) throw new CertificateError('malformed', 'signature must be 64 bytes');
  const tbsLength = outer.value.length - signature.raw.length;
  return {
    serial: serial.value,
    issuerId: issuer.value,
    subjectId: subject.value,
    role: roleName,
    notBefore: bytesToUint(notBefore.value),
    notAfter: bytesToUint(notAfter.value),
    publicKey: point,
    signature: signature.value,
    tbs: outer.value.slice(0, tbsLength),
    encoded: bytes.slice(),
  };
}

/** Options for {@link verifyCertificateChain}. */
export interface VerifyChainOptions {
  /** Roots the first certificate may be issued by (matched by id). */
  trustAnchors: readonly TrustAnchor[];
  /** The current time, seconds since 1970-01-01 UTC (injected: domain code reads no clock). */
  now: number;
  /** The role the last certificate must have. */
  leafRole: 'sd' | 'oce';
}

function verifySignature(certificate: Certificate, publicKey: Uint8Array): boolean {
  try {
    // Signatures from other libraries may be high-S: accept them.
    return p256.verify(certificate.signature, certificate.tbs, publicKey, { lowS: false });
  } catch {
    return false;
  }
}

/**
 * Verifies a certificate chain, root side first, leaf last.
 * @returns the parsed leaf certificate, whose public key may then be trusted for `leafRole`.
 * @throws {CertificateError} `empty-chain`, `malformed`, `wrong-issuer`, `bad-signature`,
 *   `wrong-role`, `expired` or `not-yet-valid` (6A80 for malformed, 6982 for the rest).
 */
export function verifyCertificateChain(chain: readonly Uint8Array[], options: VerifyChainOptions): Certificate {
  if (!Array.isArray(chain)) throw new TypeError('certificate chain: expected an array');
  assertInteger('now', options.now, 0, 0xffffffff);
  if (chain.length === 0) throw new CertificateError('empty-chain', 'the chain is empty');
  if (chain.length > 8) throw new CertificateError('malformed', `a chain of ${chain.length} certificates is longer than 8`);
  const certificates = chain.map((bytes) => parseCertificate(bytes));
  let issuerKey: Uint8Array | undefined;
  let issuerId: Uint8Array | undefined;
  const first = certificates[0] as Certificate;
  const anchor = options.trustAnchors.find((candidate) => constantTimeEqual(candidate.id, first.issuerId));
  if (!anchor) throw new CertificateError('wrong-issuer', 'the first certificate is not issued by a trusted root');
  issuerKey = anchor.publicKey;
  issuerId = anchor.id;
  for (let i = 0; i < certificates.length; i++) {
    const certificate = certificates[i] as Certificate;
    if (!constantTimeEqual(certificate.issuerId, issuerId)) throw new CertificateError('wrong-issuer', `certificate ${i} names another issuer`);
    if (!verifySignature(certificate, issuerKey)) throw new CertificateError('bad-signature', `certificate ${i} has a bad signature`);
    if (options.now < certificate.notBefore) throw new CertificateError('not-yet-valid', `certificate ${i} is not yet valid`);
    if (options.now > certificate.notAfter) throw new CertificateError('expired', `certificate ${i} has expired`);
    const last = i === certificates.length - 1;
    if (last ? certificate.role !== options.leafRole : certificate.role !== 'ca') {
      throw new CertificateError('wrong-role', `certificate ${i} has role ${certificate.role}, expected ${last ? options.leafRole : 'ca'}`);
    }
    issuerKey = certificate.publicKey;
    issuerId = certificate.subjectId;
  }
  return certificates[certificates.length - 1] as Certificate;
}

/** Encodes a certificate chain as the BF21 certificate store returned by GET DATA. */
export function encodeCertificateStore(chain: readonly Uint8Array[]): Uint8Array {
  for (const [i, certificate] of chain.entries()) assertBytes(`certificate ${i}`, certificate);
  return encodeTlv(TAG_CERTIFICATE_STORE, [...chain]);
}

/**
 * Splits a BF21 certificate store into the encoded certificates (not verified).
 * @throws {CertificateError} (malformed) when it is not BF21 { 7F21 … }.
 */
export function parseCertificateStore(bytes: Uint8Array): Uint8Array[] {
  assertBytes('certificate store', bytes);
  let store: Tlv;
  try {
    store = parseTlv(bytes, { recursive: false });
    const children = store.tag === TAG_CERTIFICATE_STORE ? parseTlvs(store.value, { recursive: false }) : [];
    if (children.length === 0 || children.some((child) => child.tag !== TAG_CERTIFICATE)) throw new CertificateError('malformed', 'expected BF21 holding 7F21 certificates');
    return children.map((child) => child.raw);
  } catch (error) {
    if (error instanceof CertificateError) throw error;
    if (error instanceof GlobalPlatformError) throw new CertificateError('malformed', error.message);
    throw error;
  }
}
