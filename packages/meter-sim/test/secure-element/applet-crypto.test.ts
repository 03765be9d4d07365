// The applets' crypto capability: the native ECDH a Node host offers (DESIGN.md Decision 17) gives
// exactly noble's answer and refuses what noble refuses; kdfWords is the kdf read as uint32s.
import { createCipheriv, randomBytes } from 'node:crypto';
import { bytesToHex, ecdhSharedSecret, generateKeyPair } from '@hydra/globalplatform';
import { describe, expect, it } from 'vitest';
import { nodeCryptoPrimitives } from '../../node/index';
import { createAppletCrypto } from '../../src/secure-element/applet-crypto';

const random = (n: number) => new Uint8Array(randomBytes(n));
const noble = createAppletCrypto(random);
const native = createAppletCrypto(random, nodeCryptoPrimitives());

describe('applet crypto capability', () => {
  it('native ECDH agrees with noble on random key pairs, compressed and uncompressed points', () => {
    for (let round = 0; round < 25; round++) {
      const a = generateKeyPair(random);
      const b = generateKeyPair(random);
      const expected = bytesToHex(ecdhSharedSecret(a.privateKey, b.publicKey));
      expect(native.ecdh(bytesToHex(a.privateKey), bytesToHex(b.publicKey))).toBe(expected);
      expect(noble.ecdh(bytesToHex(a.privateKey), bytesToHex(b.publicKey))).toBe(expected);
    }
  });

  it('both refuse malformed keys and points off the curve', () => {
    const a = generateKeyPair(random);
    const offCurve = `04${'00'.repeat(31)}01${'00'.repeat(31)}01`;
    for (const crypto of [noble, native]) {
      expect(() => crypto.ecdh(bytesToHex(a.privateKey).slice(2), bytesToHex(a.publicKey))).toThrow(RangeError);
      expect(() => crypto.ecdh(bytesToHex(a.privateKey), 'zz')).toThrow(TypeError);
      expect(() => crypto.ecdh(bytesToHex(a.privateKey), offCurve)).toThrow();
    }
  });

  it('kdfWords reads the kdf output as big-endian uint32s', () => {
    const secret = bytesToHex(random(32));
    const hex = noble.kdf(secret, 'agg1|2025-01-01', 4 * 50);
    expect(noble.kdfWords(secret, 'agg1|2025-01-01', 50)).toEqual(Array.from({ length: 50 }, (_, i) => Number.parseInt(hex.slice(8 * i, 8 * i + 8), 16)));
    expect(() => noble.kdfWords(secret, 'x', 0)).toThrow(RangeError);
    expect(() => noble.kdfWords(secret, 'x', 1e6)).toThrow(RangeError);
  });

  it('prfWords is the ChaCha20 keystream under the key with the label as nonce, and refuses a long label', () => {
    const key = random(32);
    const cipher = createCipheriv('chacha20', key, Buffer.concat([Buffer.alloc(4), Buffer.from('2025-03-30\0\0', 'latin1')]));
    const stream = new Uint8Array(cipher.update(Buffer.alloc(4 * 46)));
    expect(noble.prfWords(bytesToHex(key), '2025-03-30', 46)).toEqual(Array.from({ length: 46 }, (_, i) => new DataView(stream.buffer).getUint32(4 * i)));
    expect(noble.prfWords(bytesToHex(key), '2025-03-31', 46)).not.toEqual(noble.prfWords(bytesToHex(key), '2025-03-30', 46));
    expect(() => noble.prfWords(bytesToHex(key), 'a label that is too long', 4)).toThrow(RangeError);
    expect(() => noble.prfWords(bytesToHex(key).slice(2), 'x', 4)).toThrow(RangeError);
  });

  it('prfWordsSum is the signed sum of the prfWords streams mod 2^32, and refuses a bad term', () => {
    const keys = [random(32), random(32), random(32)].map((key) => bytesToHex(key));
    const terms = [
      { keyHex: keys[0]!, sign: 1 as const },
      { keyHex: keys[1]!, sign: -1 as const },
      { keyHex: keys[2]!, sign: 1 as const },
    ];
    const streams = terms.map((term) => noble.prfWords(term.keyHex, '2025-10-26', 50));
    const expected = Array.from({ length: 50 }, (_, t) => {
      let sum = 0n;
      terms.forEach((term, i) => (sum += BigInt(term.sign) * BigInt(streams[i]![t]!)));
      return Number(((sum % 2n ** 32n) + 2n ** 32n) % 2n ** 32n);
    });
    expect(noble.prfWordsSum(terms, '2025-10-26', 50)).toEqual(expected);
    expect(noble.prfWordsSum([], '2025-10-26', 3)).toEqual([0, 0, 0]);
    // +k and −k cancel exactly: what makes a feeder's masks vanish in the sum.
    expect(noble.prfWordsSum([{ keyHex: keys[0]!, sign: 1 }, { keyHex: keys[0]!, sign: -1 }], '2025-10-26', 48)).toEqual(new Array(48).fill(0));
    expect(() => noble.prfWordsSum([{ keyHex: keys[0]!, sign: 2 as never }], 'x', 4)).toThrow(RangeError);
    expect(() => noble.prfWordsSum([{ keyHex: keys[0]!.slice(2), sign: 1 }], 'x', 4)).toThrow(RangeError);
    expect(() => noble.prfWordsSum('nope' as never, 'x', 4)).toThrow(RangeError);
  });
});
