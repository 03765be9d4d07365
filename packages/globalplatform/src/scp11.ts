/**
 * SCP11 variants a and b (GP Card Specification v2.3 Amendment F v1.3 §3.1, §6.5, §7.5–§7.7),
 * host side and card side, as pure transitions over JSON-serialisable states. Ends in an SCP03
 * session at level 33 (Amendment F §6.6):
 *
 *   SCP11b: host INTERNAL AUTHENTICATE (80 88 KVN 13) → card; the card proves its static key.
 *   SCP11a: host PERFORM SECURITY OPERATION (80 2A) with its OCE certificate chain, then
 *           MUTUAL AUTHENTICATE (80 82 KVN 11); both ends prove their static keys.
 *
 * Key agreement on P-256 (ECKA, BSI TR-03111): ShSee = ECDH(eSK.OCE, ePK.SD), ShSes = ECDH(SK.OCE,
 * PK.SD) — for SCP11b the OCE's ephemeral key stands in for its static one. Keys: ANSI X9.63 KDF with
 * SHA-256 over ShSee ‖ ShSes with shared info key usage (3C) ‖ key type (88, AES) ‖ key length,
 * split into receipt key, S-ENC, S-MAC, S-RMAC, S-DEK. Receipt = AES-CMAC(receipt key, command data
 * ‖ the card's 5F49 ePK.SD TLV); it becomes the first MAC chaining value.
 */
import { p256 } from '@noble/curves/nist.js';
import { type CommandApdu, encodeCommandApdu, encodeResponseApdu, parseCommandApdu, parseResponseApdu } from './apdu';
import { assertBytes, assertInteger } from './assert';
import { aesCmac } from './aes-cmac';
import { bytesToHex, concatBytes, constantTimeEqual, hexToBytes, wipe } from './bytes';
import { encodeCertificateStore, parseCertificateStore, type TrustAnchor, verifyCertificateChain } from './certificate';
import { ApduError, GlobalPlatformError, ScpAuthenticationError, ScpProtocolError } from './errors';
import type { RandomSource } from './random';
import { createScp03Session, type Scp03Session, type Transition } from './scp03-session';
import { encodeTlv, parseTlvs, type Tlv } from './tlv';
import { x963Kdf } from './x963-kdf';

/** INS codes used by SCP11 (GP Amendment F §7). */
export const INS_PERFORM_SECURITY_OPERATION = 0x2a;
export const INS_MUTUAL_AUTHENTICATE = 0x82;
export const INS_INTERNAL_AUTHENTICATE = 0x88;
export const INS_GET_DATA = 0xca;

/** Key identifiers of the SD's SCP11 keys (GP Amendment F §4.1.2 / Table 4-1). */
export const SCP11_KID = { a: 0x11, b: 0x13 } as const;

/** Key usage 3C: C-MAC, C-DECRYPTION, R-MAC, R-ENCRYPTION (Amendment F §7.6.2.3, Table 7-10). */
const KEY_USAGE = 0x3c;
/** Key type 88: AES (Amendment F Table 7-10). */
const KEY_TYPE_AES = 0x88;

/** The two SCP11 variants this library implements. */
export type Scp11Variant = 'a' | 'b';

function scpParameter(variant: Scp11Variant): number {
  // Amendment F §7.6.2.3 Table 7-9: parameter 00 = SCP11b, 01 = SCP11a.
  return variant === 'a' ? 0x01 : 0x00;
}

function controlReferenceTemplate(variant: Scp11Variant, keyLength: number): Uint8Array {
  return encodeTlv(0xa6, [
    encodeTlv(0x90, Uint8Array.of(0x11, scpParameter(variant))),
    encodeTlv(0x95, Uint8Array.of(KEY_USAGE)),
    encodeTlv(0x80, Uint8Array.of(KEY_TYPE_AES)),
    encodeTlv(0x81, Uint8Array.of(keyLength)),
  ]);
}

function ecdh(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  // noble returns the compressed shared point; the ECDH secret is its x-coordinate.
  const point = p256.getSharedSecret(privateKey, publicKey);
  const x = point.slice(1);
  wipe(point);
  return x;
}

/** The five keys of Amendment F §6.5.2.3, in KDF output order. */
interface Scp11Keys {
  receipt: Uint8Array;
  sEnc: Uint8Array;
  sMac: Uint8Array;
  sRmac: Uint8Array;
  sDek: Uint8Array;
}

