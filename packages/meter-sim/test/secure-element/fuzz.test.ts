/**
 * Seeded fuzz of the card manager (STYLE.md rule 15): a few thousand random and mutated APDUs on
 * plain channels and on an open secure channel. The card must never throw, must always answer with
 * a status word, and a rejected command must change nothing but the event log (and, for a command
 * that passed secure messaging, that channel's MAC chain). FUZZ_SEED / SE_FUZZ_ITERATIONS override.
 * The 100k-input fuzz of the codecs lives in packages/globalplatform.
 */
import { describe, expect, it } from 'vitest';
import { buildGetCertificatesCommand, encodeCommandApdu, hexToBytes, parseResponseApdu, scp03HostInitializeUpdate, scp11HostStart, type RandomSource } from '@hydra/globalplatform';
import { forkPrng } from '../../src/prng';
import { makeWorld, probeSource } from './fixture';
import { appletCommand, deleteCommand, getStatusCommand, hydraAid, installForLoadCommand, ISSUER_AID, selectCommand, storeDataCommands, type SecureElementState } from '../../src/secure-element/index';

const SEED = process.env.FUZZ_SEED ?? 'secure-element-fuzz';
const ITERATIONS = Number(process.env.SE_FUZZ_ITERATIONS ?? 3000);

function withoutEvents(state: SecureElementState, exceptSessionOf?: string): string {
  const channels = Object.fromEntries(Object.entries(state.channels).map(([id, channel]) => [id, id === exceptSessionOf ? { ...channel, session: null } : channel]));
  return JSON.stringify({ ...state, events: [], channels });
}

function isSuccess(sw: number): boolean {
  return sw === 0x9000 || (sw & 0xff00) === 0x6100 || (sw & 0xff00) === 0x6200 || (sw & 0xff00) === 0x6300;
}

