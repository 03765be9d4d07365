/**
 * ISO/IEC 7816-4 §5.1 command and response APDUs. Commands of cases 1, 2, 3 and 4 in short and
 * extended length: encoded in the shortest form that fits (or extended on request) and parsed
 * strictly, so every byte string has at most one reading and a length field that disagrees with the
 * size of the command is refused with {@link ApduFormatError} (status word 6700).
 */
import { assertBytes, assertInteger } from './assert';
import { concatBytes, uintToBytes } from './bytes';
import { ApduError, ApduFormatError } from './errors';

/** Largest command data field (Nc) and expected response length (Ne) in extended length. */
export const MAX_EXTENDED_DATA = 65535;
/** Ne of 65536 is written as `0000` in an extended Le field. */
export const MAX_EXTENDED_NE = 65536;

/** A command APDU. `data` may be empty; `ne` (expected response length) absent means no Le field. */
export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** The command data field (Nc = data.length bytes). */
  data: Uint8Array;
  /** Ne, the maximum number of response bytes expected: 1..256 short, 1..65536 extended. Absent: no Le. */
  ne?: number;
  /** Force extended length encoding even when short would fit. Set by the parser when the input was extended. */
  extended?: boolean;
}

/** A response APDU: data field and the status word SW1-SW2. */
export interface ResponseApdu {
  data: Uint8Array;
  sw: number;
}

/** ISO/IEC 7816-3 §12.1 case of a command: 1 (no data, no Le) … 4 (data and Le). */
export type ApduCase = 1 | 2 | 3 | 4;

/** The case of a command: whether it has data and whether it has an Le field. */
export function apduCase(command: CommandApdu): ApduCase {
  const hasData = command.data.length > 0;
  const hasLe = command.ne !== undefined;
  if (!hasData && !hasLe) return 1;
  if (!hasData) return 2;
  return hasLe ? 4 : 3;
}

function checkCommand(command: CommandApdu): void {
  if (typeof command !== 'object' || command === null) throw new TypeError(`command APDU: expected an object, got ${command === null ? 'null' : typeof command}`);
  assertInteger('CLA', command.cla, 0, 0xff);
  assertInteger('INS', command.ins, 0, 0xff);
  assertInteger('P1', command.p1, 0, 0xff);
  assertInteger('P2', command.p2, 0, 0xff);
  assertBytes('command data', command.data);
  if (command.data.length > MAX_EXTENDED_DATA) throw new RangeError(`command data: expected at most ${MAX_EXTENDED_DATA} bytes, got ${command.data.length}`);
  if (command.ne !== undefined) assertInteger('Ne', command.ne, 1, MAX_EXTENDED_NE);
  // ISO/IEC 7816-4 §5.1: CLA 'FF' is invalid; INS '6X' and '9X' are status-word bytes.
  if (command.cla === 0xff) throw new RangeError('CLA: FF is invalid');
  if ((command.ins & 0xf0) === 0x60 || (command.ins & 0xf0) === 0x90) throw new RangeError(`INS: ${command.ins.toString(16)} is invalid (6X and 9X are reserved)`);
}

/** Whether this command needs the extended length encoding. */
export function needsExtendedLength(command: CommandApdu): boolean {
  return command.extended === true || command.data.length > 255 || (command.ne ?? 0) > 256;
}

/**
 * Encodes the Lc field for `length` data bytes (empty when there is no data).
 * Short: one byte 01..FF. Extended: 00 followed by two bytes (ISO/IEC 7816-4 §5.1).
 */
export function encodeLc(length: number, extended: boolean): Uint8Array {
  if (length === 0) return new Uint8Array(0);
  return extended ? concatBytes(Uint8Array.of(0), uintToBytes(length, 2)) : Uint8Array.of(length);
}

/**
 * Encodes a command APDU, short where everything fits and extended otherwise (or when `extended`).
 * @throws {TypeError|RangeError} for out-of-range fields, CLA FF or an INS of 6X/9X.
 */
export function encodeCommandApdu(command: CommandApdu): Uint8Array {
  checkCommand(command);
  const extended = needsExtendedLength(command);
  const header = Uint8Array.of(command.cla, command.ins, command.p1, command.p2);
  const lc = encodeLc(command.data.length, extended);
  let le: Uint8Array = new Uint8Array(0);
  if (command.ne !== undefined) {
    if (extended) {
      const value = command.ne === MAX_EXTENDED_NE ? 0 : command.ne;
      // Case 2E has no Lc, so its Le carries the leading 00 itself.
      le = command.data.length === 0 ? concatBytes(Uint8Array.of(0), uintToBytes(value, 2)) : uintToBytes(value, 2);
    } else {
      le = Uint8Array.of(command.ne === 256 ? 0 : command.ne);
    }
  }
  return concatBytes(header, lc, command.data, le);
}