/**
 * Derives the SCP11 keys from the two shared secrets.
 * @param shSee - ECDH(ephemeral, ephemeral), 32 bytes.
 * @param shSes - ECDH(static or ephemeral OCE, static SD), 32 bytes.
 * @param keyLength - 16, 24 or 32.
 */
export function scp11DeriveKeys(shSee: Uint8Array, shSes: Uint8Array, keyLength: 16 | 24 | 32): Scp11Keys {
  assertBytes('ShSee', shSee, 32);
  assertBytes('ShSes', shSes, 32);
  if (keyLength !== 16 && keyLength !== 24 && keyLength !== 32) throw new RangeError(`key length: expected 16, 24 or 32, got ${String(keyLength)}`);
  const z = concatBytes(shSee, shSes);
  const keyData = x963Kdf(z, Uint8Array.of(KEY_USAGE, KEY_TYPE_AES, keyLength), 5 * keyLength);
  wipe(z);
  const take = (i: number) => keyData.slice(i * keyLength, (i + 1) * keyLength);
  const keys = { receipt: take(0), sEnc: take(1), sMac: take(2), sRmac: take(3), sDek: take(4) };
  wipe(keyData);
  return keys;
}

function wipeKeys(keys: Scp11Keys): void {
  for (const key of Object.values(keys)) wipe(key);
}

/** Draws a P-256 private key from a random source (48 bytes reduced mod n, FIPS 186-5 A.2.1). */
function ephemeralKey(random: RandomSource | undefined, fixed: Uint8Array | undefined): Uint8Array {
  if (fixed !== undefined) {
    assertBytes('ephemeral private key', fixed, 32);
    if (!p256.utils.isValidSecretKey(fixed)) throw new RangeError('ephemeral private key: not a valid P-256 scalar');
    return fixed.slice();
  }
  if (typeof random !== 'function') throw new TypeError('random: a random source is needed for the ephemeral key');
  const seed = random(48);
  assertBytes('random seed', seed, 48);
  return p256.utils.randomSecretKey(seed);
}

/* ------------------------------------------------------------------------------------------------
 * Host (off-card entity) side
 * ---------------------------------------------------------------------------------------------- */

/**
 * GET DATA for the SD certificate store (tag BF21), selecting the key by KID and KVN
 * (Amendment F §7.4.2: data A6 { 83 KID KVN }).
 */
export function buildGetCertificatesCommand(keyVersion: number, keyId: number): Uint8Array {
  assertInteger('key version', keyVersion, 0, 0xff);
  assertInteger('key id', keyId, 0, 0xff);
  return encodeCommandApdu({ cla: 0x00, ins: INS_GET_DATA, p1: 0xbf, p2: 0x21, data: encodeTlv(0xa6, encodeTlv(0x83, Uint8Array.of(keyId, keyVersion))), ne: 256 });
}

/**
 * Reads the SD certificate chain from a GET DATA BF21 response.
 * @throws {ApduError} for a status word other than 9000; {@link CertificateError} for a malformed store.
 */
export function parseGetCertificatesResponse(response: Uint8Array): Uint8Array[] {
  const parsed = parseResponseApdu(response);
  if (parsed.sw !== 0x9000) throw new ApduError(parsed.sw);
  return parseCertificateStore(parsed.data);
}

/** Options for {@link scp11HostStart}. */
export interface Scp11HostOptions {
  variant: Scp11Variant;
  /** KVN of the SD's SCP11 key (P1). */
  keyVersion: number;
  /** KID of the SD's SCP11 key (P2); default 11 for SCP11a, 13 for SCP11b. */
  keyId?: number;
  /** PK.SD.ECKA: the SD's static public key, taken from its verified certificate. */
  sdPublicKey: Uint8Array;
  /** Session key length (default 16: AES-128). */
  keyLength?: 16 | 24 | 32;
  /** Source of the ephemeral key. */
  random?: RandomSource;
  /** A fixed ephemeral private key — for known-answer tests only; never reuse one. */
  ephemeralPrivateKey?: Uint8Array;
  /** SCP11a: SK.OCE.ECKA, the OCE's static private key. */
  oceStaticPrivateKey?: Uint8Array;
  /** SCP11a: the OCE certificate chain, root side first, leaf (matching oceStaticPrivateKey) last. */
  oceCertificates?: readonly Uint8Array[];
  /** SCP11a: KVN and KID the OCE certificate is uploaded under (PERFORM SECURITY OPERATION P1, P2). */
  oceKeyVersion?: number;
  oceKeyId?: number;
}

