import { describe, expect, it } from 'vitest';
import { openScp03, roundTrip, scp03Keys, seededRandom } from '../test/fixtures';
import { bytesToHex } from './bytes';
import { ApduError, ScpAuthenticationError, ScpProtocolError } from './errors';
import {
  parseInitializeUpdateResponse,
  scp03CardExternalAuthenticate,
  scp03CardInitializeUpdate,
  scp03HostComplete,
  scp03HostExternalAuthenticate,
  scp03HostInitializeUpdate,
  type Scp03CardKeyset,
} from './scp03';
import { parseResponseApdu } from './apdu';

const aid = Uint8Array.of(0xa0, 0, 0, 1, 0x51, 0, 0, 0);

function keyset(iParameter = 0x70): Scp03CardKeyset {
  return { keyVersion: 0x30, keys: scp03Keys(16), keyDiversificationData: new Uint8Array(10).fill(1), iParameter };
}

describe('SCP03 handshake (GP Amendment D §6.2, §7.1)', () => {
  for (const size of [16, 24, 32] as const) {
    for (const level of [0x01, 0x03, 0x11, 0x13, 0x33] as const) {
      for (const macLength of [8, 16] as const) {
        it(`opens matching sessions on both ends: AES-${size * 8}, level ${level.toString(16)}, S${macLength}`, () => {
          const { host, card } = openScp03({ size, level, macLength });
          expect(host.keys).toEqual(card.keys);
          expect(host.macChainingValue).toBe(card.macChainingValue);
          expect(host.securityLevel).toBe(level);
          expect(host.role).toBe('host');
          expect(card.role).toBe('card');
          expect(host.keys.sEnc.length).toBe(size * 2);
        });
      }
    }
  }

  it('keeps every handshake state JSON-serialisable (resume mid-handshake after a restart)', () => {
    const random = seededRandom(9);
    const ks = keyset();
    const a = scp03HostInitializeUpdate({ keys: ks.keys, keyVersion: 0x30, securityLevel: 0x33, random });
    const c1 = scp03CardInitializeUpdate({ keyset: ks, sequenceCounter: 1, aid }, a.output);
    const b = scp03HostExternalAuthenticate(roundTrip(a.state), c1.output.response);
    const c2 = scp03CardExternalAuthenticate(roundTrip(c1.state), b.output);
    const done = scp03HostComplete(roundTrip(b.state), c2.output);
    expect(done.state.macChainingValue).toBe(c2.state.macChainingValue);
    expect(b.state.staticKeys).toBeNull();
  });

  it('uses a pseudo-random card challenge from the sequence counter and hands back the next counter', () => {
    const ks = keyset();
    const a = scp03HostInitializeUpdate({ keys: ks.keys, keyVersion: 0x30, securityLevel: 0x33, random: seededRandom(1) });
    const one = scp03CardInitializeUpdate({ keyset: ks, sequenceCounter: 41, aid }, a.output);
    const two = scp03CardInitializeUpdate({ keyset: ks, sequenceCounter: 42, aid }, a.output);
    expect(one.output.nextSequenceCounter).toBe(42);
    const r1 = parseInitializeUpdateResponse(parseResponseApdu(one.output.response).data);
    const r2 = parseInitializeUpdateResponse(parseResponseApdu(two.output.response).data);
    expect(r1.sequenceCounter).toBe(41);
    expect(bytesToHex(r1.cardChallenge)).not.toBe(bytesToHex(r2.cardChallenge));
    expect(() => scp03CardInitializeUpdate({ keyset: ks, sequenceCounter: 0xffffff, aid }, a.output)).toThrow(ScpProtocolError);
  });

  it('supports a random card challenge (i without bit 10)', () => {
    const ks = keyset(0x60);
    const a = scp03HostInitializeUpdate({ keys: ks.keys, keyVersion: 0, securityLevel: 0x33, random: seededRandom(2) });
    const c1 = scp03CardInitializeUpdate({ keyset: ks, random: seededRandom(3) }, a.output);
    expect(c1.output.nextSequenceCounter).toBeNull();
    const b = scp03HostExternalAuthenticate(a.state, c1.output.response);
    expect(scp03CardExternalAuthenticate(c1.state, b.output).state.securityLevel).toBe(0x33);
  });

  it('fails closed on a wrong card cryptogram, host cryptogram or EXTERNAL AUTHENTICATE MAC (6982)', () => {
    const ks = keyset();
    const a = scp03HostInitializeUpdate({ keys: ks.keys, keyVersion: 0x30, securityLevel: 0x33, random: seededRandom(4) });
    const c1 = scp03CardInitializeUpdate({ keyset: ks, sequenceCounter: 1, aid }, a.output);
    const badCryptogram = c1.output.response.slice();
    badCryptogram[badCryptogram.length - 6]! ^= 1; // last cryptogram byte, before the counter and SW
    expect(() => scp03HostExternalAuthenticate(a.state, badCryptogram)).toThrow(ScpAuthenticationError);
    const b = scp03HostExternalAuthenticate(a.state, c1.output.response);
    for (const index of [5, b.output.length - 1]) {
      const tampered = b.output.slice();
      tampered[index]! ^= 0x80;
      try {
        scp03CardExternalAuthenticate(c1.state, tampered);
        throw new Error('accepted');
      } catch (error) {
        expect(error).toBeInstanceOf(ScpAuthenticationError);
        expect((error as ScpAuthenticationError).statusWord).toBe(0x6982);
      }
    }
    // A host with other keys: the card cryptogram does not verify.
    const stranger = scp03HostInitializeUpdate({ keys: scp03Keys(16, seededRandom(99)), keyVersion: 0x30, securityLevel: 0x33, random: seededRandom(4) });
    expect(() => scp03HostExternalAuthenticate(stranger.state, c1.output.response)).toThrow(ScpAuthenticationError);
  });

  it('refuses levels the card does not offer, unknown key versions and other instructions', () => {
    const ks = keyset(0x10); // pseudo-random challenge, no R-MAC, no R-ENC
    const a = scp03HostInitializeUpdate({ keys: ks.keys, keyVersion: 0x30, securityLevel: 0x33, random: seededRandom(5) });
    const c1 = scp03CardInitializeUpdate({ keyset: ks, sequenceCounter: 1, aid }, a.output);
    expect(() => scp03HostExternalAuthenticate(a.state, c1.output.response)).toThrow(expect.objectContaining({ statusWord: 0x6a86 }));
    const wrongKvn = scp03HostInitializeUpdate({ keys: ks.keys, keyVersion: 0x31, securityLevel: 0x03, random: seededRandom(5) });
    expect(() => scp03CardInitializeUpdate({ keyset: ks, sequenceCounter: 1, aid }, wrongKvn.output)).toThrow(expect.objectContaining({ statusWord: 0x6a88 }));
    expect(() => scp03CardInitializeUpdate({ keyset: ks, sequenceCounter: 1, aid }, Uint8Array.of(0x80, 0xca, 0, 0))).toThrow(expect.objectContaining({ statusWord: 0x6d00 }));
    expect(() => scp03CardInitializeUpdate({ keyset: ks, sequenceCounter: 1, aid }, Uint8Array.of(0x80, 0x50, 0, 0, 2, 1, 2))).toThrow('host challenge: expected 8 bytes, got 2');
  });

  it('reports the card status when EXTERNAL AUTHENTICATE or INITIALIZE UPDATE is refused', () => {
    const ks = keyset();
    const a = scp03HostInitializeUpdate({ keys: ks.keys, keyVersion: 0x30, securityLevel: 0x33, random: seededRandom(6) });
    expect(() => scp03HostExternalAuthenticate(a.state, Uint8Array.of(0x6a, 0x88))).toThrow(ApduError);
    const c1 = scp03CardInitializeUpdate({ keyset: ks, sequenceCounter: 1, aid }, a.output);
    const b = scp03HostExternalAuthenticate(a.state, c1.output.response);
    expect(() => scp03HostComplete(b.state, Uint8Array.of(0x69, 0x82))).toThrow(expect.objectContaining({ statusWord: 0x6982 }));
    expect(() => scp03HostComplete(a.state as never, Uint8Array.of(0x90, 0))).toThrow(ScpProtocolError);
  });
});