describe('seeded fuzz of the card manager', () => {
  it(`survives ${ITERATIONS} random and mutated APDUs: always a status word, no change on rejection`, () => {
    const prng = forkPrng(SEED, 'inputs');
    const keys = forkPrng(SEED, 'keys');
    const random: RandomSource = (length) => Uint8Array.from({ length }, () => keys.int(0, 255));
    const bytes = (length: number) => Uint8Array.from({ length }, () => prng.int(0, 255));
    const world = makeWorld({ random });
    const host = world.open('supplier', 'secure');
    const source = probeSource();
    world.load(host, 'supplier', 'probe', world.loadFile('supplier', source), source);
    world.install(host, 'probe', 'probe');

    const seeds: Uint8Array[] = [
      encodeCommandApdu(selectCommand(ISSUER_AID)),
      encodeCommandApdu(selectCommand(world.sdAid('dno'))),
      encodeCommandApdu(selectCommand(hydraAid('applet', 'probe'))),
      buildGetCertificatesCommand(1, 0x13),
      scp03HostInitializeUpdate({ keys: { enc: new Uint8Array(16), mac: new Uint8Array(16), dek: new Uint8Array(16) }, keyVersion: 0, securityLevel: 0x33, random }).output,
      scp11HostStart({ variant: 'b', keyVersion: 1, sdPublicKey: hexToBytes(world.se.state.registry.domains[world.sdAid('dno')]!.scp11.publicKey), random }).output[0] ?? new Uint8Array(4),
      encodeCommandApdu(installForLoadCommand({ elfAid: hydraAid('elf', 'x'), hash: '00'.repeat(32) })),
      encodeCommandApdu(deleteCommand(hydraAid('elf', 'probe'))),
      encodeCommandApdu(getStatusCommand(0x40)),
      encodeCommandApdu(storeDataCommands({ a: 1 })[0]!),
      encodeCommandApdu(appletCommand('put', { key: 'x', value: 1 })),
    ];
    const wrappable = [getStatusCommand(0x40), getStatusCommand(0x20), selectCommand(hydraAid('applet', 'probe')), selectCommand(world.sdAid('supplier')), appletCommand('get', { key: 'x' }), deleteCommand(ISSUER_AID)];
    const insList = [0xa4, 0xca, 0xe6, 0xe8, 0xe4, 0xf2, 0xd8, 0xe2, 0xf0, 0xc0, 0xd0, 0x50, 0x82, 0x88, 0x2a];

    const counts = { rejected: 0, accepted: 0, secured: 0 };
    for (let i = 0; i < ITERATIONS; i++) {
      const kind = prng.int(0, 9);
      let apdu: Uint8Array;
      let channel = prng.pick(['fz0', 'fz1', 'fz2']);
      let securedAttempt = false;
      if (kind <= 2) {
        apdu = bytes(prng.int(0, 300));
      } else if (kind <= 5) {
        const data = bytes(prng.pick([0, 0, 1, 5, 8, 16, 33, 80, 255]));
        const header = [prng.pick([0x00, 0x80, 0x84, 0x04, 0x40, 0xa0, prng.int(0, 0xfe)]), prng.chance(0.8) ? prng.pick(insList) : prng.int(0, 255), prng.pick([0, 0x02, 0x04, 0x0c, 0x20, 0x40, 0x80, 0xbf, prng.int(0, 255)]), prng.pick([0, 0x02, 0x21, 0x80, 0x81, prng.int(0, 255)])];
        const le = prng.chance(0.3) ? [prng.int(0, 255)] : [];
        apdu = Uint8Array.from([...header, ...(data.length ? [data.length] : []), ...data, ...le]);
        if (prng.chance(0.1)) apdu = apdu.slice(0, prng.int(0, apdu.length));
      } else if (kind <= 7) {
        apdu = prng.pick(seeds).slice();
        const flips = prng.int(1, 4);
        for (let f = 0; f < flips && apdu.length > 0; f++) apdu[prng.int(0, apdu.length - 1)] = prng.int(0, 255);
        if (prng.chance(0.2)) apdu = Uint8Array.from([...apdu, ...bytes(prng.int(1, 4))]);
      } else {
        // Wrapped commands on the open secure channel: sometimes intact, sometimes mutated or replayed.
        channel = 'secure';
        securedAttempt = true;
        const wrapped = host.wrap(prng.pick(wrappable));
        apdu = wrapped;
        if (prng.chance(0.6)) {
          apdu = wrapped.slice();
          const at = prng.int(5, Math.max(5, apdu.length - 1));
          apdu[at] = (apdu[at] ?? 0) ^ (1 << prng.int(0, 7));
        }
      }
      const before = world.se.state;
      const snapshot = withoutEvents(before);
      let result: ReturnType<typeof world.se.process> | undefined;
      expect(() => {
        result = world.se.process({ channel, apdu });
      }, `input ${i}: ${Buffer.from(apdu).toString('hex')}`).not.toThrow();
      const response = result!.response;
      expect(response.length).toBeGreaterThanOrEqual(2);
      const sw = parseResponseApdu(response).sw;
      if (securedAttempt) {
        counts.secured++;
        // Keep the host in step: after a refused unwrap the card's chain did not move, so re-sync the host from the card.
        const cardSession = world.se.state.channels.secure?.session;
        if (cardSession) host.session = { ...cardSession, role: 'host', awaitingResponse: false };
      }
      if (isSuccess(sw)) {
        counts.accepted++;
        continue;
      }
      counts.rejected++;
      expect(withoutEvents(world.se.state, securedAttempt ? 'secure' : undefined), `input ${i} (${sw.toString(16)}) changed the state`).toBe(securedAttempt ? withoutEvents(before, 'secure') : snapshot);
    }
    expect(counts.rejected).toBeGreaterThan(ITERATIONS / 2);
    expect(counts.accepted).toBeGreaterThan(0);
    expect(counts.secured).toBeGreaterThan(ITERATIONS / 10);
    expect(world.se.state.registry.applets[hydraAid('applet', 'probe')]).toBeDefined();
  });
});
