import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from './bytes';
import { TlvError } from './errors';
import { encodeLength, encodeTag, encodeTlv, findTlv, parseTlv, parseTlvs, readTlv, requireTlv } from './tlv';

const h = hexToBytes;

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TlvError);
    expect((error as TlvError).statusWord).toBe(0x6a80);
    return (error as TlvError).reason;
  }
  throw new Error('expected a TlvError');
}

describe('BER-TLV (ISO/IEC 7816-4 §5.2)', () => {
  it('encodes one-, two- and three-byte tags and every length form', () => {
    expect(bytesToHex(encodeTlv(0x86, h('0102')))).toBe('86020102');
    expect(bytesToHex(encodeTlv(0x5f49, new Uint8Array(65)).subarray(0, 3))).toBe('5f4941');
    expect(bytesToHex(encodeTlv(0xbf21, new Uint8Array(0x80)).subarray(0, 4))).toBe('bf218180');
    expect(bytesToHex(encodeTlv(0x9f8101, new Uint8Array(1)))).toBe('9f81010100');
    expect(bytesToHex(encodeLength(0x7f))).toBe('7f');
    expect(bytesToHex(encodeLength(0x80))).toBe('8180');
    expect(bytesToHex(encodeLength(0x100))).toBe('820100');
    expect(bytesToHex(encodeLength(0x10000))).toBe('83010000');
  });

  it('parses what it encodes, constructed objects into children, and keeps the raw bytes', () => {
    const inner = [encodeTlv(0x90, h('1101')), encodeTlv(0x95, h('3c'))];
    const bytes = encodeTlv(0xa6, inner);
    const tlv = parseTlv(bytes);
    expect(tlv.tag).toBe(0xa6);
    expect(tlv.constructed).toBe(true);
    expect(tlv.children?.map((c) => c.tag)).toEqual([0x90, 0x95]);
    expect(bytesToHex(tlv.raw)).toBe(bytesToHex(bytes));
    const list = parseTlvs(new Uint8Array([...bytes, ...encodeTlv(0x5f49, h('04'))]));
    expect(findTlv(list, 0x5f49)?.value).toEqual(h('04'));
    expect(requireTlv(list, 0xa6).children?.[1]?.value).toEqual(h('3c'));
    expect(parseTlv(bytes, { recursive: false }).children).toBeUndefined();
    expect(readTlv(new Uint8Array([...bytes, 0x01]), 0).next).toBe(bytes.length);
  });

  it('round-trips long values (3-byte lengths)', () => {
    const value = new Uint8Array(70000).fill(7);
    expect(parseTlv(encodeTlv(0x53, value)).value.length).toBe(70000);
  });

  it('refuses truncated tags, lengths and values', () => {
    expect(reason(() => parseTlv(h('5f')))).toBe('truncated');
    expect(reason(() => parseTlv(h('86')))).toBe('truncated');
    expect(reason(() => parseTlv(h('8682')))).toBe('truncated');
    expect(reason(() => parseTlv(h('860301')))).toBe('truncated');
    expect(reason(() => parseTlv(h('a603860201')))).toBe('truncated');
  });

  it('refuses the indefinite form and length fields over three bytes', () => {
    expect(reason(() => parseTlv(h('a6800000')))).toBe('indefinite-length');
    expect(reason(() => parseTlv(h('86840000000100')))).toBe('length-too-large');
  });

  it('refuses non-minimal lengths and tags, invalid tag bytes, deep nesting and trailing bytes', () => {
    expect(reason(() => parseTlv(h('86810101')))).toBe('non-minimal');
    expect(reason(() => parseTlv(h('8682000101')))).toBe('non-minimal');
    expect(reason(() => parseTlv(h('1f0500')))).toBe('non-minimal');
    expect(reason(() => parseTlv(h('1f800100')))).toBe('non-minimal');
    expect(reason(() => parseTlv(h('0000')))).toBe('bad-tag');
    expect(reason(() => parseTlv(h('ff00')))).toBe('bad-tag');
    expect(reason(() => parseTlv(h('1f81818100')))).toBe('bad-tag');
    let nested = encodeTlv(0x80, h('00'));
    for (let i = 0; i < 10; i++) nested = encodeTlv(0xa0, nested);
    expect(reason(() => parseTlv(nested))).toBe('too-deep');
    expect(parseTlv(nested, { maxDepth: 12 }).tag).toBe(0xa0);
    expect(reason(() => parseTlv(h('860100ff')))).toBe('trailing-bytes');
    expect(reason(() => requireTlv([], 0x86))).toBe('bad-tag');
  });

  it('refuses invalid tags and non-bytes at the encoder', () => {
    expect(() => encodeTag(0)).toThrow(RangeError);
    expect(() => encodeTag(0x1f05)).toThrow(TlvError);
    expect(() => encodeTlv(0x86, 'x' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => parseTlvs([1, 2] as unknown as Uint8Array)).toThrow(TypeError);
  });
});
