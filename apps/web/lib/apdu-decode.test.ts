// The inspector's APDU decoder: real commands and responses decode to named fields whose byte
// ranges point at exactly the bytes they describe; wrapped APDUs show encrypted data and MACs;
// garbage, truncated and oversized input never throws and never points outside the bytes.
import {
  bytesToHex,
  encodeCertificateStore,
  encodeCommandApdu,
  encodeResponseApdu,
  encodeTlv,
  generateKeyPair,
  hexToBytes,
  issueCertificate,
  utf8ToBytes,
} from '@hydra/globalplatform';
import { describe, expect, it } from 'vitest';
import { decodeCommand, decodeResponse, describeAid, flattenFields, insName, type ApduField, type DecodedApdu } from './apdu-decode';

const SUPPLIER_SD = 'f04859445201737570706c696572';

function find(decoded: DecodedApdu, label: string): ApduField {
  const found = flattenFields(decoded.root).find((f) => f.label === label);
  if (!found) throw new Error(`no field ${label}`);
  return found;
}

/** Every field lies inside its parent and inside the bytes. */
function assertRanges(decoded: DecodedApdu): void {
  const walk = (node: ApduField, parent: ApduField | null) => {
    expect(node.start).toBeGreaterThanOrEqual(parent?.start ?? 0);
    expect(node.end).toBeLessThanOrEqual(parent?.end ?? decoded.bytes.length);
    expect(node.start).toBeLessThanOrEqual(node.end);
    node.children.forEach((child) => walk(child, node));
  };
  walk(decoded.root, null);
}

/** A deterministic byte source for the fuzz loops (xorshift32). */
function prng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

describe('decodeCommand', () => {
  it('names the header fields of a plain SELECT and the AID it selects', () => {
    const bytes = encodeCommandApdu({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: hexToBytes(SUPPLIER_SD), ne: 256 });
    const decoded = decodeCommand(bytes, 'plain');
    expect(decoded.root.value).toBe('SELECT');
    expect(find(decoded, 'CLA')).toMatchObject({ value: '00', start: 0, end: 1, meaning: expect.stringMatching(/interindustry.*no secure messaging.*channel 0/) });
    expect(find(decoded, 'INS')).toMatchObject({ value: 'A4', meaning: 'SELECT' });
    expect(find(decoded, 'P1').meaning).toBe('select by DF name (AID)');
    expect(find(decoded, 'Lc')).toMatchObject({ value: '14', start: 4, end: 5 });
    expect(find(decoded, 'AID')).toMatchObject({ value: SUPPLIER_SD.toUpperCase(), meaning: 'supplier security domain', start: 5, end: 19 });
    expect(find(decoded, 'Le')).toMatchObject({ start: 19, end: 20 });
    assertRanges(decoded);
  });

  it('shows a wrapped COLLECT as CLA 84 with its C-MAC, and the plain one as 80 C0', () => {
    const mac = hexToBytes('0102030405060708');
    const wrapped = decodeCommand(encodeCommandApdu({ cla: 0x84, ins: 0xc0, p1: 0, p2: 0, data: mac, ne: 65536 }), 'wrapped');
    expect(wrapped.root.value).toBe('COLLECT (secured)');
    expect(find(wrapped, 'CLA').meaning).toMatch(/GlobalPlatform.*secure messaging: GP proprietary/);
    expect(find(wrapped, 'C-MAC')).toMatchObject({ value: '0102030405060708', start: 7, end: 15 });
    expect(find(wrapped, 'Le').meaning).toMatch(/extended/);
    assertRanges(wrapped);
    const plain = decodeCommand(encodeCommandApdu({ cla: 0x80, ins: 0xc0, p1: 0, p2: 0, data: new Uint8Array(0), ne: 65536 }), 'plain');
    expect(bytesToHex(plain.bytes).slice(0, 8)).toBe('80c00000');
    expect(find(plain, 'INS').meaning).toBe('COLLECT');
  });

  it('separates encrypted data from the C-MAC in the wrapped view and reads the JSON of an applet command in the plain view', () => {
    const wrapped = decodeCommand(encodeCommandApdu({ cla: 0x84, ins: 0xd0, p1: 0, p2: 0, data: new Uint8Array(40) }), 'wrapped');
    expect(find(wrapped, 'Encrypted data')).toMatchObject({ start: 5, end: 37 });
    expect(find(wrapped, 'C-MAC')).toMatchObject({ start: 37, end: 45 });
    const plain = decodeCommand(encodeCommandApdu({ cla: 0x80, ins: 0xd0, p1: 0, p2: 0, data: utf8ToBytes('{"name":"set-tariff","body":{}}') }), 'plain');
    expect(find(plain, 'Data').meaning).toBe('UTF-8 JSON');
    expect(find(plain, 'JSON').value).toBe('{"name":"set-tariff","body":{}}');
  });

  it('names the length-value fields of INSTALL [for load]', () => {
    const elf = hexToBytes('f0485944520262696c6c696e67');
    const hash = new Uint8Array(32).fill(0xab);
    const data = Uint8Array.from([elf.length, ...elf, 0, 32, ...hash, 0, 0]);
    const decoded = decodeCommand(encodeCommandApdu({ cla: 0x80, ins: 0xe6, p1: 0x02, p2: 0, data }), 'plain');
    expect(find(decoded, 'P1').meaning).toBe('INSTALL [for load]');
    expect(find(decoded, 'load file AID').meaning).toBe('billing load file');
    expect(find(decoded, 'load file data block hash').value).toBe('AB'.repeat(32));
    assertRanges(decoded);
  });

  it('decodes a TLV body to a tree whose ranges are the data objects’ own bytes', () => {
    const data = encodeTlv(0xa6, [encodeTlv(0x83, Uint8Array.of(0x13, 0x01))]);
    const bytes = encodeCommandApdu({ cla: 0x80, ins: 0xca, p1: 0xbf, p2: 0x21, data });
    const decoded = decodeCommand(bytes, 'plain');
    const crt = find(decoded, 'Tag A6');
    expect(crt.meaning).toBe('control reference template');
    expect(bytesToHex(bytes.slice(crt.start, crt.end))).toBe(bytesToHex(data));
    const kid = find(decoded, 'Tag 83');
    expect(bytesToHex(bytes.slice(kid.start, kid.end))).toBe('83021301');
    expect(find(decoded, 'P2').meaning).toBe('certificate store (SCP11)');
  });

  it('answers malformed input with a field that says what is wrong', () => {
    const short = decodeCommand(Uint8Array.of(0x80, 0xc0), 'plain');
    expect(short.root).toMatchObject({ value: 'malformed', meaning: expect.stringMatching(/shorter than its 4-byte header/) });
    const lying = decodeCommand(Uint8Array.of(0x80, 0xd0, 0, 0, 9, 1, 2), 'wrapped');
    expect(lying.root.meaning).toMatch(/Lc says 9/);
    expect(decodeCommand(new Uint8Array(0), 'plain').root.value).toBe('malformed');
    expect(decodeCommand('84c0' as never, 'plain').root.value).toBe('malformed');
  });
});

