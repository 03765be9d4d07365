/**
 * SCP03 mutual authentication (GP Card Specification v2.3 Amendment D §6.2.1–§6.2.3, §7.1.1
 * INITIALIZE UPDATE and §7.1.2 EXTERNAL AUTHENTICATE) for AES-128/192/256 keys and S8 or S16 mode,
 * on both sides, as pure transitions over JSON-serialisable handshake states:
 *
 *   host: scp03HostInitializeUpdate → (card) → scp03HostExternalAuthenticate → (card) → scp03HostComplete
 *   card:                  scp03CardInitializeUpdate → scp03CardExternalAuthenticate
 *
 * Session keys: S-ENC = KDF(K-ENC, 04), S-MAC = KDF(K-MAC, 06), S-RMAC = KDF(K-MAC, 07), context =
 * host challenge ‖ card challenge. Cryptograms: KDF(S-MAC, 00 card / 01 host). The pseudo-random card
 * challenge: KDF(K-ENC, 02, sequence counter ‖ AID).
 */
import { type CommandApdu, encodeCommandApdu, encodeResponseApdu, parseCommandApdu, parseResponseApdu } from './apdu';
import { assertBytes, assertInteger } from './assert';
import { aesCmac } from './aes-cmac';
import { bytesToHex, bytesToUint, concatBytes, constantTimeEqual, hexToBytes, uintToBytes, wipe } from './bytes';
import { ApduError, ApduFormatError, ScpAuthenticationError, ScpProtocolError } from './errors';
import type { RandomSource } from './random';
import { SCP03_DERIVATION, scp03Kdf } from './scp03-kdf';
import { createScp03Session, isSecurityLevel, type Scp03Session, type SecurityLevel, type Transition } from './scp03-session';

/** INS codes of the SCP03 handshake (GP Card Specification v2.3.1 §11.11, §11.8). */
export const INS_INITIALIZE_UPDATE = 0x50;
export const INS_EXTERNAL_AUTHENTICATE = 0x82;

/** The static keys of an SCP03 key set (K-ENC, K-MAC, K-DEK), all of one AES size. */
export interface Scp03StaticKeys {
  enc: Uint8Array;
  mac: Uint8Array;
  dek: Uint8Array;
}

/** The three SCP03 session keys. */
export interface Scp03SessionKeys {
  sEnc: Uint8Array;
  sMac: Uint8Array;
  sRmac: Uint8Array;
}

/** i-parameter bits of SCP03 (Amendment D §5.1, Table 5-1). */
export const SCP03_I = {
  /** S16 mode: 16-byte challenges, cryptograms and MACs. */
  S16: 0x01,
  /** Pseudo-random card challenge (with a sequence counter) rather than a random one. */
  PSEUDO_RANDOM_CHALLENGE: 0x10,
  /** R-MAC supported. */
  R_MAC: 0x20,
  /** R-ENCRYPTION supported. */
  R_ENC: 0x40,
} as const;

function assertStaticKeys(keys: Scp03StaticKeys): void {
  if (typeof keys !== 'object' || keys === null) throw new TypeError('SCP03 static keys: expected { enc, mac, dek }');
  assertBytes('K-ENC', keys.enc, 16, 24, 32);
  assertBytes('K-MAC', keys.mac, keys.enc.length);
  assertBytes('K-DEK', keys.dek, keys.enc.length);
}

/**
 * Derives the session keys from the static keys and both challenges (Amendment D §6.2.1).
 * @throws {TypeError|RangeError} for wrongly sized keys or challenges.
 */
export function scp03DeriveSessionKeys(keys: Scp03StaticKeys, hostChallenge: Uint8Array, cardChallenge: Uint8Array): Scp03SessionKeys {
  assertStaticKeys(keys);
  assertBytes('host challenge', hostChallenge, 8, 16);
  assertBytes('card challenge', cardChallenge, hostChallenge.length);
  const context = concatBytes(hostChallenge, cardChallenge);
  const bits = keys.enc.length * 8;
  return {
    sEnc: scp03Kdf(keys.enc, SCP03_DERIVATION.S_ENC, context, bits),
    sMac: scp03Kdf(keys.mac, SCP03_DERIVATION.S_MAC, context, bits),
    sRmac: scp03Kdf(keys.mac, SCP03_DERIVATION.S_RMAC, context, bits),
  };
}

