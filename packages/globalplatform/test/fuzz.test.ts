/**
 * Seeded fuzzing of every parser that takes untrusted bytes: the command/response APDU parsers, the
 * BER-TLV parser and SCP03 unwrapping on both ends. Inputs are random garbage, truncations,
 * oversized length claims and bit/byte mutations of valid encodings. Properties:
 * - a parser either accepts (and then the input is canonical: re-encoding gives it back byte for
 *   byte) or throws a typed GlobalPlatformError whose status word is a known one — nothing else;
 * - SCP03 unwrapping accepts nothing but the genuine message (at most its unMACed channel bits or Le
 *   changed, never its content), answers every rejection with 6982, and leaves the state unchanged.
 * Size: FUZZ_ITERATIONS inputs in total (default 100,000); seed: FUZZ_SEED. Reproducible.
 */
import { describe, expect, it } from 'vitest';
import { encodeCommandApdu, encodeResponseApdu, parseCommandApdu, parseResponseApdu } from '../src/apdu';
import { bytesToHex, concatBytes } from '../src/bytes';
import { GlobalPlatformError, ScpAuthenticationError } from '../src/errors';
import type { Scp03Session } from '../src/scp03-session';
import { scp03UnwrapCommand, scp03UnwrapResponse, scp03WrapCommand, scp03WrapResponse } from '../src/secure-messaging';
import { describeStatusWord } from '../src/status-words';
import { encodeTlv, parseTlvs } from '../src/tlv';
import { openScp03, seededInt, seededRandom } from './fixtures';