/**
 * Parses a command APDU strictly (ISO/IEC 7816-4 §5.1 and ISO/IEC 7816-3 §12.1.3 case decoding).
 * @returns the command, with `extended` set when the input used extended length.
 * @throws {ApduFormatError} (status word 6700) when the length fields disagree with the size.
 */
export function parseCommandApdu(bytes: Uint8Array): CommandApdu {
  assertBytes('command APDU', bytes);
  const n = bytes.length;
  if (n < 4) throw new ApduFormatError(`command of ${n} bytes is shorter than its 4-byte header`);
  if (n > 4 + 3 + MAX_EXTENDED_DATA + 2) throw new ApduFormatError(`command of ${n} bytes is longer than any APDU`);
  const [cla = 0, ins = 0, p1 = 0, p2 = 0] = bytes;
  if (cla === 0xff) throw new ApduFormatError('CLA FF is invalid');
  if ((ins & 0xf0) === 0x60 || (ins & 0xf0) === 0x90) throw new ApduFormatError(`INS ${ins.toString(16).toUpperCase()} is invalid`);
  const base = { cla, ins, p1, p2 };
  if (n === 4) return { ...base, data: new Uint8Array(0) }; // case 1
  const b5 = bytes[4] ?? 0;
  if (n === 5) return { ...base, data: new Uint8Array(0), ne: b5 === 0 ? 256 : b5 }; // case 2S
  if (b5 !== 0) {
    // Short Lc: case 3S (no Le) or 4S (one Le byte).
    if (n === 5 + b5) return { ...base, data: bytes.slice(5) };
    if (n === 6 + b5) {
      const le = bytes[n - 1] ?? 0;
      return { ...base, data: bytes.slice(5, n - 1), ne: le === 0 ? 256 : le };
    }
    throw new ApduFormatError(`short Lc says ${b5} data bytes but the command has ${n - 5} bytes after the header`);
  }
  // b5 = 00 and more than five bytes: extended length.
  if (n < 7) throw new ApduFormatError(`extended length needs at least 7 bytes, got ${n}`);
  const ext = ((bytes[5] ?? 0) << 8) | (bytes[6] ?? 0);
  if (n === 7) return { ...base, data: new Uint8Array(0), ne: ext === 0 ? MAX_EXTENDED_NE : ext, extended: true }; // case 2E
  if (ext === 0) throw new ApduFormatError('extended Lc of 0000 is invalid');
  if (n === 7 + ext) return { ...base, data: bytes.slice(7), extended: true }; // case 3E
  if (n === 9 + ext) {
    const le = ((bytes[n - 2] ?? 0) << 8) | (bytes[n - 1] ?? 0);
    return { ...base, data: bytes.slice(7, n - 2), ne: le === 0 ? MAX_EXTENDED_NE : le, extended: true }; // case 4E
  }
  throw new ApduFormatError(`extended Lc says ${ext} data bytes but the command has ${n - 7} bytes after Lc`);
}

/**
 * Encodes a response APDU: data followed by SW1 SW2.
 * @throws {TypeError|RangeError} for a status word outside 0..FFFF or data over 65536 bytes.
 */
export function encodeResponseApdu(response: ResponseApdu): Uint8Array {
  assertBytes('response data', response.data);
  assertInteger('status word', response.sw, 0, 0xffff);
  if (response.data.length > MAX_EXTENDED_NE) throw new RangeError(`response data: expected at most ${MAX_EXTENDED_NE} bytes, got ${response.data.length}`);
  return concatBytes(response.data, Uint8Array.of(response.sw >> 8, response.sw & 0xff));
}

/**
 * Parses a response APDU.
 * @throws {ApduFormatError} (status word 6F00) for fewer than two bytes or more than 65538.
 */
export function parseResponseApdu(bytes: Uint8Array): ResponseApdu {
  assertBytes('response APDU', bytes);
  if (bytes.length < 2) throw new ApduFormatError(`response of ${bytes.length} bytes has no status word`, 'RESPONSE_MALFORMED');
  if (bytes.length > MAX_EXTENDED_NE + 2) throw new ApduFormatError(`response of ${bytes.length} bytes is longer than any APDU`, 'RESPONSE_MALFORMED');
  const n = bytes.length;
  return { data: bytes.slice(0, n - 2), sw: ((bytes[n - 2] ?? 0) << 8) | (bytes[n - 1] ?? 0) };
}

/**
 * Returns the data of a response that must have status word `expected` (default 9000).
 * @throws {ApduError} carrying the card's status word otherwise.
 */
export function expectStatus(response: ResponseApdu, expected = 0x9000): Uint8Array {
  if (response.sw !== expected) throw new ApduError(response.sw);
  return response.data;
}