/** The host's SCP11 handshake state between sending its commands and receiving the card's answer. */
export interface Scp11HostHandshake {
  readonly kind: 'scp11-host-handshake';
  readonly version: 1;
  readonly variant: Scp11Variant;
  readonly keyLength: 16 | 24 | 32;
  readonly sdPublicKey: string;
  readonly ephemeralPrivateKey: string;
  readonly oceStaticPrivateKey: string | null;
  /** The authenticate command's data (A6 ‖ 5F49), part of the receipt input. */
  readonly authenticateData: string;
}

/**
 * Host, step 1: builds the commands to send in order — for SCP11a one PERFORM SECURITY OPERATION
 * per OCE certificate, then MUTUAL AUTHENTICATE; for SCP11b, INTERNAL AUTHENTICATE. Every PERFORM
 * SECURITY OPERATION must answer 9000 (check with `expectStatus`) before the next is sent.
 * @throws {TypeError|RangeError} for missing or malformed keys and certificates.
 */
export function scp11HostStart(options: Scp11HostOptions): Transition<Scp11HostHandshake, Uint8Array[]> {
  const variant = options.variant;
  if (variant !== 'a' && variant !== 'b') throw new RangeError(`SCP11 variant: expected a or b, got ${String(variant)}`);
  assertInteger('key version', options.keyVersion, 0, 0x7f);
  const keyId = options.keyId ?? SCP11_KID[variant];
  assertInteger('key id', keyId, 0, 0xff);
  const keyLength = options.keyLength ?? 16;
  if (keyLength !== 16 && keyLength !== 24 && keyLength !== 32) throw new RangeError(`key length: expected 16, 24 or 32, got ${String(keyLength)}`);
  assertBytes('SD public key', options.sdPublicKey, 33, 65);
  const sdPublicKey = p256.Point.fromBytes(options.sdPublicKey).toBytes(false);
  const commands: Uint8Array[] = [];
  let oceStatic: Uint8Array | null = null;
  if (variant === 'a') {
    assertBytes('OCE static private key', options.oceStaticPrivateKey, 32);
    oceStatic = options.oceStaticPrivateKey;
    const chain = options.oceCertificates;
    if (!Array.isArray(chain) || chain.length === 0) throw new TypeError('OCE certificates: SCP11a needs the OCE certificate chain');
    const oceKeyVersion = options.oceKeyVersion ?? 0;
    const oceKeyId = options.oceKeyId ?? 0;
    assertInteger('OCE key version', oceKeyVersion, 0, 0x7f);
    assertInteger('OCE key id', oceKeyId, 0, 0x7f);
    chain.forEach((certificate: Uint8Array, i: number) => {
      assertBytes(`OCE certificate ${i}`, certificate);
      // Amendment F §7.5: P2 bit 8 set while more certificates of the chain follow.
      const more = i < chain.length - 1 ? 0x80 : 0x00;
      commands.push(encodeCommandApdu({ cla: 0x80, ins: INS_PERFORM_SECURITY_OPERATION, p1: oceKeyVersion, p2: oceKeyId | more, data: certificate }));
    });
  }
  const eSk = ephemeralKey(options.random, options.ephemeralPrivateKey);
  const ePk = p256.getPublicKey(eSk, false);
  const data = concatBytes(controlReferenceTemplate(variant, keyLength), encodeTlv(0x5f49, ePk));
  const ins = variant === 'a' ? INS_MUTUAL_AUTHENTICATE : INS_INTERNAL_AUTHENTICATE;
  commands.push(encodeCommandApdu({ cla: 0x80, ins, p1: options.keyVersion, p2: keyId, data, ne: 256 }));
  const state: Scp11HostHandshake = {
    kind: 'scp11-host-handshake',
    version: 1,
    variant,
    keyLength,
    sdPublicKey: bytesToHex(sdPublicKey),
    ephemeralPrivateKey: bytesToHex(eSk),
    oceStaticPrivateKey: oceStatic === null ? null : bytesToHex(oceStatic),
    authenticateData: bytesToHex(data),
  };
  wipe(eSk);
  return { state, output: commands };
}

/** The card's answer to an SCP11 authenticate command: its ephemeral key TLV and receipt. */
function parseAuthenticateResponse(data: Uint8Array): { ePkTlv: Uint8Array; ePk: Uint8Array; receipt: Uint8Array } {
  let items: Tlv[];
  try {
    items = parseTlvs(data, { recursive: false });
  } catch {
    throw new ScpAuthenticationError();
  }
  const [key, receipt] = items;
  if (items.length !== 2 || key?.tag !== 0x5f49 || receipt?.tag !== 0x86 || key.value.length !== 65 || receipt.value.length !== 16) throw new ScpAuthenticationError();
  return { ePkTlv: key.raw, ePk: key.value, receipt: receipt.value };
}