/** The card cryptogram: KDF(S-MAC, 00, host challenge ‖ card challenge, 64 or 128 bits) (Amendment D §6.2.2.2). */
export function scp03CardCryptogram(sMac: Uint8Array, hostChallenge: Uint8Array, cardChallenge: Uint8Array): Uint8Array {
  assertBytes('host challenge', hostChallenge, 8, 16);
  assertBytes('card challenge', cardChallenge, hostChallenge.length);
  return scp03Kdf(sMac, SCP03_DERIVATION.CARD_CRYPTOGRAM, concatBytes(hostChallenge, cardChallenge), hostChallenge.length * 8);
}

/** The host cryptogram: KDF(S-MAC, 01, host challenge ‖ card challenge, 64 or 128 bits) (Amendment D §6.2.2.3). */
export function scp03HostCryptogram(sMac: Uint8Array, hostChallenge: Uint8Array, cardChallenge: Uint8Array): Uint8Array {
  assertBytes('host challenge', hostChallenge, 8, 16);
  assertBytes('card challenge', cardChallenge, hostChallenge.length);
  return scp03Kdf(sMac, SCP03_DERIVATION.HOST_CRYPTOGRAM, concatBytes(hostChallenge, cardChallenge), hostChallenge.length * 8);
}

/**
 * The pseudo-random card challenge: KDF(K-ENC, 02, sequence counter (3 bytes) ‖ AID, 64 or 128 bits)
 * (Amendment D §6.2.2.1). Deterministic: the sequence counter must never repeat for a key set.
 */
export function scp03PseudoRandomCardChallenge(kEnc: Uint8Array, sequenceCounter: number, aid: Uint8Array, length: 8 | 16 = 8): Uint8Array {
  assertInteger('sequence counter', sequenceCounter, 0, 0xffffff);
  assertBytes('AID', aid);
  if (aid.length < 5 || aid.length > 16) throw new RangeError(`AID: expected 5 to 16 bytes, got ${aid.length}`);
  return scp03Kdf(kEnc, SCP03_DERIVATION.CARD_CHALLENGE, concatBytes(uintToBytes(sequenceCounter, 3), aid), length * 8);
}

/** The fields of an INITIALIZE UPDATE response (Amendment D §7.1.1.6, Table 7-3). */
export interface InitializeUpdateResponse {
  keyDiversificationData: Uint8Array;
  keyVersion: number;
  scpIdentifier: number;
  iParameter: number;
  cardChallenge: Uint8Array;
  cardCryptogram: Uint8Array;
  /** Present when the card challenge is pseudo-random. */
  sequenceCounter?: number;
}

/**
 * Splits the data of an INITIALIZE UPDATE response.
 * @throws {ApduFormatError} when its length fits no S8/S16 layout.
 */
export function parseInitializeUpdateResponse(data: Uint8Array): InitializeUpdateResponse {
  assertBytes('INITIALIZE UPDATE response', data);
  const layouts: Record<number, [number, boolean]> = { 29: [8, false], 32: [8, true], 45: [16, false], 48: [16, true] };
  const layout = layouts[data.length];
  if (!layout) throw new ApduFormatError(`INITIALIZE UPDATE response: expected 29, 32, 45 or 48 bytes, got ${data.length}`);
  const [n, hasCounter] = layout;
  const out: InitializeUpdateResponse = {
    keyDiversificationData: data.slice(0, 10),
    keyVersion: data[10] ?? 0,
    scpIdentifier: data[11] ?? 0,
    iParameter: data[12] ?? 0,
    cardChallenge: data.slice(13, 13 + n),
    cardCryptogram: data.slice(13 + n, 13 + 2 * n),
  };
  if (hasCounter) out.sequenceCounter = bytesToUint(data.slice(13 + 2 * n));
  return out;
}

/** Whether a card with this i parameter can run a session at `level`. */
function levelSupported(level: SecurityLevel, iParameter: number): boolean {
  if ((level & 0x10) !== 0 && (iParameter & SCP03_I.R_MAC) === 0) return false;
  if ((level & 0x20) !== 0 && (iParameter & SCP03_I.R_ENC) === 0) return false;
  return true;
}

/** EXTERNAL AUTHENTICATE's C-MAC: chaining value zero, data not encrypted (Amendment D §7.1.2). */
function externalAuthenticateMac(sMac: Uint8Array, cla: number, level: number, hostCryptogram: Uint8Array): Uint8Array {
  const header = Uint8Array.of((cla & 0xf0) | 0x04, INS_EXTERNAL_AUTHENTICATE, level, 0x00, hostCryptogram.length * 2);
  return aesCmac(sMac, concatBytes(new Uint8Array(16), header, hostCryptogram));
}