const TOTAL = Number(process.env.FUZZ_ITERATIONS ?? 100_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const SHARE = { apdu: 0.4, tlv: 0.35, scp03: 0.25 };

const bytes = seededRandom(SEED);
const int = seededInt(SEED ^ 0x5a5a5a5a);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Random garbage, truncations, extensions and mutations of a corpus of valid encodings. */
function generate(corpus: readonly Uint8Array[]): Uint8Array {
  const kind = int(10);
  const base = corpus[int(corpus.length)]!;
  switch (kind) {
    case 0:
      return bytes(int(12)); // tiny garbage
    case 1:
      return bytes(int(400)); // garbage
    case 2:
      return base.slice(0, int(base.length + 1)); // truncated
    case 3:
      return concatBytes(base, bytes(1 + int(4))); // trailing bytes
    case 4: {
      const out = base.slice(); // bit flips
      for (let i = 1 + int(3); i > 0 && out.length > 0; i--) out[int(out.length)]! ^= 1 << int(8);
      return out;
    }
    case 5: {
      const out = base.slice(); // random byte values
      if (out.length > 0) out[int(out.length)] = int(256);
      return out;
    }
    case 6: {
      const at = int(base.length + 1); // byte deleted or inserted
      return int(2) === 0 ? concatBytes(base.subarray(0, at), base.subarray(at + 1)) : concatBytes(base.subarray(0, at), bytes(1), base.subarray(at));
    }
    case 7: {
      const out = base.slice(); // oversized length claims at a random position
      const at = out.length > 0 ? int(out.length) : 0;
      const claims = [0x80, 0x81, 0x82, 0x83, 0x84, 0xff, 0x00];
      if (out.length > 0) out[at] = claims[int(claims.length)]!;
      return out;
    }
    case 8:
      return int(50) === 0 ? bytes(65540 + int(100)) : concatBytes(base, base); // oversized
    default:
      return base.slice(); // the genuine input, to exercise the accepting path too
  }
}

function checkRejection(error: unknown): number {
  if (!(error instanceof GlobalPlatformError)) throw error;
  expect(describeStatusWord(error.statusWord).name).not.toBe('UNKNOWN');
  return error.statusWord;
}

describe(`fuzz (seed ${SEED}, ${TOTAL} inputs)`, () => {
  it('command and response APDU parsers: canonical accept or typed reject', () => {
    const corpus = [
      encodeCommandApdu({ cla: 0x80, ins: 0x50, p1: 0x30, p2: 0, data: bytes(8), ne: 256 }),
      encodeCommandApdu({ cla: 0x84, ins: 0xe2, p1: 0x91, p2: 0, data: bytes(40) }),
      encodeCommandApdu({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0, data: new Uint8Array(0), ne: 17 }),
      encodeCommandApdu({ cla: 0x00, ins: 0xca, p1: 0xbf, p2: 0x21, data: new Uint8Array(0) }),
      encodeCommandApdu({ cla: 0x80, ins: 0xe8, p1: 0x00, p2: 0, data: bytes(600), ne: 65536 }),
      encodeCommandApdu({ cla: 0x80, ins: 0xe8, p1: 0x00, p2: 0, data: new Uint8Array(0), ne: 1000 }),
      encodeResponseApdu({ data: bytes(30), sw: 0x9000 }),
    ];
    const n = Math.round(TOTAL * SHARE.apdu);
    let accepted = 0;
    const statuses = new Set<number>();
    for (let i = 0; i < n; i++) {
      const input = generate(corpus);
      try {
        const command = parseCommandApdu(input);
        expect(bytesToHex(encodeCommandApdu(command))).toBe(bytesToHex(input));
        accepted++;
      } catch (error) {
        statuses.add(checkRejection(error));
      }
      try {
        const response = parseResponseApdu(input);
        expect(bytesToHex(encodeResponseApdu(response))).toBe(bytesToHex(input));
      } catch (error) {
        statuses.add(checkRejection(error));
      }
    }
    expect(accepted).toBeGreaterThan(0);
    expect([...statuses].every((sw) => sw === 0x6700 || sw === 0x6f00)).toBe(true);
  });

  it('BER-TLV parser: canonical accept or typed reject', () => {
    const corpus = [
      encodeTlv(0xa6, [encodeTlv(0x90, Uint8Array.of(0x11, 0x00)), encodeTlv(0x95, Uint8Array.of(0x3c)), encodeTlv(0x80, Uint8Array.of(0x88)), encodeTlv(0x81, Uint8Array.of(0x10))]),
      encodeTlv(0x5f49, bytes(65)),
      encodeTlv(0xbf21, [encodeTlv(0x7f21, [encodeTlv(0x93, bytes(4)), encodeTlv(0x5f20, bytes(300))])]),
      encodeTlv(0x70, [encodeTlv(0x71, [encodeTlv(0x72, [encodeTlv(0x73, [encodeTlv(0x04, bytes(3))])])])]),
      concatBytes(encodeTlv(0x86, bytes(16)), encodeTlv(0x9f7f, bytes(42))),
    ];
    const n = Math.round(TOTAL * SHARE.tlv);
    let accepted = 0;
    for (let i = 0; i < n; i++) {
      const input = generate(corpus);
      try {
        const list = parseTlvs(input, { maxDepth: 4 });
        expect(bytesToHex(concatBytes(...list.map((t) => t.raw)))).toBe(bytesToHex(input));
        accepted++;
      } catch (error) {
        expect(checkRejection(error)).toBe(0x6a80);
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });

  it('SCP03 unwrap (card: commands, host: responses): only genuine messages pass; rejections are 6982 with the state unchanged', () => {
    const n = Math.round(TOTAL * SHARE.scp03);
    for (const level of [0x33, 0x13] as const) {
      const { host, card } = openScp03({ level, seed: level });
      const plain = { cla: 0x80, ins: 0xe2, p1: 0x91, p2: 0x00, data: bytes(37), ne: 256 };
      const wrapped = scp03WrapCommand(host, plain);
      const cardState: Scp03Session = deepFreeze(structuredClone(card));
      const opened = scp03UnwrapCommand(cardState, wrapped.output);
      const answer = scp03WrapResponse(opened.state, { data: bytes(50), sw: 0x9000 });
      const hostState: Scp03Session = deepFreeze(structuredClone(wrapped.state));
      const cardBefore = JSON.stringify(cardState);
      const hostBefore = JSON.stringify(hostState);
      const expectedAnswer = scp03UnwrapResponse(hostState, answer.output).output;
      for (let i = 0; i < n / 2; i++) {
        const command = generate([wrapped.output]);
        try {
          const result = scp03UnwrapCommand(cardState, command);
          // Accepted: only the genuine content (channel bits and Le are outside the MAC by design).
          expect(bytesToHex(result.output.data)).toBe(bytesToHex(plain.data));
          expect(result.output.ins).toBe(plain.ins);
        } catch (error) {
          expect(error).toBeInstanceOf(ScpAuthenticationError);
          expect((error as ScpAuthenticationError).statusWord).toBe(0x6982);
        }
        const response = generate([answer.output]);
        try {
          const result = scp03UnwrapResponse(hostState, response);
          if (result.output.sw === 0x9000) expect(bytesToHex(result.output.data)).toBe(bytesToHex(expectedAnswer.data));
          else expect(result.output.data.length).toBe(0); // a bare error status word, which SCP03 does not MAC
        } catch (error) {
          expect(error).toBeInstanceOf(ScpAuthenticationError);
          expect((error as ScpAuthenticationError).statusWord).toBe(0x6982);
        }
      }
      expect(JSON.stringify(cardState)).toBe(cardBefore);
      expect(JSON.stringify(hostState)).toBe(hostBefore);
    }
  });
});
