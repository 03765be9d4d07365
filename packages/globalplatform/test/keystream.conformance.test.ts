// The ChaCha20 keystream against RFC 8439 §2.4.2's test vector (first keystream block, counter 1
// there, so the vector's key stream is our bytes 64..127) and against node:crypto's chacha20.
import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../src/bytes';
import { chacha20 } from '@noble/ciphers/chacha.js';
import { addChacha20Words, chacha20KeyWords, chacha20Keystream, chacha20Words } from '../src/keystream';

describe('chacha20Keystream', () => {
  it('matches RFC 8439 §2.4.2 (key 00..1f, nonce 000000000000004a00000000)', () => {
    const key = hexToBytes('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    const nonce = hexToBytes('000000000000004a00000000');
    const stream = chacha20Keystream(key, nonce, 128);
    // RFC 8439 §2.4.2: the first block (counter 1) of keystream begins 224f51f3401bd9e1 2fde276fb8631ded 8c131f823d2c06e2 7e4fcaec9ef3cf78 8a3b0aa372600a92 b57974cded2b9334 794cba40c63e34cd ea212c4cf07d41b7 69a6749f3f630f41 22cafe28ec4dc47e 26d4346d70b98c73 f3e9c53ac40c5945 398b6eda1a832c89 c167eacd901d7e2b f363
    expect(bytesToHex(stream.slice(64, 80))).toBe('224f51f3401bd9e12fde276fb8631ded');
  });

  it('agrees with node:crypto for random keys and nonces', () => {
    for (let round = 0; round < 20; round++) {
      const key = crypto.getRandomValues(new Uint8Array(32));
      const nonce = crypto.getRandomValues(new Uint8Array(12));
      const length = 1 + round * 37;
      // node's chacha20 takes a 16-byte IV: 4-byte little-endian counter, then the 12-byte nonce.
      const cipher = createCipheriv('chacha20', key, Buffer.concat([Buffer.alloc(4), Buffer.from(nonce)]));
      expect(chacha20Keystream(key, nonce, length)).toEqual(new Uint8Array(cipher.update(Buffer.alloc(length))));
    }
  });

  it('refuses wrong sizes', () => {
    expect(() => chacha20Keystream(new Uint8Array(16), new Uint8Array(12), 10)).toThrow(RangeError);
    expect(() => chacha20Keystream(new Uint8Array(32), new Uint8Array(8), 10)).toThrow(RangeError);
    expect(() => chacha20Keystream(new Uint8Array(32), new Uint8Array(12), 0)).toThrow(RangeError);
  });
});

describe('chacha20Words', () => {
  const bigEndianWords = (bytes: Uint8Array) => Array.from({ length: bytes.length / 4 }, (_, i) => new DataView(bytes.buffer, bytes.byteOffset).getUint32(4 * i));

  it('matches RFC 8439 §2.4.2 (words 16..19 are the vector\'s first block, read big-endian)', () => {
    const key = hexToBytes('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    const nonce = hexToBytes('000000000000004a00000000');
    expect(Array.from(chacha20Words(key, nonce, 20).slice(16, 20))).toEqual([0x224f51f3, 0x401bd9e1, 0x2fde276f, 0xb8631ded]);
  });

  it('gives noble chacha20\'s keystream word for word, across block boundaries and partial blocks', () => {
    for (let round = 0; round < 40; round++) {
      const key = crypto.getRandomValues(new Uint8Array(32));
      const nonce = crypto.getRandomValues(new Uint8Array(12));
      const count = 1 + round * 5;
      const reference = chacha20(key, nonce, new Uint8Array(4 * count));
      expect(Array.from(chacha20Words(key, nonce, count))).toEqual(bigEndianWords(reference));
    }
  });

  it('writes into a caller\'s array and refuses wrong sizes', () => {
    const out = new Uint32Array(64);
    const key = new Uint8Array(32).fill(7);
    expect(chacha20Words(key, new Uint8Array(12), 48, out)).toBe(out);
    expect(Array.from(out.slice(0, 48))).toEqual(bigEndianWords(chacha20(key, new Uint8Array(12), new Uint8Array(192))));
    expect(() => chacha20Words(new Uint8Array(16), new Uint8Array(12), 4)).toThrow(RangeError);
    expect(() => chacha20Words(key, new Uint8Array(8), 4)).toThrow(RangeError);
    expect(() => chacha20Words(key, new Uint8Array(12), 0)).toThrow(RangeError);
    expect(() => chacha20Words(key, new Uint8Array(12), 65, out)).toThrow(RangeError);
  });
});

describe('addChacha20Words and chacha20KeyWords', () => {
  it('adds and subtracts chacha20Words exactly mod 2^32, the key read from hex in either case', () => {
    for (let round = 0; round < 30; round++) {
      const keys = [0, 1, 2].map(() => crypto.getRandomValues(new Uint8Array(32)));
      const nonce = crypto.getRandomValues(new Uint8Array(12));
      const count = 1 + round * 3;
      const expected = new Uint32Array(count);
      const sum = new Uint32Array(count + 5).fill(0xdeadbeef);
      sum.fill(0, 0, count);
      keys.forEach((key, k) => {
        const words = chacha20Words(key, nonce, count);
        for (let i = 0; i < count; i++) expected[i] = k === 1 ? (expected[i] ?? 0) - (words[i] ?? 0) : (expected[i] ?? 0) + (words[i] ?? 0);
        const hex = bytesToHex(key);
        addChacha20Words(chacha20KeyWords(k === 2 ? hex.toUpperCase() : hex), nonce, count, sum, k === 1 ? -1 : 1);
      });
      expect(Array.from(sum.subarray(0, count))).toEqual(Array.from(expected));
      // Nothing past `count` is touched.
      expect(Array.from(sum.subarray(count))).toEqual(new Array(5).fill(0xdeadbeef));
    }
  });

  it('matches RFC 8439 §2.4.2 from a zero sum', () => {
    const sum = new Uint32Array(20);
    addChacha20Words(chacha20KeyWords('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'), hexToBytes('000000000000004a00000000'), 20, sum, 1);
    expect(Array.from(sum.slice(16, 20))).toEqual([0x224f51f3, 0x401bd9e1, 0x2fde276f, 0xb8631ded]);
  });

  it('reads the key bytes little-endian into words', () => {
    expect(Array.from(chacha20KeyWords('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f').subarray(0, 2))).toEqual([0x03020100, 0x07060504]);
  });

  it('refuses a malformed key, a wrong nonce, count or sign, and adds nothing then', () => {
    const sum = new Uint32Array(48);
    const good = chacha20KeyWords('ab'.repeat(32));
    for (const key of [`${'ab'.repeat(31)}zz`, `${'ab'.repeat(31)} a`, 'g'.repeat(64), 42 as unknown as string]) expect(() => chacha20KeyWords(key)).toThrow(TypeError);
    for (const key of ['ab'.repeat(31), 'ab'.repeat(33), '']) expect(() => chacha20KeyWords(key)).toThrow(RangeError);
    expect(() => addChacha20Words(new Uint32Array(7), new Uint8Array(12), 48, sum, 1)).toThrow(RangeError);
    expect(() => addChacha20Words(good, new Uint8Array(8), 48, sum, 1)).toThrow(RangeError);
    expect(() => addChacha20Words(good, new Uint8Array(12), 0, sum, 1)).toThrow(RangeError);
    expect(() => addChacha20Words(good, new Uint8Array(12), 49, sum, 1)).toThrow(RangeError);
    expect(() => addChacha20Words(good, new Uint8Array(12), 48, sum, 2 as 1)).toThrow(RangeError);
    expect(Array.from(sum)).toEqual(new Array(48).fill(0));
  });
});