describe('decodeResponse', () => {
  it('gives the status word with its meaning from the GlobalPlatform table', () => {
    const ok = decodeResponse(Uint8Array.of(0x90, 0x00), 'plain', false);
    expect(find(ok, 'Status word')).toMatchObject({ value: '9000', meaning: 'SUCCESS: Normal processing: command completed', tone: 'success', start: 0, end: 2 });
    const refused = decodeResponse(Uint8Array.of(0x69, 0x82), 'wrapped', true);
    expect(find(refused, 'Status word')).toMatchObject({ value: '6982', tone: 'danger', meaning: expect.stringMatching(/SECURITY_STATUS_NOT_SATISFIED/) });
  });

  it('decodes a certificate store (BF21 → 7F21 → fields) and keeps the EC point B0 opaque', () => {
    const ca = generateKeyPair((n) => new Uint8Array(n).fill(7));
    const sd = generateKeyPair((n) => new Uint8Array(n).fill(9));
    const certificate = issueCertificate({ serial: Uint8Array.of(1), issuerId: utf8ToBytes('CA'), subjectId: hexToBytes(SUPPLIER_SD), role: 'sd', notBefore: 0, notAfter: 100, publicKey: sd.publicKey }, ca.privateKey);
    const bytes = encodeResponseApdu({ data: encodeCertificateStore([certificate]), sw: 0x9000 });
    const decoded = decodeResponse(bytes, 'plain', false);
    expect(find(decoded, 'Tag BF21').meaning).toBe('certificate store');
    expect(find(decoded, 'Tag 7F21').children.map((c) => c.label)).toEqual(['Tag 93', 'Tag 42', 'Tag 5F20', 'Tag 95', 'Tag 5F25', 'Tag 5F24', 'Tag 7F49', 'Tag 5F37']);
    expect(find(decoded, 'Tag 5F20').meaning).toBe('subject id: supplier security domain');
    const point = find(decoded, 'Tag B0');
    expect(point.children).toEqual([]);
    // The uncompressed point: 04 ‖ x ‖ y, x as in the compressed key.
    expect(point.value).toMatch(new RegExp(`^04${bytesToHex(sd.publicKey.subarray(1)).toUpperCase()}[0-9A-F]{64}$`));
    assertRanges(decoded);
  });

  it('shows a wrapped answer as encrypted data ‖ R-MAC ‖ SW, and the plain answer’s JSON', () => {
    const wrapped = decodeResponse(new Uint8Array([...new Array<number>(24).fill(0x55), 0x90, 0x00]), 'wrapped', true);
    expect(find(wrapped, 'Encrypted data')).toMatchObject({ start: 0, end: 16 });
    expect(find(wrapped, 'R-MAC')).toMatchObject({ start: 16, end: 24 });
    const plain = decodeResponse(encodeResponseApdu({ data: utf8ToBytes('{"items":[]}'), sw: 0x9000 }), 'plain', true);
    expect(find(plain, 'JSON').value).toBe('{"items":[]}');
  });

  it('refuses a response without a status word in words', () => {
    expect(decodeResponse(Uint8Array.of(0x90), 'plain', false).root.meaning).toMatch(/two-byte status word; got 1 bytes/);
  });
});

