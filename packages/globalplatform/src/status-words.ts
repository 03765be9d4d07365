/**
 * Status words (SW1-SW2) with their meanings, per ISO/IEC 7816-4 §5.6 (Tables 5 and 6) and the
 * GlobalPlatform Card Specification v2.3.1 §11.1.3 (GP-specific values such as 6A88 and 6581).
 * Used by the trace views to decode responses and by the card side to answer commands.
 */
import { assertInteger } from './assert';

/** Whether a status word reports success, a warning (processing completed) or an error. */
export type StatusCategory = 'success' | 'warning' | 'error';

/** A decoded status word. */
export interface StatusWordInfo {
  /** The status word as a number, e.g. 0x9000. */
  sw: number;
  /** Upper-case four-digit hex, e.g. `6A82`. */
  hex: string;
  category: StatusCategory;
  /** A short name, e.g. `FILE_NOT_FOUND`. */
  name: string;
  /** What it means, in plain words. */
  meaning: string;
}

/** Exact status words. Values with a variable SW2 (61xx, 6Cxx, 63Cx) are handled in {@link describeStatusWord}. */
export const STATUS_WORDS: Readonly<Record<number, { name: string; meaning: string }>> = {
  0x9000: { name: 'SUCCESS', meaning: 'Normal processing: command completed' },
  0x6200: { name: 'WARNING_NO_INFORMATION', meaning: 'Warning: state of non-volatile memory unchanged, no information given' },
  0x6281: { name: 'WARNING_DATA_CORRUPTED', meaning: 'Warning: part of the returned data may be corrupted' },
  0x6282: { name: 'WARNING_END_OF_DATA', meaning: 'Warning: end of file or record reached before reading Ne bytes' },
  0x6283: { name: 'WARNING_SELECTED_FILE_INVALIDATED', meaning: 'Warning: selected file or application is locked (invalidated)' },
  0x6285: { name: 'WARNING_FILE_TERMINATED', meaning: 'Warning: selected file is in termination state' },
  0x6300: { name: 'WARNING_AUTHENTICATION_FAILED', meaning: 'Warning: no information given (authentication failed)' },
  0x6310: { name: 'WARNING_MORE_DATA', meaning: 'Warning: more data available (GET STATUS: send the command again with P2 "next")' },
  0x6400: { name: 'EXECUTION_ERROR', meaning: 'Execution error: state of non-volatile memory unchanged' },
  0x6500: { name: 'MEMORY_CHANGED', meaning: 'Execution error: state of non-volatile memory changed' },
  0x6581: { name: 'MEMORY_FAILURE', meaning: 'Execution error: memory failure' },
  0x6700: { name: 'WRONG_LENGTH', meaning: 'Checking error: wrong length (Lc or Le inconsistent)' },
  0x6881: { name: 'LOGICAL_CHANNEL_NOT_SUPPORTED', meaning: 'Checking error: logical channel not supported' },
  0x6882: { name: 'SECURE_MESSAGING_NOT_SUPPORTED', meaning: 'Checking error: secure messaging not supported' },
  0x6883: { name: 'LAST_COMMAND_OF_CHAIN_EXPECTED', meaning: 'Checking error: last command of the chain expected' },
  0x6884: { name: 'COMMAND_CHAINING_NOT_SUPPORTED', meaning: 'Checking error: command chaining not supported' },
  0x6982: { name: 'SECURITY_STATUS_NOT_SATISFIED', meaning: 'Command not allowed: security status not satisfied (authentication or secure messaging failed)' },
  0x6983: { name: 'AUTHENTICATION_METHOD_BLOCKED', meaning: 'Command not allowed: authentication method blocked' },
  0x6984: { name: 'REFERENCE_DATA_NOT_USABLE', meaning: 'Command not allowed: reference data not usable' },
  0x6985: { name: 'CONDITIONS_NOT_SATISFIED', meaning: 'Command not allowed: conditions of use not satisfied' },
  0x6986: { name: 'COMMAND_NOT_ALLOWED', meaning: 'Command not allowed: no current file or application' },
  0x6987: { name: 'SM_DATA_OBJECTS_MISSING', meaning: 'Command not allowed: expected secure messaging data objects missing' },
  0x6988: { name: 'SM_DATA_OBJECTS_INCORRECT', meaning: 'Command not allowed: incorrect secure messaging data objects' },
  0x6999: { name: 'APPLET_SELECT_FAILED', meaning: 'Command not allowed: applet selection failed' },
  0x6a80: { name: 'WRONG_DATA', meaning: 'Wrong parameters: incorrect values in the command data' },
  0x6a81: { name: 'FUNCTION_NOT_SUPPORTED', meaning: 'Wrong parameters: function not supported' },
  0x6a82: { name: 'FILE_NOT_FOUND', meaning: 'Wrong parameters: file or application not found' },
  0x6a84: { name: 'NOT_ENOUGH_MEMORY', meaning: 'Wrong parameters: not enough memory space' },
  0x6a86: { name: 'INCORRECT_P1_P2', meaning: 'Wrong parameters: incorrect P1 or P2' },
  0x6a88: { name: 'REFERENCED_DATA_NOT_FOUND', meaning: 'Wrong parameters: referenced data (key, data object) not found' },
  0x6b00: { name: 'WRONG_P1_P2', meaning: 'Checking error: wrong parameters P1-P2' },
  0x6d00: { name: 'INS_NOT_SUPPORTED', meaning: 'Checking error: instruction code not supported or invalid' },
  0x6e00: { name: 'CLA_NOT_SUPPORTED', meaning: 'Checking error: class not supported' },
  0x6f00: { name: 'NO_PRECISE_DIAGNOSIS', meaning: 'Checking error: no precise diagnosis' },
};

