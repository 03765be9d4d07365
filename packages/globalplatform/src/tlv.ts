/**
 * BER-TLV codec as ISO/IEC 7816-4 §5.2 uses it (tags and lengths encoded per ITU-T X.690 §8.1.2 and
 * §8.1.3): tags of one to three bytes, definite lengths in short form or long form (up to three
 * length bytes), constructed data objects parsed recursively. Strict on input: truncated values,
 * the indefinite form (0x80), length fields longer than three bytes, non-minimal tag or length
 * encodings, the invalid first tag bytes 00 and FF, and trailing bytes all throw {@link TlvError}.
 * A strict parser makes the encoding canonical, so `encode(parse(x))` is `x` byte for byte — which
 * matters because receipts and signatures are computed over the raw TLV bytes.
 */
import { assertBytes, assertInteger } from './assert';
import { concatBytes } from './bytes';
import { TlvError } from './errors';

/** One parsed data object. Tags are numbers built from their bytes: `0x5F49`, `0x7F21`, `0xBF21`. */
export interface Tlv {
  /** Tag value, its bytes read big-endian (one to three bytes). */
  tag: number;
  /** Bit 6 of the first tag byte: the value is itself a sequence of data objects. */
  constructed: boolean;
  /** The value field (for a constructed object, the encoded children). */
  value: Uint8Array;
  /** Children of a constructed object, when parsed with `recursive: true` (default). */
  children?: Tlv[];
  /** The complete encoding of this object (tag, length, value) as it appeared in the input. */
  raw: Uint8Array;
}

/** Options for {@link parseTlvs}. */
export interface ParseTlvOptions {
  /** Parse the value of constructed objects into `children` (default true). */
  recursive?: boolean;
  /** Maximum nesting depth (default 8); deeper input throws instead of exhausting the stack. */
  maxDepth?: number;
}

const MAX_LENGTH = 0xffffff;

/** Number of bytes a tag value occupies when encoded (1..3). */
function tagByteLength(tag: number): number {
  return tag > 0xffff ? 3 : tag > 0xff ? 2 : 1;
}

/**
 * Encodes a tag number as bytes, checking it is a valid BER tag (X.690 §8.1.2).
 * @throws {RangeError} for a tag that is not a valid one- to three-byte BER tag.
 */
export function encodeTag(tag: number): Uint8Array {
  assertInteger('tag', tag, 1, 0xffffff);
  const length = tagByteLength(tag);
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (tag >> (8 * (length - 1 - i))) & 0xff;
  // Validate by parsing: the encoder must never produce what the parser refuses.
  const parsed = readTag(bytes, 0);
  if (parsed.next !== length) throw new RangeError(`tag: ${tag.toString(16)} is not a valid BER tag`);
  return bytes;
}

/** Encodes a definite length in the shortest form (X.690 §8.1.3.4 / §8.1.3.5). */
export function encodeLength(length: number): Uint8Array {
  assertInteger('TLV length', length, 0, MAX_LENGTH);
  if (length < 0x80) return Uint8Array.of(length);
  if (length <= 0xff) return Uint8Array.of(0x81, length);
  if (length <= 0xffff) return Uint8Array.of(0x82, length >> 8, length & 0xff);
  return Uint8Array.of(0x83, length >> 16, (length >> 8) & 0xff, length & 0xff);
}

/**
 * Encodes one data object.
 * @param tag - tag number, e.g. `0x5F49`.
 * @param value - the value bytes, or a list of already encoded children for a constructed object.
 * @throws {TypeError|RangeError} for an invalid tag or a value longer than 16 MiB.
 */
export function encodeTlv(tag: number, value: Uint8Array | readonly Uint8Array[]): Uint8Array {
  if (!(value instanceof Uint8Array) && !Array.isArray(value)) throw new TypeError(`TLV value: expected Uint8Array or an array of them, got ${typeof value}`);
  if (Array.isArray(value)) value.forEach((part: unknown, i: number) => assertBytes(`TLV value part ${i}`, part));
  const body = value instanceof Uint8Array ? value : concatBytes(...value);
  return concatBytes(encodeTag(tag), encodeLength(body.length), body);
}

function readTag(bytes: Uint8Array, offset: number): { tag: number; constructed: boolean; next: number } {
  const first = bytes[offset];
  if (first === undefined) throw new TlvError('truncated', `tag expected at offset ${offset}, input ended`);
  // ISO/IEC 7816-4 §5.2.2.1: '00' and 'FF' are invalid first bytes of a tag.
  if (first === 0x00 || first === 0xff) throw new TlvError('bad-tag', `invalid tag byte ${first.toString(16).padStart(2, '0')} at offset ${offset}`);
  const constructed = (first & 0x20) !== 0;
  if ((first & 0x1f) !== 0x1f) return { tag: first, constructed, next: offset + 1 };
  let tag = first;
  let i = offset + 1;
  for (let count = 1; ; count++) {
    const byte = bytes[i];
    if (byte === undefined) throw new TlvError('truncated', `tag continues past the end of input at offset ${i}`);
    // ISO/IEC 7816-4 §5.2.2.1 (after X.690 §8.1.2.4.2 c): '00'..'1E' and '80' are invalid as the
    // second tag byte (numbers below 31 use the one-byte form; no leading zero bits).
    if (count === 1 && (byte === 0x80 || byte < 0x1f)) throw new TlvError('non-minimal', `non-minimal tag encoding at offset ${offset}`);
    if (count > 2) throw new TlvError('bad-tag', `tag longer than three bytes at offset ${offset}`);
    tag = tag * 256 + byte;
    i++;
    if ((byte & 0x80) === 0) break;
  }
  return { tag, constructed, next: i };
}

