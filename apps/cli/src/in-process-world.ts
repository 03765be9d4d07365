/**
 * The relay and the three party backends — energy supplier, DNO, telecare provider — wired
 * together in one process, for headless runs on the embedded database (DESIGN.md Decision 16). The
 * same domain code as the web app's HTTP routes (`apps/web/app/api/<party>/{inbox,meters,
 * withdrawals}`, `lib/server/services.ts`); only the transports differ: the relay delivers to a
 * party by calling its inbox and announces or withdraws a meter by calling the party, and a party
 * posts downlink (and, for telecare, carries a meter's proof of consent) by calling the relay under
 * its own party id. Each party's context holds only that party's key-encryption key.
 */
import type { DbClient } from '@hydra/db';
import { createManufacturerCa, DeliveryRefusedError, Relay, type DeliveryOutcome, type PartyTransport } from '@hydra/dcc';
import type { RandomSource } from '@hydra/globalplatform';
import {
  admitHome,
  DNO_PARTY_ID,
  enrolDnoMeter,
  enrolMeter,
  PartyError,
  receiveDnoUplink,
  receiveTelecareUplink,
  receiveUplink,
  registerParties,
  SUPPLIER_PARTY_ID,
  TELECARE_PARTY_ID,
  withdrawHome,
  type DnoContext,
  type RelayClient,
  type SupplierContext,
  type TelecareContext,
} from '@hydra/suppliers';

/** Each party's key-encryption key (32 bytes): it seals that party's keys and sessions at rest. */
export interface PartyKeks {
  supplier: Uint8Array;
  dno: Uint8Array;
  telecare: Uint8Array;
}

/** Options for {@link createInProcessWorld}. */
export interface InProcessWorldOptions {
  db: DbClient;
  random: RandomSource;
  keks: PartyKeks;
  /** The manufacturer CA's private key (hex): certifies meters at registration, server-side. */
  manufacturerCaKeyHex: string;
  now: () => Date;
}

/** The wired services. */
export interface InProcessWorld {
  relay: Relay;
  supplier: SupplierContext;
  dno: DnoContext;
  telecare: TelecareContext;
  /** Registers every party with the relay, with the public keys it publishes (see `registerParties`). */
  registerParties(): Promise<void>;
}

/**
 * A party's inbox answer, with a refusal for good (409: an answer to nothing in flight, a reused
 * id) turned into the relay's dead-letter-at-once signal — what the web's transport does with a 409.
 */
async function delivered(receive: () => Promise<{ status: DeliveryOutcome }>): Promise<DeliveryOutcome> {
  try {
    return (await receive()).status;
  } catch (error) {
    if (error instanceof PartyError && error.status === 409) throw new DeliveryRefusedError(error.message);
    throw error;
  }
}

/** Wires the relay and the party backends together in-process. */
export function createInProcessWorld(options: InProcessWorldOptions): InProcessWorld {
  const { db, random } = options;
  const manufacturer = createManufacturerCa({ privateKeyHex: options.manufacturerCaKeyHex, random });
  // Each party reaches the relay under its own party id (the web's credential check, in-process).
  const relayClient = (partyId: string): RelayClient => ({ postDownlink: (bytes) => relay.acceptDownlink(partyId, bytes) });
  const base = { db, random, trustAnchors: [manufacturer.anchor], now: () => options.now().getTime() };
  const supplier: SupplierContext = { ...base, kek: options.keks.supplier, relay: relayClient(SUPPLIER_PARTY_ID) };
  const dno: DnoContext = { ...base, kek: options.keks.dno, relay: relayClient(DNO_PARTY_ID) };
  const telecare: TelecareContext = {
    ...base,
    kek: options.keks.telecare,
    // The provider carries a meter's proof of consent to the relay; the relay checks it and announces the home.
    relay: { ...relayClient(TELECARE_PARTY_ID), enrol: (proof) => relay.enrol(TELECARE_PARTY_ID, proof) },
  };
  const transport: PartyTransport = {
    async deliver(partyId, envelope) {
      if (partyId === SUPPLIER_PARTY_ID) return delivered(() => receiveUplink({ context: supplier, envelope }));
      if (partyId === DNO_PARTY_ID) return delivered(() => receiveDnoUplink({ context: dno, envelope }));
      if (partyId === TELECARE_PARTY_ID) return delivered(() => receiveTelecareUplink({ context: telecare, envelope }));
      throw new Error(`no backend for ${partyId}`);
    },
    async announceMeter(partyId, announcement) {
      if (partyId === SUPPLIER_PARTY_ID) {
        const world = await db.world.findUniqueOrThrow({ where: { id: announcement.worldId } });
        await enrolMeter({ context: supplier, ...announcement, startDate: world.startDate });
      } else if (partyId === DNO_PARTY_ID) {
        await enrolDnoMeter({ context: dno, ...announcement });
      } else if (partyId === TELECARE_PARTY_ID) {
        // Only after the relay checked the meter's proof of consent (a consent-gated party).
        await admitHome({ context: telecare, ...announcement });
      }
    },
    async withdrawMeter(partyId, withdrawal) {
      if (partyId === TELECARE_PARTY_ID) await withdrawHome({ context: telecare, ...withdrawal });
    },
  };
  const relay: Relay = new Relay({ db, transport, random, now: options.now, manufacturer });
  return { relay, supplier, dno, telecare, registerParties: () => registerParties({ relay, supplier, dno }) };
}