function toHex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

/** Classifies a status word: 9000 success, 61xx/62xx/63xx warnings (processing completed), the rest errors. */
export function statusCategory(sw: number): StatusCategory {
  assertInteger('status word', sw, 0, 0xffff);
  if (sw === 0x9000) return 'success';
  const sw1 = sw >> 8;
  // ISO/IEC 7816-4 §5.6: 61xx is normal processing with more bytes available; 62xx and 63xx are warnings.
  if (sw1 === 0x61 || sw1 === 0x62 || sw1 === 0x63) return 'warning';
  return 'error';
}

/**
 * Describes a status word in words.
 * @param sw - the status word, 0x0000..0xFFFF.
 * @returns name, meaning and category; unknown values are described by their SW1 group.
 * @throws {TypeError|RangeError} if `sw` is not an integer in 0..0xFFFF.
 */
export function describeStatusWord(sw: number): StatusWordInfo {
  assertInteger('status word', sw, 0, 0xffff);
  const hex = toHex(sw);
  const category = statusCategory(sw);
  const known = STATUS_WORDS[sw];
  if (known) return { sw, hex, category, ...known };
  const sw1 = sw >> 8;
  const sw2 = sw & 0xff;
  if (sw1 === 0x61) {
    return { sw, hex, category, name: 'MORE_DATA_AVAILABLE', meaning: `Normal processing: ${sw2 === 0 ? '256 or more' : sw2} response bytes still available (send GET RESPONSE)` };
  }
  if (sw1 === 0x6c) {
    return { sw, hex, category, name: 'WRONG_LE', meaning: `Checking error: wrong Le field; ${sw2 === 0 ? 256 : sw2} bytes available (repeat with this Le)` };
  }
  if (sw1 === 0x63 && (sw2 & 0xf0) === 0xc0) {
    return { sw, hex, category, name: 'WARNING_COUNTER', meaning: `Warning: counter value ${sw2 & 0x0f} (e.g. tries left)` };
  }
  const groups: Record<number, string> = {
    0x62: 'Warning: state of non-volatile memory unchanged',
    0x63: 'Warning: state of non-volatile memory changed',
    0x64: 'Execution error: state of non-volatile memory unchanged',
    0x65: 'Execution error: state of non-volatile memory changed',
    0x66: 'Execution error: security-related issue',
    0x67: 'Checking error: wrong length',
    0x68: 'Checking error: functions in CLA not supported',
    0x69: 'Checking error: command not allowed',
    0x6a: 'Checking error: wrong parameters P1-P2',
    0x6b: 'Checking error: wrong parameters P1-P2',
    0x6d: 'Checking error: instruction code not supported or invalid',
    0x6e: 'Checking error: class not supported',
    0x6f: 'Checking error: no precise diagnosis',
  };
  return { sw, hex, category, name: 'UNKNOWN', meaning: groups[sw1] ?? 'Unknown status word' };
}

/** True for status words after which GP secure messaging protects the response (9000, 62xx, 63xx; GP Amendment D §6.2.5). */
export function isSecuredStatus(sw: number): boolean {
  const sw1 = sw >> 8;
  return sw === 0x9000 || sw1 === 0x62 || sw1 === 0x63;
}