/**
 * Host, step 2: checks the card's answer (its ephemeral key and receipt) and opens the session.
 * @returns the host's SCP03 session at level 33 (MAC chaining value = receipt) and the receipt.
 * @throws {ApduError} carrying the card's status word when it is not 9000.
 * @throws {ScpAuthenticationError} (6982) for a wrong receipt, an invalid point or a malformed answer.
 */
export function scp11HostFinish(handshake: Scp11HostHandshake, response: Uint8Array): Transition<Scp03Session, { receipt: Uint8Array }> {
  if (handshake?.kind !== 'scp11-host-handshake') throw new ScpProtocolError('CONDITIONS_NOT_SATISFIED', 'expected an SCP11 host handshake');
  const parsed = parseResponseApdu(response);
  if (parsed.sw !== 0x9000) throw new ApduError(parsed.sw, `SCP11 authentication refused: ${parsed.sw.toString(16).toUpperCase()}`);
  const answer = parseAuthenticateResponse(parsed.data);
  const eSk = hexToBytes(handshake.ephemeralPrivateKey);
  const staticSk = handshake.oceStaticPrivateKey === null ? eSk : hexToBytes(handshake.oceStaticPrivateKey);
  let shSee: Uint8Array;
  let shSes: Uint8Array;
  try {
    shSee = ecdh(eSk, answer.ePk);
    shSes = ecdh(staticSk, hexToBytes(handshake.sdPublicKey));
  } catch (error) {
    if (error instanceof GlobalPlatformError) throw error;
    throw new ScpAuthenticationError();
  } finally {
    wipe(eSk);
    wipe(staticSk);
  }
  const keys = scp11DeriveKeys(shSee, shSes, handshake.keyLength);
  wipe(shSee);
  wipe(shSes);
  try {
    const receipt = aesCmac(keys.receipt, concatBytes(hexToBytes(handshake.authenticateData), answer.ePkTlv));
    if (!constantTimeEqual(receipt, answer.receipt)) throw new ScpAuthenticationError();
    const session = createScp03Session({
      role: 'host',
      origin: handshake.variant === 'a' ? 'scp11a' : 'scp11b',
      securityLevel: 0x33,
      macLength: 8,
      sEnc: keys.sEnc,
      sMac: keys.sMac,
      sRmac: keys.sRmac,
      sDek: keys.sDek,
      macChainingValue: receipt,
    });
    return { state: session, output: { receipt } };
  } finally {
    wipeKeys(keys);
  }
}

/* ------------------------------------------------------------------------------------------------
 * Card (security domain) side
 * ---------------------------------------------------------------------------------------------- */

/** What a security domain holds for SCP11. */
export interface Scp11CardKeys {
  /** KVN of the SD's SCP11 key set. */
  keyVersion: number;
  /** SK.SD.ECKA, 32 bytes. */
  sdPrivateKey: Uint8Array;
  /** The SD's certificate chain (root side first, SD certificate last), served by GET DATA BF21. */
  sdCertificates: readonly Uint8Array[];
  /** Roots (CA-KLOC) an OCE certificate chain must lead to, for SCP11a. */
  oceTrustAnchors: readonly TrustAnchor[];
  /** Which variants this SD accepts (default both). */
  variants?: readonly Scp11Variant[];
}

/** The card's state between PERFORM SECURITY OPERATION commands and MUTUAL AUTHENTICATE. JSON-serialisable. */
export interface Scp11CardHandshake {
  readonly kind: 'scp11-card-handshake';
  readonly version: 1;
  /** OCE certificates received so far (hex), while P2 bit 8 said more follow. */
  readonly pendingCertificates: readonly string[];
  /** PK.OCE.ECKA (hex), once the whole chain verified. */
  readonly ocePublicKey: string | null;
}

function parseCardCommand(bytes: Uint8Array): CommandApdu {
  assertBytes('command', bytes);
  return parseCommandApdu(bytes);
}

/**
 * Card: answers GET DATA BF21 with the SD certificate store. Pure; no state.
 * @throws {ApduFormatError|ScpProtocolError} for another command, unknown KVN/KID (6A88).
 */
