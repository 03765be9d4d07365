import { describe, expect, it } from 'vitest';
import { apduCase, encodeCommandApdu, encodeResponseApdu, expectStatus, parseCommandApdu, parseResponseApdu } from './apdu';
import { bytesToHex, hexToBytes } from './bytes';
import { ApduError, ApduFormatError } from './errors';

const h = hexToBytes;
const base = { cla: 0x80, ins: 0xca, p1: 0x00, p2: 0x66 };

describe('command APDU (ISO/IEC 7816-4 §5.1)', () => {
  const cases: [string, Parameters<typeof encodeCommandApdu>[0], string][] = [
    ['case 1', { ...base, data: new Uint8Array(0) }, '80ca0066'],
    ['case 2S, Ne 256 as 00', { ...base, data: new Uint8Array(0), ne: 256 }, '80ca006600'],
    ['case 2S', { ...base, data: new Uint8Array(0), ne: 16 }, '80ca006610'],
    ['case 3S', { ...base, data: h('0102') }, '80ca0066020102'],
    ['case 4S', { ...base, data: h('0102'), ne: 256 }, '80ca006602010200'],
    ['case 2E, Ne 65536 as 0000', { ...base, data: new Uint8Array(0), ne: 65536 }, '80ca0066000000'],
    ['case 2E', { ...base, data: new Uint8Array(0), ne: 300 }, '80ca006600012c'],
    ['case 3E forced', { ...base, data: h('01'), extended: true }, '80ca006600000101'],
    ['case 4E', { ...base, data: h('01'), ne: 257, extended: true }, '80ca0066000001010101'],
  ];
  for (const [name, command, hex] of cases) {
    it(`${name} encodes to ${hex} and parses back`, () => {
      expect(bytesToHex(encodeCommandApdu(command))).toBe(hex);
      const parsed = parseCommandApdu(h(hex));
      expect(parsed.data).toEqual(command.data);
      expect(parsed.ne).toBe(command.ne);
      expect(bytesToHex(encodeCommandApdu(parsed))).toBe(hex);
    });
  }

  it('switches to extended length when data or Ne do not fit short', () => {
    const long = encodeCommandApdu({ ...base, data: new Uint8Array(300), ne: 256 });
    expect(long.length).toBe(4 + 3 + 300 + 2);
    expect(parseCommandApdu(long).extended).toBe(true);
    expect(apduCase({ ...base, data: new Uint8Array(1), ne: 1 })).toBe(4);
    expect(apduCase({ ...base, data: new Uint8Array(0) })).toBe(1);
  });

  it('refuses commands whose length fields disagree with their size, with status word 6700', () => {
    for (const bad of ['80ca00', '80ca00660201020304', '80ca00660201', '80ca00660000', '80ca0066000000ff', '80ca006600000001', 'ffca0066', '8060006600', '8090006600']) {
      try {
        parseCommandApdu(h(bad));
        throw new Error(`accepted ${bad}`);
      } catch (error) {
        expect(error).toBeInstanceOf(ApduFormatError);
        expect((error as ApduFormatError).statusWord).toBe(0x6700);
      }
    }
    expect(() => parseCommandApdu(new Uint8Array(4 + 3 + 65536 + 2))).toThrow(ApduFormatError);
  });

  it('checks fields at the encoder', () => {
    expect(() => encodeCommandApdu({ ...base, cla: 256, data: new Uint8Array(0) })).toThrow(RangeError);
    expect(() => encodeCommandApdu({ ...base, data: new Uint8Array(0), ne: 0 })).toThrow(RangeError);
    expect(() => encodeCommandApdu({ ...base, data: new Uint8Array(65536) })).toThrow(RangeError);
    expect(() => encodeCommandApdu({ ...base, data: 'x' as unknown as Uint8Array })).toThrow(TypeError);
  });
});

describe('response APDU', () => {
  it('splits data and status word, and encodes back', () => {
    const r = parseResponseApdu(h('01029000'));
    expect(r).toEqual({ data: h('0102'), sw: 0x9000 });
    expect(bytesToHex(encodeResponseApdu(r))).toBe('01029000');
    expect(expectStatus(r)).toEqual(h('0102'));
  });

  it('refuses a response without status word (6F00) and raises ApduError carrying the card status', () => {
    expect(() => parseResponseApdu(h('90'))).toThrow(ApduFormatError);
    try {
      expectStatus(parseResponseApdu(h('6a82')));
    } catch (error) {
      expect(error).toBeInstanceOf(ApduError);
      expect((error as ApduError).statusWord).toBe(0x6a82);
    }
    expect(() => encodeResponseApdu({ data: new Uint8Array(0), sw: 0x10000 })).toThrow(RangeError);
  });
});
