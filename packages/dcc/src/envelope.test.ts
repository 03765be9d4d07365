import { bytesToHex, generateKeyPair, signMessage, verifyMessage, type RoutingHeader } from '@hydra/globalplatform';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, MAX_ENVELOPE_BYTES, MAX_PAYLOAD_BYTES } from './envelope';
import { RelayError } from './errors';

const random = (n: number) => new Uint8Array(randomBytes(n));
const header: RoutingHeader = {
  messageId: bytesToHex(random(16)),
  worldId: 'w1',
  meterId: 'w1-m0001',
  partyId: 'supplier',
  appletId: 'billing',
  messageClass: 'collect-response',
  direction: 'uplink',
  correlationId: bytesToHex(random(16)),
};

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof RelayError) return error.code;
    throw error;
  }
  throw new Error('expected a RelayError');
}

describe('envelope codec', () => {
  it('round-trips header, payload and signature byte for byte', () => {
    const device = generateKeyPair(random);
    const payload = random(512);
    const bytes = encodeEnvelope(header, payload, (b) => signMessage(b, device.privateKey));
    const decoded = decodeEnvelope(bytes);
    expect(decoded.header).toEqual(header);
    expect(decoded.payload).toEqual(payload);
    expect(decoded.signature && verifyMessage(decoded.signature, decoded.signedBytes, device.publicKey)).toBe(true);
    expect(encodeEnvelope(decoded.header, decoded.payload, (b) => signMessage(b, device.privateKey))).toEqual(bytes);
  });

  it('encodes unsigned downlink envelopes without a signature', () => {
    const downlink = { ...header, direction: 'downlink' as const, correlationId: undefined };
    const decoded = decodeEnvelope(encodeEnvelope(downlink, random(16)));
    expect(decoded.signature).toBeNull();
    expect(decoded.header.correlationId).toBeUndefined();
  });

  it('refuses garbage, truncation, trailing bytes, bad magic and unknown versions', () => {
    const bytes = encodeEnvelope(header, random(64));
    expect(codeOf(() => decodeEnvelope(new Uint8Array(0)))).toBe('ENVELOPE_TRUNCATED');
    expect(codeOf(() => decodeEnvelope(random(3)))).toBe('ENVELOPE_TRUNCATED');
    for (let cut = 6; cut < bytes.length; cut += 17) expect(['ENVELOPE_TRUNCATED', 'ENVELOPE_MALFORMED']).toContain(codeOf(() => decodeEnvelope(bytes.slice(0, cut))));
    expect(codeOf(() => decodeEnvelope(new Uint8Array([...bytes, 0])))).toBe('ENVELOPE_MALFORMED');
    const badMagic = bytes.slice();
    badMagic[0] = 0x58;
    expect(codeOf(() => decodeEnvelope(badMagic))).toBe('ENVELOPE_MALFORMED');
    const badVersion = bytes.slice();
    badVersion[2] = 9;
    expect(codeOf(() => decodeEnvelope(badVersion))).toBe('ENVELOPE_VERSION');
    const badFlags = bytes.slice();
    badFlags[3] = 0x80;
    expect(codeOf(() => decodeEnvelope(badFlags))).toBe('ENVELOPE_MALFORMED');
  });

  it('refuses oversized envelopes and payloads', () => {
    expect(codeOf(() => decodeEnvelope(new Uint8Array(MAX_ENVELOPE_BYTES + 1)))).toBe('ENVELOPE_OVERSIZED');
    expect(codeOf(() => encodeEnvelope(header, new Uint8Array(MAX_PAYLOAD_BYTES + 1)))).toBe('ENVELOPE_OVERSIZED');
    const bytes = encodeEnvelope(header, random(8));
    const lengthAt = 6 + ((bytes[4]! << 8) | bytes[5]!);
    const forged = bytes.slice();
    new DataView(forged.buffer).setUint32(lengthAt, MAX_PAYLOAD_BYTES + 1);
    expect(codeOf(() => decodeEnvelope(forged))).toBe('ENVELOPE_OVERSIZED');
  });

  it('refuses headers that are not exactly the routing schema', () => {
    const withExtra = (extra: Record<string, unknown>) => {
      const json = new TextEncoder().encode(JSON.stringify({ ...header, ...extra }));
      const out = new Uint8Array(6 + json.length + 4);
      out.set([0x48, 0x59, 1, 0, json.length >> 8, json.length & 255]);
      out.set(json, 6);
      return out;
    };
    expect(codeOf(() => decodeEnvelope(withExtra({ amountPence: 1234 })))).toBe('ENVELOPE_MALFORMED');
    expect(codeOf(() => decodeEnvelope(withExtra({ messageId: 'not-hex' })))).toBe('ENVELOPE_MALFORMED');
    expect(codeOf(() => decodeEnvelope(withExtra({ direction: 'sideways' })))).toBe('ENVELOPE_MALFORMED');
    expect(codeOf(() => decodeEnvelope(withExtra({ meterId: 'UPPER' })))).toBe('ENVELOPE_MALFORMED');
  });

  it('survives thousands of random and mutated inputs with a RelayError each time', () => {
    const base = encodeEnvelope(header, random(100));
    for (let i = 0; i < 5000; i++) {
      const input = i % 2 === 0 ? random(1 + (i % 300)) : base.slice();
      if (i % 2 === 1) input[i % input.length]! ^= 1 + (i % 255);
      try {
        decodeEnvelope(input);
      } catch (error) {
        expect(error).toBeInstanceOf(RelayError);
      }
    }
  });
});