/* ------------------------------------------------------------------------------------------------
 * Host side
 * ---------------------------------------------------------------------------------------------- */

/** Options for {@link scp03HostInitializeUpdate}. */
export interface Scp03HostOptions {
  keys: Scp03StaticKeys;
  /** Key version number P1 (0 = the first available key set). */
  keyVersion: number;
  securityLevel: SecurityLevel;
  /** S8 (default) or S16 mode. */
  macLength?: 8 | 16;
  /** Logical channel 0..3 (default 0). */
  channel?: number;
  /** Source of the host challenge. */
  random: RandomSource;
}

/** The host's handshake state between its two commands. JSON-serialisable. */
export interface Scp03HostHandshake {
  readonly kind: 'scp03-host-handshake';
  readonly version: 1;
  readonly phase: 'initialize-update-sent' | 'external-authenticate-sent';
  readonly keyVersion: number;
  readonly securityLevel: SecurityLevel;
  readonly macLength: 8 | 16;
  readonly channel: number;
  readonly hostChallenge: string;
  /** Static keys (hex) — kept until the session keys are derived, then dropped. */
  readonly staticKeys: { readonly enc: string; readonly mac: string; readonly dek: string } | null;
  /** The session, once the card cryptogram checked out. */
  readonly session: Scp03Session | null;
}

/**
 * Host, step 1: draws a host challenge and builds INITIALIZE UPDATE.
 * @returns the handshake state and the command bytes.
 * @throws {TypeError|RangeError} for bad keys, level, key version or random source.
 */
export function scp03HostInitializeUpdate(options: Scp03HostOptions): Transition<Scp03HostHandshake, Uint8Array> {
  assertStaticKeys(options.keys);
  assertInteger('key version', options.keyVersion, 0, 0x7f);
  if (!isSecurityLevel(options.securityLevel)) throw new RangeError(`security level: expected 01, 03, 11, 13 or 33, got ${String(options.securityLevel)}`);
  const macLength = options.macLength ?? 8;
  if (macLength !== 8 && macLength !== 16) throw new RangeError(`MAC length: expected 8 or 16, got ${String(macLength)}`);
  const channel = options.channel ?? 0;
  assertInteger('logical channel', channel, 0, 3);
  const hostChallenge = options.random(macLength);
  assertBytes('host challenge', hostChallenge, macLength);
  const command = encodeCommandApdu({ cla: 0x80 | channel, ins: INS_INITIALIZE_UPDATE, p1: options.keyVersion, p2: 0x00, data: hostChallenge, ne: 256 });
  return {
    state: {
      kind: 'scp03-host-handshake',
      version: 1,
      phase: 'initialize-update-sent',
      keyVersion: options.keyVersion,
      securityLevel: options.securityLevel,
      macLength,
      channel,
      hostChallenge: bytesToHex(hostChallenge),
      staticKeys: { enc: bytesToHex(options.keys.enc), mac: bytesToHex(options.keys.mac), dek: bytesToHex(options.keys.dek) },
      session: null,
    },
    output: command,
  };
}

/**
 * Host, step 2: checks the INITIALIZE UPDATE response (key version, SCP 03, i parameter, card
 * cryptogram), derives the session keys and builds EXTERNAL AUTHENTICATE with its C-MAC.
 * @throws {ApduError} carrying the card's status word when it is not 9000.
 * @throws {ApduFormatError|ScpProtocolError} for a malformed response, another SCP, key version or
 *   an i parameter that cannot carry the requested level.
 * @throws {ScpAuthenticationError} (6982) when the card cryptogram is wrong (wrong keys or an impostor).
 */