export function scp11CardGetCertificates(keys: Scp11CardKeys, command: Uint8Array): Uint8Array {
  const apdu = parseCardCommand(command);
  if (apdu.ins !== INS_GET_DATA || apdu.p1 !== 0xbf || apdu.p2 !== 0x21) throw new ScpProtocolError('INS_NOT_SUPPORTED', 'expected GET DATA BF21');
  if (apdu.data.length > 0) {
    let reference: Tlv[];
    try {
      reference = parseTlvs(apdu.data);
    } catch {
      throw new ScpProtocolError('WRONG_DATA', 'key reference must be A6 { 83 KID KVN }');
    }
    const kid = reference.length === 1 && reference[0]?.tag === 0xa6 && reference[0].children?.length === 1 && reference[0].children[0]?.tag === 0x83 ? reference[0].children[0].value : undefined;
    if (!kid || kid.length !== 2) throw new ScpProtocolError('WRONG_DATA', 'key reference must be A6 { 83 KID KVN }');
    const variants = keys.variants ?? ['a', 'b'];
    const known = variants.some((variant) => SCP11_KID[variant] === kid[0]);
    if (!known || kid[1] !== keys.keyVersion) throw new ScpProtocolError('REFERENCED_DATA_NOT_FOUND', 'no SCP11 key with this KID and KVN');
  }
  return encodeResponseApdu({ data: encodeCertificateStore(keys.sdCertificates), sw: 0x9000 });
}

/** Options for {@link scp11CardPerformSecurityOperation}. */
export interface Scp11CardPsoOptions {
  keys: Scp11CardKeys;
  /** Current time, seconds since 1970-01-01 UTC, for certificate validity. */
  now: number;
}

/**
 * Card: receives one OCE certificate (PERFORM SECURITY OPERATION, Amendment F §7.5). While P2 bit 8
 * says more follow, it is kept; the last one triggers verification of the whole chain against the
 * CA-KLOC trust anchors.
 * @param handshake - the previous state, or null for the first certificate.
 * @returns the next state (with `ocePublicKey` once verified) and the response (9000).
 * @throws {CertificateError} (6A80 malformed, 6982 rejected) — the caller answers with its status word.
 */
export function scp11CardPerformSecurityOperation(handshake: Scp11CardHandshake | null, command: Uint8Array, options: Scp11CardPsoOptions): Transition<Scp11CardHandshake, Uint8Array> {
  const apdu = parseCardCommand(command);
  if (apdu.ins !== INS_PERFORM_SECURITY_OPERATION || (apdu.cla & 0xfc) !== 0x80) throw new ScpProtocolError('INS_NOT_SUPPORTED', 'expected PERFORM SECURITY OPERATION (80 2A)');
  if (apdu.data.length === 0) throw new ScpProtocolError('WRONG_DATA', 'PERFORM SECURITY OPERATION carries a certificate');
  const pending = handshake?.kind === 'scp11-card-handshake' && handshake.ocePublicKey === null ? handshake.pendingCertificates : [];
  if (pending.length >= 7) throw new ScpProtocolError('WRONG_DATA', 'OCE certificate chain too long');
  const chain = [...pending, bytesToHex(apdu.data)];
  if ((apdu.p2 & 0x80) !== 0) {
    return { state: { kind: 'scp11-card-handshake', version: 1, pendingCertificates: chain, ocePublicKey: null }, output: encodeResponseApdu({ data: new Uint8Array(0), sw: 0x9000 }) };
  }
  const leaf = verifyCertificateChain(chain.map(hexToBytes), { trustAnchors: options.keys.oceTrustAnchors, now: options.now, leafRole: 'oce' });
  return {
    state: { kind: 'scp11-card-handshake', version: 1, pendingCertificates: [], ocePublicKey: bytesToHex(leaf.publicKey) },
    output: encodeResponseApdu({ data: new Uint8Array(0), sw: 0x9000 }),
  };
}

/** Options for {@link scp11CardAuthenticate}. */
export interface Scp11CardAuthenticateOptions {
  keys: Scp11CardKeys;
  /** Source of the card's ephemeral key. */
  random?: RandomSource;
  /** A fixed ephemeral private key — for known-answer tests only. */
  ephemeralPrivateKey?: Uint8Array;
}

