/**
 * The seeding hash of `forkPrng` and the streams it forks.
 *
 * Known answers: FIPS 180-2 (NIST, 2002), Appendix B.1 "SHA-256 Example (One-Block Message)" —
 * "abc" — and Appendix B.2 "SHA-256 Example (Multi-Block Message)" — the 448-bit message
 * "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq" (the same examples are kept in FIPS
 * 180-4's companion examples at csrc.nist.gov, "SHA256.pdf"); the empty message's digest is the
 * well-known e3b0c442… value also given in NIST's example set. Beyond those, the hand-written
 * short-message path is checked against noble's `sha256` at every length from 0 to 130 bytes (the
 * padding boundaries at 55/56, 63/64 and 119/120 included) and on non-ASCII text, which takes the
 * general path. The streams are checked against a reference `forkPrng` written as the original
 * one was (noble's digest, closures), so every fork gives the sequence it always gave.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { forkPrng, sha256Text } from '../src/prng';
import type { Prng } from '../src/prng';

const utf8 = new TextEncoder();
const hex = (text: string): string => bytesToHex(sha256Text(text));

/** `forkPrng` as first written: noble's SHA-256 of `${seed}\0${label}`, sfc32 in closures. */
function referencePrng(seed: string, label: string): Prng {
  const digest = sha256(utf8.encode(`${seed}\u0000${label}`));
  const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
  let a = view.getUint32(0);
  let b = view.getUint32(4);
  let c = view.getUint32(8);
  let d = view.getUint32(12) | 1;
  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) nextUint32();
  const next = (): number => nextUint32() / 4_294_967_296;
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    normal: (mean = 0, sd = 1) => {
      const u = 1 - next();
      const v = next();
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick: expected a non-empty array');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
  };
}

/** A deterministic ASCII string of `length` characters: NUL and the printable range up to '~'. */
function asciiText(length: number, salt: number): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    const k = (i * 37 + salt * 11) % 97;
    s += String.fromCharCode(k === 0 ? 0 : k + 29);
  }
  return s;
}

describe('SHA-256 for forkPrng (FIPS 180-2 Appendix B)', () => {
  it('B.1: one-block message "abc"', () => {
    expect(hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('B.2: 448-bit message, whose padding spills into a second block', () => {
    expect(hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('the empty message', () => {
    expect(hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it("equals noble's sha256 at every length 0–130 bytes (both sides of 55/56, 63/64, 119/120)", () => {
    for (let length = 0; length <= 130; length++) {
      for (let salt = 0; salt < 3; salt++) {
        const text = asciiText(length, salt);
        expect(bytesToHex(sha256Text(text)), `length ${length}`).toBe(bytesToHex(sha256(utf8.encode(text))));
      }
    }
  });

  it("equals noble's sha256 on non-ASCII text (the general path) and on the simulation's labels", () => {
    const texts = [
      'é',
      'home/1/2025-01-01/ü',
      '\u0080',
      '\u07ff\u0800',
      '😀 meter',
      'a'.repeat(118) + '£',
      'lone \ud800 surrogate',
      'world\u0000home/17/2025-03-30',
      'bench-world\u0000home/999/2025-10-26/ev',
      'x'.repeat(200),
    ];
    for (const text of texts) expect(bytesToHex(sha256Text(text)), JSON.stringify(text)).toBe(bytesToHex(sha256(utf8.encode(text))));
  });
});

describe('forkPrng streams', () => {
  const seeds = ['', 'bench-world', 'déjà-vu', 'w'.repeat(60), 's'.repeat(130)];
  const labels = ['', 'feeders', 'home/0/profile', 'home/17/2025-01-01', 'home/999/2025-10-26/incident', 'weather/2024-02-29', 'ü/label', 'l'.repeat(70)];

  it('gives the same sequence as the original for every method, seed and label', () => {
    const items = ['a', 'b', 'c', 'd', 'e'] as const;
    for (const seed of seeds) {
      for (const label of labels) {
        const fast = forkPrng(seed, label);
        const ref = referencePrng(seed, label);
        for (let k = 0; k < 50; k++) {
          expect(fast.next()).toBe(ref.next());
          expect(fast.int(-3, 17)).toBe(ref.int(-3, 17));
          expect(fast.normal()).toBe(ref.normal());
          expect(fast.normal(50, 15)).toBe(ref.normal(50, 15));
          expect(fast.chance(0.3)).toBe(ref.chance(0.3));
          expect(fast.pick(items)).toBe(ref.pick(items));
        }
      }
    }
  });

  it('forks independent streams and interleaves them without crosstalk', () => {
    const a = forkPrng('w', 'a');
    const b = forkPrng('w', 'b');
    const refA = referencePrng('w', 'a');
    const refB = referencePrng('w', 'b');
    for (let k = 0; k < 20; k++) {
      expect(a.next()).toBe(refA.next());
      forkPrng('w', `interloper/${k}`).next(); // reuses the hash scratch between draws
      expect(b.next()).toBe(refB.next());
    }
    expect(forkPrng('w', 'a').next()).not.toBe(forkPrng('w', 'b').next());
  });

  it('pick rejects an empty array', () => {
    expect(() => forkPrng('w', 'x').pick([])).toThrow(RangeError);
  });
});
