/**
 * SCP03 secure messaging (GP Card Specification v2.3 Amendment D §6.2.4–§6.2.7), both ends:
 * - host: wrap a command (C-MAC, C-DECRYPTION), unwrap its response (R-MAC, R-ENCRYPTION);
 * - card: unwrap a command, wrap its response.
 * Each function is a pure transition on a {@link Scp03Session}. Commands are encrypted first and
 * MACed over the ciphertext, so the receiver verifies the MAC before it decrypts anything; every
 * authentication failure is the one {@link ScpAuthenticationError} (6982) and leaves the input state
 * untouched. The MAC chaining value makes a replayed, reordered or dropped command fail
 * verification; the encryption counter only moves forward, so no ICV is ever reused.
 */
import { cbc, ecb } from '@noble/ciphers/aes.js';
import { type CommandApdu, encodeCommandApdu, encodeLc, encodeResponseApdu, parseCommandApdu, parseResponseApdu, type ResponseApdu } from './apdu';
import { assertBytes, assertInteger } from './assert';
import { aesCmac } from './aes-cmac';
import { bytesToHex, concatBytes, constantTimeEqual, hexToBytes, uintToBytes, wipe } from './bytes';
import { GlobalPlatformError, ScpAuthenticationError, ScpProtocolError } from './errors';
import { assertScp03Session, MAX_ENCRYPTION_COUNTER, type Scp03Session, type Transition } from './scp03-session';
import { isSecuredStatus } from './status-words';

const BLOCK = 16;
/** CLA bit 3 ('04'): GlobalPlatform proprietary secure messaging (GP Card Specification v2.3.1 §11.1.4). */
const CLA_SM = 0x04;

/**
 * ISO/IEC 9797-1 padding method 2 as GP uses it (Card Specification §B.2.3): append 80, then 00
 * up to a multiple of the block size. Always adds at least one byte.
 */
export function pad80(data: Uint8Array, blockSize = BLOCK): Uint8Array {
  assertBytes('data to pad', data);
  assertInteger('block size', blockSize, 1, 255);
  const out = new Uint8Array(data.length + blockSize - (data.length % blockSize));
  out.set(data);
  out[data.length] = 0x80;
  return out;
}

/**
 * Removes `80 00…` padding: the input must be whole blocks, ending in 80 followed only by 00 bytes.
 * The padding may be longer than one block — a published card transcript (Samsung OpenSCP-Java
 * SmartCardScp03Aes128S8ModeEmulation) pads an 11-byte response to 32 bytes — which is harmless
 * here because the R-MAC/C-MAC over the ciphertext is verified before anything is decrypted.
 * Returns undefined when the padding is wrong (the caller decides the error).
 */
export function unpad80(padded: Uint8Array, blockSize = BLOCK): Uint8Array | undefined {
  if (padded.length === 0 || padded.length % blockSize !== 0) return undefined;
  let i = padded.length - 1;
  while (i >= 0 && padded[i] === 0x00) i--;
  if (i < 0 || padded[i] !== 0x80) return undefined;
  return padded.slice(0, i);
}

/** The ICV: S-ENC applied to the counter as a 16-byte block; for responses its first byte is 80 (Amendment D §6.2.6, §6.2.7). */
function icv(sEnc: Uint8Array, counter: number, response: boolean): Uint8Array {
  const block = uintToBytes(counter, BLOCK);
  if (response) block[0] = 0x80;
  const out = ecb(sEnc, { disablePadding: true }).encrypt(block);
  wipe(block);
  return out;
}

function checkRole(session: Scp03Session, role: 'host' | 'card', operation: string): void {
  if (session.role !== role) throw new ScpProtocolError('CONDITIONS_NOT_SATISFIED', `${operation} is a ${role}-side operation, this session is the ${session.role}'s`);
}

/** CLA for the MAC computation: logical channel bits zeroed, b4 = 0, b3 = 1 (Amendment D §6.2.4). */
function macCla(cla: number): number {
  return (cla & 0xf0) | CLA_SM;
}

function checkClass(cla: number): void {
  // Only the first interindustry and proprietary classes (channels 0-3) carry GP secure messaging bits this way.
  if ((cla & 0x40) !== 0) throw new RangeError(`CLA: ${cla.toString(16)} is a further interindustry class, not supported for SCP03 wrapping`);
}

/**
 * Host side: protects a command for the card (C-MAC, and C-DECRYPTION at levels 03, 13, 33).
 * @param session - an established host session.
 * @param command - the plain command; its CLA must not already have the secure messaging bit.
 * @returns the next state and the wrapped command bytes to send.
 * @throws {ScpProtocolError} (6985) when the session is the card's or the counter is exhausted.
 * @throws {TypeError|RangeError} for a malformed command or session object.
 */