export function scp03HostExternalAuthenticate(handshake: Scp03HostHandshake, response: Uint8Array): Transition<Scp03HostHandshake, Uint8Array> {
  if (handshake?.kind !== 'scp03-host-handshake' || handshake.phase !== 'initialize-update-sent' || handshake.staticKeys === null) {
    throw new ScpProtocolError('CONDITIONS_NOT_SATISFIED', 'expected a handshake that has sent INITIALIZE UPDATE');
  }
  const parsed = parseResponseApdu(response);
  if (parsed.sw !== 0x9000) throw new ApduError(parsed.sw, `INITIALIZE UPDATE refused: ${parsed.sw.toString(16).toUpperCase()}`);
  const info = parseInitializeUpdateResponse(parsed.data);
  const L = handshake.macLength;
  if (info.scpIdentifier !== 0x03) throw new ScpProtocolError('WRONG_DATA', `card answered for SCP ${info.scpIdentifier.toString(16)}, expected 03`);
  if (info.cardChallenge.length !== L || ((info.iParameter & SCP03_I.S16) !== 0) !== (L === 16)) throw new ScpProtocolError('WRONG_DATA', `card is not in S${L} mode`);
  if (handshake.keyVersion !== 0 && info.keyVersion !== handshake.keyVersion) throw new ScpProtocolError('WRONG_DATA', `card used key version ${info.keyVersion}, expected ${handshake.keyVersion}`);
  if (((info.iParameter & SCP03_I.PSEUDO_RANDOM_CHALLENGE) !== 0) !== (info.sequenceCounter !== undefined)) throw new ScpProtocolError('WRONG_DATA', 'sequence counter presence does not match the i parameter');
  if (!levelSupported(handshake.securityLevel, info.iParameter)) throw new ScpProtocolError('WRONG_PARAMETERS', `card (i=${info.iParameter.toString(16)}) does not support security level ${handshake.securityLevel.toString(16)}`);
  const keys = { enc: hexToBytes(handshake.staticKeys.enc), mac: hexToBytes(handshake.staticKeys.mac), dek: hexToBytes(handshake.staticKeys.dek) };
  const hostChallenge = hexToBytes(handshake.hostChallenge);
  const sessionKeys = scp03DeriveSessionKeys(keys, hostChallenge, info.cardChallenge);
  try {
    const expected = scp03CardCryptogram(sessionKeys.sMac, hostChallenge, info.cardChallenge);
    if (!constantTimeEqual(expected, info.cardCryptogram)) throw new ScpAuthenticationError();
    const hostCryptogram = scp03HostCryptogram(sessionKeys.sMac, hostChallenge, info.cardChallenge);
    const cla = 0x80 | handshake.channel;
    const mac = externalAuthenticateMac(sessionKeys.sMac, cla, handshake.securityLevel, hostCryptogram);
    const command = encodeCommandApdu({ cla: cla | 0x04, ins: INS_EXTERNAL_AUTHENTICATE, p1: handshake.securityLevel, p2: 0x00, data: concatBytes(hostCryptogram, mac.subarray(0, L)) });
    const session = createScp03Session({
      role: 'host',
      origin: 'scp03',
      securityLevel: handshake.securityLevel,
      macLength: L,
      ...sessionKeys,
      sDek: keys.dek,
      // Amendment D §6.2.4: the EXTERNAL AUTHENTICATE C-MAC becomes the first chaining value.
      macChainingValue: mac,
    });
    return { state: { ...handshake, phase: 'external-authenticate-sent', staticKeys: null, session }, output: command };
  } finally {
    wipe(keys.enc);
    wipe(keys.mac);
    wipe(keys.dek);
    wipe(sessionKeys.sEnc);
    wipe(sessionKeys.sMac);
    wipe(sessionKeys.sRmac);
  }
}

/**
 * Host, step 3: the card accepted EXTERNAL AUTHENTICATE; returns the established session.
 * @throws {ApduError} carrying the card's status word when it is not 9000 (e.g. 6982: the card
 *   did not accept the host cryptogram).
 */
export function scp03HostComplete(handshake: Scp03HostHandshake, response: Uint8Array): Transition<Scp03Session, null> {
  if (handshake?.kind !== 'scp03-host-handshake' || handshake.phase !== 'external-authenticate-sent' || handshake.session === null) {
    throw new ScpProtocolError('CONDITIONS_NOT_SATISFIED', 'expected a handshake that has sent EXTERNAL AUTHENTICATE');
  }
  const parsed = parseResponseApdu(response);
  if (parsed.sw !== 0x9000 || parsed.data.length !== 0) throw new ApduError(parsed.sw, `EXTERNAL AUTHENTICATE refused: ${parsed.sw.toString(16).toUpperCase()}`);
  return { state: handshake.session, output: null };
}

/* ------------------------------------------------------------------------------------------------
 * Card side
 * ---------------------------------------------------------------------------------------------- */

