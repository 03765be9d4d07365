/**
 * Byte helpers shared by the card side and the host side: hex, concatenation, constant-time
 * comparison and big-endian integers. Pure, browser-safe.
 */

/** Concatenates byte arrays into a new array. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Lower-case hex of every byte value (formatting is a table look-up, not a number conversion). */
const HEX_OF_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Value of a hex digit's character code, or -1. */
function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  return -1;
}

/**
 * Parses a hex string (whitespace ignored, either case).
 * @throws {TypeError} when the string has a non-hex character or an odd number of digits.
 */
export function hexToBytes(hex: string): Uint8Array {
  if (typeof hex !== 'string') throw new TypeError(`hex: expected a string, got ${typeof hex}`);
  const clean = /\s/.test(hex) ? hex.replace(/\s+/g, '') : hex;
  if (clean.length % 2 !== 0) throw new TypeError(`hex: expected an even number of digits, got ${clean.length}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) {
    const high = nibble(clean.charCodeAt(2 * i));
    const low = nibble(clean.charCodeAt(2 * i + 1));
    if (high < 0 || low < 0) throw new TypeError('hex: expected only the digits 0-9 and a-f');
    out[i] = (high << 4) | low;
  }
  return out;
}

/** Formats bytes as lower-case hex. */
export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX_OF_BYTE[bytes[i] ?? 0];
  return out;
}

/**
 * Compares two byte arrays in time that depends only on their lengths.
 * Returns false for different lengths.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** Big-endian encoding of a non-negative integer into `length` bytes. */
export function uintToBytes(value: number, length: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`integer: expected a non-negative safe integer, got ${value}`);
  if (length < 8 && value >= 2 ** (8 * length)) throw new RangeError(`integer: ${value} does not fit in ${length} bytes`);
  const out = new Uint8Array(length);
  let rest = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return out;
}

/** Reads a big-endian unsigned integer (at most 6 bytes, so it stays a safe integer). */
export function bytesToUint(bytes: Uint8Array): number {
  if (bytes.length > 6) throw new RangeError(`integer: at most 6 bytes, got ${bytes.length}`);
  let value = 0;
  for (const byte of bytes) value = value * 256 + byte;
  return value;
}

/** UTF-8 encoding of a string. */
export function utf8ToBytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Strict UTF-8 decoding; invalid sequences throw. */
export function bytesToUtf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** Overwrites a temporary secret with zeros. */
export function wipe(bytes: Uint8Array): void {
  bytes.fill(0);
}

/** Base64url without padding (RFC 4648 §5), for carrying bytes in JSON. */
export function bytesToBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Parses base64url (padding optional).
 * @throws {TypeError} on characters outside the alphabet.
 */
export function base64UrlToBytes(text: string): Uint8Array {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*={0,2}$/.test(text)) throw new TypeError('base64url: expected only A-Z a-z 0-9 - _');
  const normal = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  if (normal.length % 4 === 1) throw new TypeError('base64url: impossible length');
  const binary = atob(normal + '='.repeat((4 - (normal.length % 4)) % 4));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** A fresh copy backed by its own ArrayBuffer (what database drivers and WebCrypto expect). */
export function copyBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}