export function scp03WrapCommand(session: Scp03Session, command: CommandApdu): Transition<Scp03Session, Uint8Array> {
  assertScp03Session(session);
  checkRole(session, 'host', 'wrapping a command');
  encodeCommandApdu(command); // validates every field
  checkClass(command.cla);
  if ((command.cla & CLA_SM) !== 0) throw new RangeError('CLA: the secure messaging bit is already set; pass the plain command');
  const counter = session.encryptionCounter + 1;
  if (counter > MAX_ENCRYPTION_COUNTER) throw new ScpProtocolError('CONDITIONS_NOT_SATISFIED', 'encryption counter exhausted: open a new session');
  const sEnc = hexToBytes(session.keys.sEnc);
  const sMac = hexToBytes(session.keys.sMac);
  const chain = hexToBytes(session.macChainingValue);
  try {
    let data = command.data;
    // Amendment D §6.2.6: no encryption without a data field, but the counter still moves on.
    if ((session.securityLevel & 0x02) !== 0 && data.length > 0) {
      const padded = pad80(data);
      data = cbc(sEnc, icv(sEnc, counter, false), { disablePadding: true }).encrypt(padded);
      wipe(padded);
    }
    const wrappedLength = data.length + session.macLength;
    if (wrappedLength > 65535) throw new RangeError(`command data: ${command.data.length} bytes do not fit once padded and MACed`);
    const extended = command.extended === true || wrappedLength > 255 || (command.ne ?? 0) > 256;
    // Amendment D §6.2.4: C-MAC = CMAC(S-MAC, chaining value ‖ header ‖ Lc ‖ data), Lc counting the MAC.
    const header = Uint8Array.of(macCla(command.cla), command.ins, command.p1, command.p2);
    const mac = aesCmac(sMac, concatBytes(chain, header, encodeLc(wrappedLength, extended), data));
    const wrapped = encodeCommandApdu({
      cla: command.cla | CLA_SM,
      ins: command.ins,
      p1: command.p1,
      p2: command.p2,
      data: concatBytes(data, mac.subarray(0, session.macLength)),
      // Le is not MACed; ask for everything since the response grows by padding and R-MAC.
      ne: command.ne === undefined ? undefined : extended ? 65536 : 256,
      extended,
    });
    return {
      state: { ...session, macChainingValue: bytesToHex(mac), encryptionCounter: counter, awaitingResponse: true },
      output: wrapped,
    };
  } finally {
    wipe(sEnc);
    wipe(sMac);
  }
}

/**
 * Card side: verifies and opens a wrapped command (C-MAC first, then C-DECRYPTION).
 * @param session - an established card session.
 * @param bytes - the command as received.
 * @returns the next state and the plain command (secure messaging bit cleared).
 * @throws {ScpAuthenticationError} (6982) for any failure: malformed APDU, missing secure messaging,
 *   wrong MAC (including replayed or reordered commands), bad padding. The input state is unchanged.
 */
export function scp03UnwrapCommand(session: Scp03Session, bytes: Uint8Array): Transition<Scp03Session, CommandApdu> {
  assertScp03Session(session);
  checkRole(session, 'card', 'unwrapping a command');
  assertBytes('wrapped command', bytes);
  const counter = session.encryptionCounter + 1;
  if (counter > MAX_ENCRYPTION_COUNTER) throw new ScpProtocolError('CONDITIONS_NOT_SATISFIED', 'encryption counter exhausted: open a new session');
  let command: CommandApdu;
  try {
    command = parseCommandApdu(bytes);
  } catch (error) {
    if (error instanceof GlobalPlatformError) throw new ScpAuthenticationError();
    throw error;
  }
  const L = session.macLength;
  // b4 b3 = 01: GP proprietary secure messaging; ISO SM (b4 = 1) and further classes are refused.
  if ((command.cla & 0x0c) !== CLA_SM || (command.cla & 0x40) !== 0 || command.data.length < L) throw new ScpAuthenticationError();
  const sEnc = hexToBytes(session.keys.sEnc);
  const sMac = hexToBytes(session.keys.sMac);
  const chain = hexToBytes(session.macChainingValue);
  try {
    const body = command.data.subarray(0, command.data.length - L);
    const receivedMac = command.data.subarray(command.data.length - L);
    const header = Uint8Array.of(macCla(command.cla), command.ins, command.p1, command.p2);
    const mac = aesCmac(sMac, concatBytes(chain, header, encodeLc(command.data.length, command.extended === true), body));
    if (!constantTimeEqual(mac.subarray(0, L), receivedMac)) throw new ScpAuthenticationError();
    let data: Uint8Array = body.slice();
    if ((session.securityLevel & 0x02) !== 0 && body.length > 0) {
      if (body.length % BLOCK !== 0) throw new ScpAuthenticationError();
      const padded = cbc(sEnc, icv(sEnc, counter, false), { disablePadding: true }).decrypt(body);
      const plain = unpad80(padded);
      wipe(padded);
      if (plain === undefined) throw new ScpAuthenticationError();
      data = plain;
    }
    const plainCommand: CommandApdu = { cla: command.cla & ~CLA_SM, ins: command.ins, p1: command.p1, p2: command.p2, data };
    if (command.ne !== undefined) plainCommand.ne = command.ne;
    return {
      state: { ...session, macChainingValue: bytesToHex(mac), encryptionCounter: counter, awaitingResponse: true },
      output: plainCommand,
    };
  } finally {
    wipe(sEnc);
    wipe(sMac);
  }
}