function readLength(bytes: Uint8Array, offset: number): { length: number; next: number } {
  const first = bytes[offset];
  if (first === undefined) throw new TlvError('truncated', `length expected at offset ${offset}, input ended`);
  if (first < 0x80) return { length: first, next: offset + 1 };
  if (first === 0x80) throw new TlvError('indefinite-length', `indefinite length at offset ${offset} is not allowed`);
  const count = first & 0x7f;
  if (count > 3) throw new TlvError('length-too-large', `length field of ${count} bytes at offset ${offset} (at most 3)`);
  if (offset + 1 + count > bytes.length) throw new TlvError('truncated', `length field at offset ${offset} runs past the end of input`);
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (bytes[offset + 1 + i] ?? 0);
  // X.690 §8.1.3.5 (DER rule kept here): the long form must use the fewest bytes.
  const minimum = count === 1 ? 0x80 : count === 2 ? 0x100 : 0x10000;
  if (length < minimum) throw new TlvError('non-minimal', `non-minimal length encoding at offset ${offset}`);
  return { length, next: offset + 1 + count };
}

/**
 * Reads one data object starting at `offset`.
 * @returns the object and the offset just after it.
 * @throws {TlvError} on any malformation.
 */
export function readTlv(bytes: Uint8Array, offset = 0, options: ParseTlvOptions = {}): { tlv: Tlv; next: number } {
  assertBytes('TLV input', bytes);
  return readTlvAt(bytes, offset, options.recursive ?? true, options.maxDepth ?? 8, 0);
}

function readTlvAt(bytes: Uint8Array, offset: number, recursive: boolean, maxDepth: number, depth: number): { tlv: Tlv; next: number } {
  const tag = readTag(bytes, offset);
  const length = readLength(bytes, tag.next);
  const end = length.next + length.length;
  if (end > bytes.length) {
    throw new TlvError('truncated', `value of tag ${tag.tag.toString(16).toUpperCase()} needs ${length.length} bytes, ${bytes.length - length.next} left`);
  }
  const value = bytes.slice(length.next, end);
  const tlv: Tlv = { tag: tag.tag, constructed: tag.constructed, value, raw: bytes.slice(offset, end) };
  if (recursive && tag.constructed) {
    if (depth + 1 > maxDepth) throw new TlvError('too-deep', `nesting deeper than ${maxDepth} levels`);
    tlv.children = parseSequence(value, recursive, maxDepth, depth + 1);
  }
  return { tlv, next: end };
}

function parseSequence(bytes: Uint8Array, recursive: boolean, maxDepth: number, depth: number): Tlv[] {
  const out: Tlv[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const { tlv, next } = readTlvAt(bytes, offset, recursive, maxDepth, depth);
    out.push(tlv);
    offset = next;
  }
  return out;
}

/**
 * Parses a sequence of data objects that must fill `bytes` exactly.
 * @throws {TlvError} on truncation, indefinite or oversized lengths, bad tags, excessive nesting.
 */
export function parseTlvs(bytes: Uint8Array, options: ParseTlvOptions = {}): Tlv[] {
  assertBytes('TLV input', bytes);
  const maxDepth = options.maxDepth ?? 8;
  assertInteger('maxDepth', maxDepth, 0, 64);
  return parseSequence(bytes, options.recursive ?? true, maxDepth, 0);
}

/**
 * Parses exactly one data object filling `bytes`.
 * @throws {TlvError} if the input is not exactly one well-formed object.
 */
export function parseTlv(bytes: Uint8Array, options: ParseTlvOptions = {}): Tlv {
  const { tlv, next } = readTlv(bytes, 0, options);
  if (next !== bytes.length) throw new TlvError('trailing-bytes', `${bytes.length - next} bytes after the data object`);
  return tlv;
}

/** The first object with `tag` in a list, or undefined. */
export function findTlv(list: readonly Tlv[], tag: number): Tlv | undefined {
  return list.find((item) => item.tag === tag);
}

/**
 * The first object with `tag`, which must be present.
 * @throws {TlvError} (reason `bad-tag`) naming the missing tag.
 */
export function requireTlv(list: readonly Tlv[], tag: number): Tlv {
  const found = findTlv(list, tag);
  if (!found) throw new TlvError('bad-tag', `required tag ${tag.toString(16).toUpperCase()} is missing`);
  return found;
}