/** A security domain's SCP03 key set as the card holds it. */
export interface Scp03CardKeyset {
  keyVersion: number;
  keys: Scp03StaticKeys;
  /** 10 bytes returned in INITIALIZE UPDATE (e.g. a serial the host uses to diversify keys). */
  keyDiversificationData: Uint8Array;
  /** The i parameter (Amendment D Table 5-1), e.g. 0x70: pseudo-random challenge, R-MAC and R-ENC. */
  iParameter: number;
}

/** Options for {@link scp03CardInitializeUpdate}. */
export interface Scp03CardInitializeUpdateOptions {
  keyset: Scp03CardKeyset;
  /** For a pseudo-random challenge: the key set's current sequence counter (persist `nextSequenceCounter`). */
  sequenceCounter?: number;
  /** For a pseudo-random challenge: the AID of the security domain. */
  aid?: Uint8Array;
  /** For a random challenge. */
  random?: RandomSource;
}

/** The card's handshake state between INITIALIZE UPDATE and EXTERNAL AUTHENTICATE. JSON-serialisable. */
export interface Scp03CardHandshake {
  readonly kind: 'scp03-card-handshake';
  readonly version: 1;
  readonly iParameter: number;
  readonly macLength: 8 | 16;
  readonly hostChallenge: string;
  readonly cardChallenge: string;
  readonly keys: { readonly sEnc: string; readonly sMac: string; readonly sRmac: string; readonly dek: string };
}

function parseCommandOrThrow(bytes: Uint8Array): CommandApdu {
  assertBytes('command', bytes);
  return parseCommandApdu(bytes);
}

/**
 * Card, step 1: answers INITIALIZE UPDATE with key information, card challenge and card cryptogram.
 * @returns the handshake state, the response bytes and, for a pseudo-random challenge, the sequence
 *   counter to persist before sending the response (so a challenge is never repeated).
 * @throws {ApduFormatError} (6700) for a malformed command or wrong challenge length.
 * @throws {ScpProtocolError} 6D00 for another instruction, 6A88 for an unknown key version, 6A86 for P2 ≠ 00,
 *   6985 when the sequence counter is exhausted.
 */
export function scp03CardInitializeUpdate(
  options: Scp03CardInitializeUpdateOptions,
  command: Uint8Array,
): Transition<Scp03CardHandshake, { response: Uint8Array; nextSequenceCounter: number | null }> {
  const { keyset } = options;
  assertStaticKeys(keyset.keys);
  assertInteger('key version', keyset.keyVersion, 1, 0x7f);
  assertBytes('key diversification data', keyset.keyDiversificationData, 10);
  assertInteger('i parameter', keyset.iParameter, 0, 0xff);
  const apdu = parseCommandOrThrow(command);
  if (apdu.ins !== INS_INITIALIZE_UPDATE || (apdu.cla & 0xfc) !== 0x80) throw new ScpProtocolError('INS_NOT_SUPPORTED', 'expected INITIALIZE UPDATE (80 50)');
  if (apdu.p1 !== 0 && apdu.p1 !== keyset.keyVersion) throw new ScpProtocolError('REFERENCED_DATA_NOT_FOUND', `no key set with version ${apdu.p1}`);
  if (apdu.p2 !== 0) throw new ScpProtocolError('WRONG_PARAMETERS', 'P2 of INITIALIZE UPDATE must be 00');
  const macLength = (keyset.iParameter & SCP03_I.S16) !== 0 ? 16 : 8;
  if (apdu.data.length !== macLength) throw new ApduFormatError(`host challenge: expected ${macLength} bytes, got ${apdu.data.length}`);
  const hostChallenge = apdu.data;
  let cardChallenge: Uint8Array;
  let counterBytes: Uint8Array = new Uint8Array(0);
  let nextSequenceCounter: number | null = null;
  if ((keyset.iParameter & SCP03_I.PSEUDO_RANDOM_CHALLENGE) !== 0) {
    const counter = options.sequenceCounter;
    assertInteger('sequence counter', counter, 0, 0xffffff);
    if (counter === 0xffffff) throw new ScpProtocolError('CONDITIONS_NOT_SATISFIED', 'sequence counter exhausted: replace the key set');
    assertBytes('AID', options.aid);
    cardChallenge = scp03PseudoRandomCardChallenge(keyset.keys.enc, counter, options.aid, macLength);
    counterBytes = uintToBytes(counter, 3);
    nextSequenceCounter = counter + 1;
  } else {
    if (typeof options.random !== 'function') throw new TypeError('random: a random source is needed for a random card challenge');
    cardChallenge = options.random(macLength);
    assertBytes('card challenge', cardChallenge, macLength);
  }
  const sessionKeys = scp03DeriveSessionKeys(keyset.keys, hostChallenge, cardChallenge);
  try {
    const cryptogram = scp03CardCryptogram(sessionKeys.sMac, hostChallenge, cardChallenge);
    const data = concatBytes(keyset.keyDiversificationData, Uint8Array.of(keyset.keyVersion, 0x03, keyset.iParameter), cardChallenge, cryptogram, counterBytes);
    return {
      state: {
        kind: 'scp03-card-handshake',
        version: 1,
        iParameter: keyset.iParameter,
        macLength,
        hostChallenge: bytesToHex(hostChallenge),
        cardChallenge: bytesToHex(cardChallenge),
        keys: { sEnc: bytesToHex(sessionKeys.sEnc), sMac: bytesToHex(sessionKeys.sMac), sRmac: bytesToHex(sessionKeys.sRmac), dek: bytesToHex(keyset.keys.dek) },
      },
      output: { response: encodeResponseApdu({ data, sw: 0x9000 }), nextSequenceCounter },
    };
  } finally {
    wipe(sessionKeys.sEnc);
    wipe(sessionKeys.sMac);
    wipe(sessionKeys.sRmac);
  }
}