describe('garbage never crashes the decoders', () => {
  it('decodes 20,000 random and truncated inputs, every range inside the bytes', () => {
    const next = prng(20_260_101);
    const real = [
      encodeCommandApdu({ cla: 0x00, ins: 0xa4, p1: 4, p2: 0, data: hexToBytes(SUPPLIER_SD), ne: 256 }),
      encodeCommandApdu({ cla: 0x80, ins: 0xe6, p1: 0x0c, p2: 0, data: Uint8Array.from([5, 1, 2, 3, 4, 5, 5, 1, 2, 3, 4, 5, 5, 1, 2, 3, 4, 5, 1, 0, 2, 0xc9, 0, 0]) }),
      encodeResponseApdu({ data: encodeTlv(0x6f, [encodeTlv(0x84, hexToBytes(SUPPLIER_SD))]), sw: 0x9000 }),
    ];
    for (let i = 0; i < 20_000; i++) {
      let bytes: Uint8Array;
      if (i % 2 === 0) {
        bytes = new Uint8Array(next() % 300);
        for (let j = 0; j < bytes.length; j++) bytes[j] = next() & 0xff;
        // Bias towards plausible headers so the deeper decoders run too.
        if (bytes.length > 4 && i % 4 === 0) bytes.set([[0x00, 0x80, 0x84][next() % 3] ?? 0, [0xa4, 0xca, 0xe6, 0xe8, 0xd0][next() % 5] ?? 0], 0);
      } else {
        const source = real[next() % real.length] ?? new Uint8Array(0);
        bytes = source.slice(0, next() % (source.length + 1));
        if (bytes.length > 0 && i % 3 === 0) {
          const at = next() % bytes.length;
          bytes[at] = (bytes[at] ?? 0) ^ (1 << (next() % 8));
        }
      }
      for (const decoded of [decodeCommand(bytes, 'plain'), decodeCommand(bytes, 'wrapped'), decodeResponse(bytes, 'plain', false), decodeResponse(bytes, 'wrapped', true)]) {
        for (const node of flattenFields(decoded.root)) {
          if (node.start < 0 || node.end > bytes.length || node.start > node.end) throw new Error(`field ${node.id} [${node.start}, ${node.end}) outside ${bytes.length} bytes`);
        }
      }
    }
  }, 60_000);

  it('handles the largest extended APDU', () => {
    const bytes = encodeCommandApdu({ cla: 0x80, ins: 0xd0, p1: 0, p2: 0, data: new Uint8Array(65535).fill(0x41), ne: 65536 });
    const decoded = decodeCommand(bytes, 'plain');
    expect(find(decoded, 'Lc')).toMatchObject({ value: '65535', start: 4, end: 7 });
    expect(find(decoded, 'Le')).toMatchObject({ start: bytes.length - 2, end: bytes.length });
  });
});

describe('names', () => {
  it('tells EXTERNAL AUTHENTICATE (SCP03, CLA 84) from MUTUAL AUTHENTICATE (SCP11a, CLA 80)', () => {
    expect(insName(0x84, 0x82)).toBe('EXTERNAL AUTHENTICATE');
    expect(insName(0x80, 0x82)).toBe('MUTUAL AUTHENTICATE');
    expect(insName(0x80, 0x12)).toBe('INS 12');
  });

  it('reads the simulator’s AIDs and the issuer security domain', () => {
    expect(describeAid(hexToBytes('a000000151000000'))).toBe('issuer security domain (card manager)');
    expect(describeAid(hexToBytes('f048594452036269616c6c696e67'.replace('6269616c', '6269')))).toMatch(/applet instance$/);
    expect(describeAid(hexToBytes('f04859445209ffff'))).toBeUndefined();
    expect(describeAid(hexToBytes('a0000000030000'))).toBeUndefined();
  });
});
