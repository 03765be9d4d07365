import { describe, expect, it } from 'vitest';
import { openScp03, roundTrip } from '../test/fixtures';
import { type CommandApdu, encodeCommandApdu, parseCommandApdu } from './apdu';
import { bytesToHex, hexToBytes } from './bytes';
import { ScpAuthenticationError, ScpProtocolError } from './errors';
import type { Scp03Session } from './scp03-session';
import { pad80, scp03UnwrapCommand, scp03UnwrapResponse, scp03WrapCommand, scp03WrapResponse, unpad80 } from './secure-messaging';

const command = (data = '5c015a', ne?: number): CommandApdu => ({ cla: 0x80, ins: 0xe2, p1: 0x91, p2: 0x00, data: hexToBytes(data), ...(ne === undefined ? {} : { ne }) });

/** One full exchange: host wraps, card unwraps, card wraps the response, host unwraps. */
function exchange(host: Scp03Session, card: Scp03Session, plain: CommandApdu, responseData: Uint8Array, sw = 0x9000) {
  const w = scp03WrapCommand(host, plain);
  const u = scp03UnwrapCommand(card, w.output);
  const r = scp03WrapResponse(u.state, { data: responseData, sw });
  const o = scp03UnwrapResponse(w.state, r.output);
  return { host: o.state, card: r.state, wrapped: w.output, command: u.output, response: o.output, wrappedResponse: r.output };
}

function expect6982(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ScpAuthenticationError);
    expect((error as ScpAuthenticationError).statusWord).toBe(0x6982);
    return;
  }
  throw new Error('expected ScpAuthenticationError');
}

