import { describe, expect, it } from 'vitest';
import { utf8ToBytes } from './bytes';
import { createEcdhChannel } from './ecdh-channel';
import { generateKeyPair } from './keys';
import { ChannelAuthenticationError } from './secure-channel';

// WebCrypto's global getRandomValues: unit tests beside the unit stay free of node: imports (lint rule).
const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

function pair(context = 'meter-1/supplier') {
  const card = generateKeyPair(random);
  const host = generateKeyPair(random);
  return {
    card: createEcdhChannel({ role: 'card', privateKey: card.privateKey, peerPublicKey: host.publicKey, context, random }),
    host: createEcdhChannel({ role: 'host', privateKey: host.privateKey, peerPublicKey: card.publicKey, context, random }),
    keys: { card, host },
  };
}

describe('ECDH walking-skeleton channel', () => {
  it('opens at the other end what one end sealed, in both directions', () => {
    const { card, host } = pair();
    const aad = utf8ToBytes('header');
    expect(host.open(card.seal(utf8ToBytes('bill'), aad), aad)).toEqual(utf8ToBytes('bill'));
    expect(card.open(host.seal(utf8ToBytes('collect'), aad), aad)).toEqual(utf8ToBytes('collect'));
  });

  it('refuses a message reflected back to its sender (direction keys differ)', () => {
    const { card } = pair();
    const aad = new Uint8Array(0);
    expect(() => card.open(card.seal(utf8ToBytes('x'), aad), aad)).toThrow(ChannelAuthenticationError);
  });

  it('refuses tampering with ciphertext, tag or associated data', () => {
    const { card, host } = pair();
    const aad = utf8ToBytes('meter-1');
    const sealed = card.seal(utf8ToBytes('amount 12345'), aad);
    for (const index of [0, 12, sealed.length - 1]) {
      const tampered = sealed.slice();
      tampered[index]! ^= 1;
      expect(() => host.open(tampered, aad)).toThrow(ChannelAuthenticationError);
    }
    expect(() => host.open(sealed, utf8ToBytes('meter-2'))).toThrow(ChannelAuthenticationError);
    expect(() => host.open(sealed.slice(0, 20), aad)).toThrow(ChannelAuthenticationError);
  });

  it('gives unrelated channels for another context or another party key', () => {
    const { card, keys } = pair('meter-1/supplier');
    const aad = new Uint8Array(0);
    const sealed = card.seal(utf8ToBytes('x'), aad);
    const otherContext = createEcdhChannel({ role: 'host', privateKey: keys.host.privateKey, peerPublicKey: keys.card.publicKey, context: 'meter-1/dno', random });
    expect(() => otherContext.open(sealed, aad)).toThrow(ChannelAuthenticationError);
    const stranger = generateKeyPair(random);
    const otherParty = createEcdhChannel({ role: 'host', privateKey: stranger.privateKey, peerPublicKey: keys.card.publicKey, context: 'meter-1/supplier', random });
    expect(() => otherParty.open(sealed, aad)).toThrow(ChannelAuthenticationError);
  });
});
