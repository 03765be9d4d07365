import { describe, expect, it } from 'vitest';
import { openScp03, openScp11, roundTrip } from '../test/fixtures';
import { utf8ToBytes } from './bytes';
import { ScpProtocolError } from './errors';
import { createScp03Channel } from './scp03-channel';
import { ChannelAuthenticationError } from './secure-channel';
import type { Scp03Session } from './scp03-session';

describe('SecureChannel adapter over SCP03 level 33', () => {
  it('carries payloads host → card → host, binding the associated data, and exposes state to persist', () => {
    const { host, card } = openScp11('b');
    const saved: Scp03Session[] = [];
    const h = createScp03Channel({ session: host, onStateChange: (s) => saved.push(s) });
    const c = createScp03Channel({ session: card });
    const aad = utf8ToBytes('routing header');
    for (let i = 0; i < 3; i++) {
      expect(c.open(h.seal(utf8ToBytes(`collect ${i}`), aad), aad)).toEqual(utf8ToBytes(`collect ${i}`));
      expect(h.open(c.seal(utf8ToBytes(`bill ${i}`), aad), aad)).toEqual(utf8ToBytes(`bill ${i}`));
    }
    expect(saved.length).toBe(6);
    expect(h.role).toBe('host');
    // Resume from the persisted state in a new channel object.
    const resumed = createScp03Channel({ session: roundTrip(h.state) });
    expect(c.open(resumed.seal(utf8ToBytes('again'), aad), aad)).toEqual(utf8ToBytes('again'));
  });

  it('refuses other associated data, replays and tampering with ChannelAuthenticationError', () => {
    const { host, card } = openScp03();
    const h = createScp03Channel({ session: host });
    const c = createScp03Channel({ session: card });
    const sealed = h.seal(utf8ToBytes('x'), utf8ToBytes('meter-1'));
    const before = c.state;
    expect(() => c.open(sealed, utf8ToBytes('meter-2'))).toThrow(ChannelAuthenticationError);
    expect(c.state).toBe(before);
    c.open(sealed, utf8ToBytes('meter-1'));
    expect(() => c.open(sealed, utf8ToBytes('meter-1'))).toThrow(ChannelAuthenticationError);
    const reply = c.seal(utf8ToBytes('y'), new Uint8Array(0));
    const tampered = reply.slice();
    tampered[0]! ^= 1;
    expect(() => h.open(tampered, new Uint8Array(0))).toThrow(ChannelAuthenticationError);
    expect(h.open(reply, new Uint8Array(0))).toEqual(utf8ToBytes('y'));
  });

  it('refuses sessions below level 33 and a card that speaks first', () => {
    expect(() => createScp03Channel({ session: openScp03({ level: 0x13 }).host })).toThrow(RangeError);
    const c = createScp03Channel({ session: openScp03().card });
    expect(() => c.seal(utf8ToBytes('unsolicited'), new Uint8Array(0))).toThrow(ScpProtocolError);
  });
});