/**
 * Card side: protects the response to the command just unwrapped (R-ENCRYPTION at level 33,
 * R-MAC at 11, 13, 33). Error status words (anything but 9000, 62xx, 63xx) are sent bare, without
 * data or R-MAC (Amendment D §6.2.5).
 * @throws {ScpProtocolError} (6985) when no command is awaiting a response.
 */
export function scp03WrapResponse(session: Scp03Session, response: ResponseApdu): Transition<Scp03Session, Uint8Array> {
  assertScp03Session(session);
  checkRole(session, 'card', 'wrapping a response');
  encodeResponseApdu(response); // validates
  if (!session.awaitingResponse) throw new ScpProtocolError('CONDITIONS_NOT_SATISFIED', 'no command is awaiting a response');
  const next: Scp03Session = { ...session, awaitingResponse: false };
  if (!isSecuredStatus(response.sw)) return { state: next, output: encodeResponseApdu({ data: new Uint8Array(0), sw: response.sw }) };
  const sEnc = hexToBytes(session.keys.sEnc);
  const sRmac = hexToBytes(session.keys.sRmac);
  const chain = hexToBytes(session.macChainingValue);
  try {
    let data = response.data;
    if ((session.securityLevel & 0x20) !== 0 && data.length > 0) {
      const padded = pad80(data);
      data = cbc(sEnc, icv(sEnc, session.encryptionCounter, true), { disablePadding: true }).encrypt(padded);
      wipe(padded);
    }
    if ((session.securityLevel & 0x10) !== 0) {
      const sw = Uint8Array.of(response.sw >> 8, response.sw & 0xff);
      // Amendment D §6.2.5: R-MAC = CMAC(S-RMAC, chaining value of the command ‖ data ‖ SW).
      const rmac = aesCmac(sRmac, concatBytes(chain, data, sw));
      data = concatBytes(data, rmac.subarray(0, session.macLength));
    }
    if (data.length > 65536) throw new RangeError('response data too long once padded and MACed');
    return { state: next, output: encodeResponseApdu({ data, sw: response.sw }) };
  } finally {
    wipe(sEnc);
    wipe(sRmac);
  }
}

/**
 * Host side: verifies and opens the response to the command just wrapped (R-MAC first, then
 * R-ENCRYPTION). Without R-MAC in the level, the response is returned as received.
 * @throws {ScpAuthenticationError} (6982) for any failure — wrong R-MAC, bad padding, a response
 *   when none is awaited (replay), data with an error status. The input state is unchanged.
 */
export function scp03UnwrapResponse(session: Scp03Session, bytes: Uint8Array): Transition<Scp03Session, ResponseApdu> {
  assertScp03Session(session);
  checkRole(session, 'host', 'unwrapping a response');
  assertBytes('wrapped response', bytes);
  if (!session.awaitingResponse) throw new ScpAuthenticationError();
  let response: ResponseApdu;
  try {
    response = parseResponseApdu(bytes);
  } catch (error) {
    if (error instanceof GlobalPlatformError) throw new ScpAuthenticationError();
    throw error;
  }
  const next: Scp03Session = { ...session, awaitingResponse: false };
  if (!isSecuredStatus(response.sw)) {
    if (response.data.length !== 0) throw new ScpAuthenticationError();
    return { state: next, output: response };
  }
  if ((session.securityLevel & 0x10) === 0) return { state: next, output: response };
  const L = session.macLength;
  if (response.data.length < L) throw new ScpAuthenticationError();
  const sEnc = hexToBytes(session.keys.sEnc);
  const sRmac = hexToBytes(session.keys.sRmac);
  const chain = hexToBytes(session.macChainingValue);
  try {
    const body = response.data.subarray(0, response.data.length - L);
    const receivedMac = response.data.subarray(response.data.length - L);
    const sw = Uint8Array.of(response.sw >> 8, response.sw & 0xff);
    const rmac = aesCmac(sRmac, concatBytes(chain, body, sw));
    if (!constantTimeEqual(rmac.subarray(0, L), receivedMac)) throw new ScpAuthenticationError();
    let data: Uint8Array = body.slice();
    if ((session.securityLevel & 0x20) !== 0 && body.length > 0) {
      if (body.length % BLOCK !== 0) throw new ScpAuthenticationError();
      const padded = cbc(sEnc, icv(sEnc, session.encryptionCounter, true), { disablePadding: true }).decrypt(body);
      const plain = unpad80(padded);
      wipe(padded);
      if (plain === undefined) throw new ScpAuthenticationError();
      data = plain;
    }
    return { state: next, output: { data, sw: response.sw } };
  } finally {
    wipe(sEnc);
    wipe(sRmac);
  }
}