/**
 * Card, step 2: verifies EXTERNAL AUTHENTICATE (C-MAC, then host cryptogram) and opens the session
 * at the level the host asked for.
 * @returns the card's session and the response (9000).
 * @throws {ScpAuthenticationError} (6982) for a wrong MAC or host cryptogram.
 * @throws {ApduFormatError|ScpProtocolError} for a malformed command, another instruction or a
 *   level the key set cannot provide (6A86).
 */
export function scp03CardExternalAuthenticate(handshake: Scp03CardHandshake, command: Uint8Array): Transition<Scp03Session, Uint8Array> {
  if (handshake?.kind !== 'scp03-card-handshake') throw new ScpProtocolError('CONDITIONS_NOT_SATISFIED', 'expected a card handshake after INITIALIZE UPDATE');
  const apdu = parseCommandOrThrow(command);
  const L = handshake.macLength;
  if (apdu.ins !== INS_EXTERNAL_AUTHENTICATE || (apdu.cla & 0xfc) !== 0x84) throw new ScpProtocolError('INS_NOT_SUPPORTED', 'expected EXTERNAL AUTHENTICATE (84 82)');
  if (apdu.p2 !== 0) throw new ScpProtocolError('WRONG_PARAMETERS', 'P2 of EXTERNAL AUTHENTICATE must be 00');
  const level = apdu.p1;
  if (!isSecurityLevel(level) || !levelSupported(level, handshake.iParameter)) throw new ScpProtocolError('WRONG_PARAMETERS', `security level ${level.toString(16)} not supported`);
  if (apdu.data.length !== 2 * L) throw new ApduFormatError(`EXTERNAL AUTHENTICATE data: expected ${2 * L} bytes, got ${apdu.data.length}`);
  const sMac = hexToBytes(handshake.keys.sMac);
  const hostChallenge = hexToBytes(handshake.hostChallenge);
  const cardChallenge = hexToBytes(handshake.cardChallenge);
  try {
    const hostCryptogram = apdu.data.subarray(0, L);
    const mac = externalAuthenticateMac(sMac, apdu.cla, level, hostCryptogram);
    // Verify the MAC first, then the cryptogram; either failing gives the same error.
    if (!constantTimeEqual(mac.subarray(0, L), apdu.data.subarray(L))) throw new ScpAuthenticationError();
    if (!constantTimeEqual(scp03HostCryptogram(sMac, hostChallenge, cardChallenge), hostCryptogram)) throw new ScpAuthenticationError();
    const session = createScp03Session({
      role: 'card',
      origin: 'scp03',
      securityLevel: level,
      macLength: L,
      sEnc: hexToBytes(handshake.keys.sEnc),
      sMac,
      sRmac: hexToBytes(handshake.keys.sRmac),
      sDek: hexToBytes(handshake.keys.dek),
      macChainingValue: mac,
    });
    return { state: session, output: encodeResponseApdu({ data: new Uint8Array(0), sw: 0x9000 }) };
  } finally {
    wipe(sMac);
  }
}