describe('SCP03 secure messaging (GP Amendment D §6.2.4–§6.2.7)', () => {
  for (const level of [0x01, 0x03, 0x11, 0x13, 0x33] as const) {
    for (const macLength of [8, 16] as const) {
      it(`carries commands and responses both ways at level ${level.toString(16)}, S${macLength}`, () => {
        let { host, card } = openScp03({ level, macLength });
        for (let i = 0; i < 4; i++) {
          const data = new Uint8Array(i * 13).fill(i);
          const answer = new Uint8Array(i * 7 + 1).fill(0x40 + i);
          const x = exchange(host, card, command(bytesToHex(data), 256), answer);
          expect(x.command.data).toEqual(data);
          expect(x.command.cla).toBe(0x80);
          expect(x.response).toEqual({ data: answer, sw: 0x9000 });
          const encrypted = (level & 0x02) !== 0 && data.length > 0;
          expect(bytesToHex(x.wrapped).includes(bytesToHex(data)) && data.length > 0).toBe(data.length > 0 && !encrypted);
          host = x.host;
          card = x.card;
        }
        expect(host.encryptionCounter).toBe(4);
      });
    }
  }

  it('encrypts with C-DECRYPTION and pads with 80 00…; the counter moves even without data', () => {
    const { host } = openScp03({ level: 0x03 });
    const empty = scp03WrapCommand(host, command(''));
    expect(empty.state.encryptionCounter).toBe(1);
    expect(parseCommandApdu(empty.output).data.length).toBe(8); // MAC only
    const full = scp03WrapCommand(empty.state, command('00'.repeat(16)));
    expect(parseCommandApdu(full.output).data.length).toBe(32 + 8); // 16 bytes pad to 32
    expect(full.state.encryptionCounter).toBe(2);
  });

  it('uses extended length when the wrapped data exceeds 255 bytes', () => {
    const { host, card } = openScp03({ level: 0x33 });
    const x = exchange(host, card, command('ab'.repeat(300), 65536), new Uint8Array(1000).fill(9));
    expect(parseCommandApdu(x.wrapped).extended).toBe(true);
    expect(x.command.data.length).toBe(300);
    expect(x.response.data.length).toBe(1000);
  });

  it('refuses a replayed or reordered command (the MAC chaining value), leaving the state unchanged', () => {
    const { host, card } = openScp03();
    const first = scp03WrapCommand(host, command('01'));
    const second = scp03WrapCommand(first.state, command('02'));
    const before = structuredClone(card);
    expect6982(() => scp03UnwrapCommand(card, second.output)); // reordered
    expect(card).toEqual(before);
    const u1 = scp03UnwrapCommand(card, first.output);
    expect6982(() => scp03UnwrapCommand(u1.state, first.output)); // replayed
    expect(scp03UnwrapCommand(u1.state, second.output).output.data).toEqual(hexToBytes('02'));
  });

  it('refuses every single-bit flip in a wrapped command and in a wrapped response', () => {
    const { host, card } = openScp03();
    const w = scp03WrapCommand(host, command('11223344', 256));
    for (let bit = 0; bit < w.output.length * 8; bit++) {
      const tampered = w.output.slice();
      tampered[bit >> 3]! ^= 1 << (bit & 7);
      if (bit >> 3 === 0 && ((1 << (bit & 7)) & 0x03) !== 0) continue; // logical channel bits are not MACed by design
      if ((bit >> 3) === w.output.length - 1) continue; // Le is not MACed by design
      expect6982(() => scp03UnwrapCommand(card, tampered));
    }
    const u = scp03UnwrapCommand(card, w.output);
    const r = scp03WrapResponse(u.state, { data: hexToBytes('cafe'), sw: 0x9000 });
    for (let bit = 0; bit < r.output.length * 8; bit++) {
      const tampered = r.output.slice();
      tampered[bit >> 3]! ^= 1 << (bit & 7);
      expect(() => scp03UnwrapResponse(w.state, tampered)).toThrow();
    }
  });

  it('refuses a response when none is awaited (replayed response) and one without R-MAC', () => {
    const { host, card } = openScp03();
    const x = exchange(host, card, command('01'), hexToBytes('aa'));
    expect6982(() => scp03UnwrapResponse(x.host, x.wrappedResponse));
    const w = scp03WrapCommand(x.host, command('02'));
    expect6982(() => scp03UnwrapResponse(w.state, hexToBytes('aa9000')));
    expect6982(() => scp03UnwrapResponse(w.state, hexToBytes('90')));
  });

  it('sends error status words bare (no data, no R-MAC) and accepts them bare', () => {
    const { host, card } = openScp03();
    const x = exchange(host, card, command('01'), hexToBytes('aabb'), 0x6a82);
    expect(bytesToHex(x.wrappedResponse)).toBe('6a82');
    expect(x.response).toEqual({ data: new Uint8Array(0), sw: 0x6a82 });
    const w = scp03WrapCommand(x.host, command('02'));
    expect6982(() => scp03UnwrapResponse(w.state, hexToBytes('aa6a82')));
  });

  it('survives a JSON round trip between every step (database / IndexedDB persistence)', () => {
    let { host, card } = openScp03({ size: 32 });
    for (let i = 0; i < 3; i++) {
      const w = scp03WrapCommand(roundTrip(host), command('0102', 256));
      const u = scp03UnwrapCommand(roundTrip(card), w.output);
      const r = scp03WrapResponse(roundTrip(u.state), { data: Uint8Array.of(i), sw: 0x9000 });
      const o = scp03UnwrapResponse(roundTrip(w.state), r.output);
      expect(o.output.data).toEqual(Uint8Array.of(i));
      host = o.state;
      card = r.state;
    }
  });

  it('refuses commands without secure messaging, wrong roles, wrapping twice and an exhausted counter', () => {
    const { host, card } = openScp03();
    expect6982(() => scp03UnwrapCommand(card, encodeCommandApdu(command('01'))));
    expect(() => scp03WrapCommand(card, command())).toThrow(ScpProtocolError);
    expect(() => scp03UnwrapCommand(host, new Uint8Array(4))).toThrow(ScpProtocolError);
    expect(() => scp03WrapResponse(card, { data: new Uint8Array(0), sw: 0x9000 })).toThrow(ScpProtocolError);
    expect(() => scp03WrapCommand(host, { ...command(), cla: 0x84 })).toThrow(RangeError);
    expect(() => scp03WrapCommand({ ...host, encryptionCounter: 0xffffffff }, command())).toThrow(ScpProtocolError);
    expect(() => scp03WrapCommand({ ...host, macChainingValue: 'xyz' }, command())).toThrow(TypeError);
  });

  it('pads by ISO/IEC 9797-1 method 2 and unpads strictly', () => {
    expect(bytesToHex(pad80(hexToBytes('01')))).toBe('0180' + '00'.repeat(14));
    expect(pad80(new Uint8Array(16)).length).toBe(32);
    expect(unpad80(pad80(hexToBytes('0102')))).toEqual(hexToBytes('0102'));
    expect(unpad80(new Uint8Array(16))).toBeUndefined();
    expect(unpad80(hexToBytes('01'.repeat(16)))).toBeUndefined();
    expect(unpad80(new Uint8Array(15))).toBeUndefined();
  });
});