/**
 * Card: answers INTERNAL AUTHENTICATE (SCP11b) or MUTUAL AUTHENTICATE (SCP11a): checks the control
 * reference template, agrees keys and returns its ephemeral key and receipt.
 * @param handshake - for SCP11a, the state holding the verified OCE key; ignored for SCP11b.
 * @returns the card's SCP03 session at level 33 and the response bytes.
 * @throws {ScpProtocolError} 6D00 for another command, 6A88 unknown KVN/KID, 6A80 bad data,
 *   6985 for SCP11a without a verified OCE certificate.
 */
export function scp11CardAuthenticate(handshake: Scp11CardHandshake | null, command: Uint8Array, options: Scp11CardAuthenticateOptions): Transition<Scp03Session, Uint8Array> {
  const { keys } = options;
  assertBytes('SD private key', keys.sdPrivateKey, 32);
  assertInteger('key version', keys.keyVersion, 1, 0x7f);
  const apdu = parseCardCommand(command);
  if ((apdu.cla & 0xfc) !== 0x80 || (apdu.ins !== INS_MUTUAL_AUTHENTICATE && apdu.ins !== INS_INTERNAL_AUTHENTICATE)) throw new ScpProtocolError('INS_NOT_SUPPORTED', 'expected MUTUAL or INTERNAL AUTHENTICATE');
  const variant: Scp11Variant = apdu.ins === INS_MUTUAL_AUTHENTICATE ? 'a' : 'b';
  if (!(keys.variants ?? ['a', 'b']).includes(variant)) throw new ScpProtocolError('INS_NOT_SUPPORTED', `SCP11${variant} is not enabled`);
  if (apdu.p1 !== keys.keyVersion || apdu.p2 !== SCP11_KID[variant]) throw new ScpProtocolError('REFERENCED_DATA_NOT_FOUND', 'no SCP11 key with this KVN and KID');
  let items: Tlv[];
  try {
    items = parseTlvs(apdu.data, { maxDepth: 2 });
  } catch {
    throw new ScpProtocolError('WRONG_DATA', 'authenticate data is not well-formed TLV');
  }
  const [crt, key] = items;
  if (items.length !== 2 || crt?.tag !== 0xa6 || key?.tag !== 0x5f49 || key.value.length !== 65) throw new ScpProtocolError('WRONG_DATA', 'expected A6 { … } 5F49 { point }');
  const keyLength = crt.children?.find((item) => item.tag === 0x81)?.value;
  if (keyLength?.length !== 1 || ![16, 24, 32].includes(keyLength[0] ?? 0)) throw new ScpProtocolError('WRONG_DATA', 'key length must be 16, 24 or 32');
  const length = keyLength[0] as 16 | 24 | 32;
  // The template must be exactly what this library would send (order and values), so nothing unexpected is agreed.
  if (!constantTimeEqual(crt.raw, controlReferenceTemplate(variant, length))) throw new ScpProtocolError('WRONG_DATA', 'unsupported SCP11 parameters, key usage or key type');
  let staticOce: Uint8Array;
  if (variant === 'a') {
    if (handshake?.kind !== 'scp11-card-handshake' || handshake.ocePublicKey === null) throw new ScpProtocolError('CONDITIONS_NOT_SATISFIED', 'SCP11a needs a verified OCE certificate first');
    staticOce = hexToBytes(handshake.ocePublicKey);
  } else {
    staticOce = key.value;
  }
  const eSk = ephemeralKey(options.random, options.ephemeralPrivateKey);
  let shSee: Uint8Array;
  let shSes: Uint8Array;
  try {
    shSee = ecdh(eSk, key.value);
    shSes = ecdh(keys.sdPrivateKey, staticOce);
  } catch {
    wipe(eSk);
    throw new ScpProtocolError('WRONG_DATA', 'the OCE key is not a point on P-256');
  }
  const ePkTlv = encodeTlv(0x5f49, p256.getPublicKey(eSk, false));
  wipe(eSk);
  const derived = scp11DeriveKeys(shSee, shSes, length);
  wipe(shSee);
  wipe(shSes);
  try {
    const receipt = aesCmac(derived.receipt, concatBytes(apdu.data, ePkTlv));
    const session = createScp03Session({
      role: 'card',
      origin: variant === 'a' ? 'scp11a' : 'scp11b',
      securityLevel: 0x33,
      macLength: 8,
      sEnc: derived.sEnc,
      sMac: derived.sMac,
      sRmac: derived.sRmac,
      sDek: derived.sDek,
      macChainingValue: receipt,
    });
    return { state: session, output: encodeResponseApdu({ data: concatBytes(ePkTlv, encodeTlv(0x86, receipt)), sw: 0x9000 }) };
  } finally {
    wipeKeys(derived);
  }
}
