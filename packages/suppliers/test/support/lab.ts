/**
 * The relay and the three party backends wired in one process on a real database (as the CLI's
 * in-process world and the web app's HTTP routes wire them), a fleet of simulated meters, and the
 * real comms hub of @hydra/dcc between them. Every envelope the hub takes from or posts to the
 * relay is captured, for the separation test.
 */
import { CommsHub, createManufacturerCa, DeliveryRefusedError, Relay, RelayError, type HubTransport, type ManufacturerCa, type PartyTransport } from '@hydra/dcc';
import type { DbClient } from '@hydra/db';
import { bytesToHex, generateKeyPair, type RandomSource } from '@hydra/globalplatform';
import { randomBytes } from 'node:crypto';
import {
  admitHome,
  enrolDnoMeter,
  enrolMeter,
  loadChannelKey,
  loadCommandKey,
  PARTIES,
  PartyError,
  receiveDnoUplink,
  receiveTelecareUplink,
  receiveUplink,
  withdrawHome,
  type DnoContext,
  type SupplierContext,
  type TelecareContext,
} from '../../src/index';
import { SimulatedMeter, type AppletId } from './simulated-meter';

/** The secure random source of these tests (node:crypto). */
export const random: RandomSource = (n) => new Uint8Array(randomBytes(n));

/** AIDs of the parties' security domains (RID F0 "HYDR", kind 01, the party's name). */
export const DOMAIN_AIDS = { supplier: 'f0485944520173757070', dno: 'f04859445201646e6f', telecare: 'f0485944520174656c65' } as const;

/** One captured envelope, as the hub handed or posted it. */
export interface Captured {
  direction: 'downlink' | 'uplink';
  bytes: Uint8Array;
}

/** Options for {@link createLab}. */
export interface LabOptions {
  db: DbClient;
  worldId: string;
  /** Local date the world starts (YYYY-MM-DD). */
  startDate: string;
  /** Homes: meter id suffix and feeder. */
  homes: { feederId: string }[];
  /** Parties whose domains the meters carry. */
  parties: ('supplier' | 'dno' | 'telecare')[];
  applets: AppletId[];
  /** The cards' clock (UTC ms), also the parties' wall clock. */
  now: () => number;
  /** The parties' KEKs (default: fresh random ones). */
  keks?: { supplier: Uint8Array; dno: Uint8Array; telecare: Uint8Array };
}

/** The wired lab. */
export interface Lab {
  relay: Relay;
  manufacturer: ManufacturerCa;
  supplier: SupplierContext;
  dno: DnoContext;
  telecare: TelecareContext;
  meters: SimulatedMeter[];
  hub: CommsHub;
  captured: Captured[];
  /** Runs `times` wakes of every meter. */
  wake(times?: number): Promise<void>;
}

