import { describe, expect, it } from 'vitest';
import { issueCertificate, generateKeyPair, parseResponseApdu, scp03UnwrapResponse, scp11HostFinish, scp11HostStart, utf8ToBytes, verifyCertificateChain, parseGetCertificatesResponse, buildGetCertificatesCommand, ScpAuthenticationError } from '@hydra/globalplatform';
import { makeWorld, probeSource, secureRandom, swOf } from './fixture';
import { appletCommand, caTrustAnchor, createSecureElement, getStatusCommand, hydraAid, HostChannel, selectCommand, transmit } from '../../src/secure-element/index';
import { compile } from './fixture';

const PROBE = hydraAid('applet', 'probe');

describe('GP Amendment D §6.2.4 anti-replay: MAC chaining', () => {
  it('refuses a reordered command (6982) with the state unchanged, then a replayed one', () => {
    const world = makeWorld();
    const host = world.open('supplier');
    const source = probeSource();
    world.load(host, 'supplier', 'probe', world.loadFile('supplier', source), source);
    world.install(host, 'probe', 'probe');
    host.send(selectCommand(PROBE));
    const first = host.wrap(appletCommand('put', { key: 'n', value: 1 }));
    const hostAfterFirst = host.session;
    const second = host.wrap(appletCommand('put', { key: 'n', value: 2 }));
    const before = structuredClone(world.se.state);
    // Reordered: the second command before the first.
    expect(swOf(host.exchange(second))).toBe(0x6982);
    expect(world.se.state).toEqual(before);
    // In order, the first goes through.
    host.session = { ...hostAfterFirst, awaitingResponse: true };
    const response = host.unwrap(host.exchange(first));
    expect(response.sw).toBe(0x9000);
    const afterFirst = structuredClone(world.se.state);
    // Replayed: the same bytes again.
    expect(swOf(host.exchange(first))).toBe(0x6982);
    expect(world.se.state).toEqual(afterFirst);
    expect(world.se.state.registry.applets[PROBE]?.storage).toEqual({ n: 1 });
    // A command with a flipped ciphertext byte is refused the same way (the last bytes are Le, outside the MAC).
    const forged = host.wrap(appletCommand('put', { key: 'n', value: 3 }));
    forged[10] = (forged[10] ?? 0) ^ 1;
    expect(swOf(host.exchange(forged))).toBe(0x6982);
    expect(world.se.state).toEqual(afterFirst);
  });

  it('answers a CLA 84 command on a channel without a session with 6982 and changes nothing', () => {
    const world = makeWorld();
    const before = structuredClone(world.se.state);
    expect(swOf(transmit(world.se, 'none', Uint8Array.of(0x84, 0xf2, 0x40, 0x02, 0x08, 1, 2, 3, 4, 5, 6, 7, 8)))).toBe(0x6982);
    expect(world.se.state).toEqual(before);
  });

  it('wraps responses with R-MAC and R-ENC at level 33: a flipped response byte fails on the host', () => {
    const world = makeWorld();
    const host = world.open('dno');
    const raw = host.exchange(host.wrap(getStatusCommand(0x40)));
    const parsed = parseResponseApdu(raw);
    expect(parsed.sw).toBe(0x9000);
    expect(parsed.data[0]).not.toBe(0xe3); // encrypted, not the plain E3 template
    const tampered = raw.slice();
    tampered[0] = (tampered[0] ?? 0) ^ 1;
    expect(() => scp03UnwrapResponse(host.session, tampered)).toThrow(ScpAuthenticationError);
    expect(host.unwrap(raw).data[0]).toBe(0xe3);
  });

  it('keeps the session per logical channel and per domain', () => {
    const world = makeWorld();
    const a = world.open('supplier', 'a');
    const b = world.open('dno', 'b');
    expect(a.send(getStatusCommand(0x40)).sw).toBe(0x9000);
    expect(b.send(getStatusCommand(0x40)).sw).toBe(0x9000);
    expect(world.se.state.channels.a?.sdAid).toBe(world.sdAid('supplier'));
    expect(world.se.state.channels.b?.sdAid).toBe(world.sdAid('dno'));
    // b's wrapped bytes sent on a's channel are refused (wrong keys).
    expect(swOf(world.se.process({ channel: 'a', apdu: b.wrap(getStatusCommand(0x40)) }).response)).toBe(0x6982);
  });
});

describe('GP Amendment F §7.5 SCP11a (mutual authentication with an OCE certificate)', () => {
  it('opens SCP11a for a party whose OCE chains to its CA-KLOC, and refuses an OCE from another CA', () => {
    const kloc = generateKeyPair(secureRandom);
    const klocAnchor = { id: utf8ToBytes('supplier-kloc'), publicKey: kloc.publicKey };
    const clock = Date.UTC(2025, 0, 1);
    const ca = { id: utf8ToBytes('hydra-mfr-ca'), privateKey: generateKeyPair(secureRandom).privateKey };
    const se = createSecureElement({ random: secureRandom, now: () => clock, compile, ca, parties: [{ party: 'supplier', oceTrustAnchors: [klocAnchor] }] });
    const sdAid = hydraAid('sd', 'supplier');
    const oce = generateKeyPair(secureRandom);
    const oceCertificate = (issuerKey: Uint8Array) =>
      issueCertificate({ serial: Uint8Array.of(1), issuerId: klocAnchor.id, subjectId: utf8ToBytes('supplier-oce'), role: 'oce', notBefore: 0, notAfter: 0xffffffff, publicKey: oce.publicKey }, issuerKey);
    const open = (channel: string, certificate: Uint8Array) => {
      transmit(se, channel, selectCommand(sdAid));
      const chain = parseGetCertificatesResponse(transmit(se, channel, buildGetCertificatesCommand(1, 0x11)));
      const leaf = verifyCertificateChain(chain, { trustAnchors: [caTrustAnchor(ca)], now: clock / 1000, leafRole: 'sd' });
      const start = scp11HostStart({ variant: 'a', keyVersion: 1, sdPublicKey: leaf.publicKey, random: secureRandom, oceStaticPrivateKey: oce.privateKey, oceCertificates: [certificate] });
      const [pso, mutual] = start.output;
      const psoSw = swOf(transmit(se, channel, pso!));
      if (psoSw !== 0x9000) return psoSw;
      return new HostChannel(se, channel, scp11HostFinish(start.state, transmit(se, channel, mutual!)).state);
    };
    const good = open('good', oceCertificate(kloc.privateKey));
    expect(good).toBeInstanceOf(HostChannel);
    expect((good as HostChannel).send(getStatusCommand(0x40)).sw).toBe(0x9000);
    expect(se.state.channels.good?.session?.origin).toBe('scp11a');
    expect(open('bad', oceCertificate(generateKeyPair(secureRandom).privateKey))).toBe(0x6982);
    expect(se.state.channels.bad?.session ?? null).toBeNull();
  });
});