/** Creates the world rows, the relay, the backends, the meters, and registers the meters. */
export async function createLab(options: LabOptions): Promise<Lab> {
  const { db, worldId } = options;
  const start = new Date(`${options.startDate}T00:00:00Z`);
  await db.world.create({ data: { id: worldId, name: worldId, seed: 's', homeCount: options.homes.length, startDate: options.startDate, clock: start, hostProgress: start } });
  const meterIds = options.homes.map((_, i) => `${worldId}-m${String(i + 1).padStart(4, '0')}`);
  for (const [i, home] of options.homes.entries()) {
    await db.home.create({ data: { id: `${worldId}-h${String(i + 1).padStart(4, '0')}`, worldId, index: i, meterId: meterIds[i] ?? '', archetype: 'family', feederId: home.feederId } });
  }
  const manufacturer = createManufacturerCa({ privateKeyHex: bytesToHex(generateKeyPair(random).privateKey), random });
  const base = { db, random, trustAnchors: [manufacturer.anchor], now: options.now };
  // Each party's own KEK and its own relay credential (here: its party id on the direct call).
  const keks = options.keks ?? { supplier: random(32), dno: random(32), telecare: random(32) };
  const supplier: SupplierContext = { ...base, kek: keks.supplier, relay: { postDownlink: (bytes) => relay.acceptDownlink('supplier', bytes) } };
  const dno: DnoContext = { ...base, kek: keks.dno, relay: { postDownlink: (bytes) => relay.acceptDownlink('dno', bytes) } };
  const telecare: TelecareContext = { ...base, kek: keks.telecare, relay: { postDownlink: (bytes) => relay.acceptDownlink('telecare', bytes), enrol: (proof) => relay.enrol('telecare', proof) } };
  const transport: PartyTransport = {
    async deliver(partyId, envelope) {
      try {
        if (partyId === 'supplier') return (await receiveUplink({ context: supplier, envelope })).status;
        if (partyId === 'dno') return (await receiveDnoUplink({ context: dno, envelope })).status;
        if (partyId === 'telecare') return (await receiveTelecareUplink({ context: telecare, envelope })).status;
      } catch (error) {
        // As the web app's transport: a 409 from the party (an answer to nothing in flight, e.g. to a
        // command of a session the party has since reset) is refused for good, not retried.
        if (error instanceof PartyError && error.status === 409) throw new DeliveryRefusedError(error.message);
        throw error;
      }
      throw new Error(`no backend for ${partyId}`);
    },
    async announceMeter(partyId, announcement) {
      if (partyId === 'supplier') await enrolMeter({ context: supplier, ...announcement, startDate: options.startDate });
      else if (partyId === 'dno') await enrolDnoMeter({ context: dno, ...announcement });
      else if (partyId === 'telecare') await admitHome({ context: telecare, ...announcement });
    },
    async withdrawMeter(partyId, withdrawal) {
      if (partyId === 'telecare') await withdrawHome({ context: telecare, ...withdrawal });
    },
  };
  // The relay's own wall clock (rate limits refill with it), not the simulated world's.
  const relay: Relay = new Relay({ db, transport, random, now: () => new Date(), manufacturer });
  const supplierKey = await loadChannelKey(supplier);
  const commandKey = await loadCommandKey(dno);
  for (const party of PARTIES) {
    await relay.registerParty({ ...party, publicKey: party.id === 'supplier' ? supplierKey.publicKey : party.id === 'dno' ? commandKey.publicKey : null });
  }
  const meters: SimulatedMeter[] = [];
  for (const meterId of meterIds) {
    meters.push(await SimulatedMeter.create({ worldId, meterId, domains: options.parties.map((partyId) => ({ partyId, aid: DOMAIN_AIDS[partyId] })), applets: options.applets, random, now: options.now }));
  }
  const captured: Captured[] = [];
  const hubTransport: HubTransport = {
    async register(registrations) {
      const certificates = [];
      for (const registration of registrations) certificates.push((await relay.registerMeter(registration)).certificates);
      return { certificates };
    },
    async wake(wakeWorld, ids) {
      const pending = await relay.pendingDownlinks(wakeWorld, ids);
      for (const downlink of pending) captured.push({ direction: 'downlink', bytes: downlink.envelope });
      return pending;
    },
    async post(envelopes) {
      const results = [];
      for (const bytes of envelopes) {
        captured.push({ direction: 'uplink', bytes });
        try {
          results.push({ status: (await relay.acceptUplink(bytes)).status });
        } catch (error) {
          if (!(error instanceof RelayError)) throw error;
          results.push({ status: 'refused' as const, code: error.code, message: error.message });
        }
      }
      return results;
    },
    async acknowledge(acks) {
      for (const ack of acks) await relay.acknowledgeDownlinks(ack.meterId, ack.messageIds);
    },
  };
  const hub = new CommsHub({ worldId, transport: hubTransport, persist: async () => undefined });
  const lab: Lab = {
    relay,
    manufacturer,
    supplier,
    dno,
    telecare,
    meters,
    hub,
    captured,
    async wake(times = 1) {
      for (let i = 0; i < times; i++) await hub.cycle(meters);
    },
  };
  await hub.register(meters);
  return lab;
}
