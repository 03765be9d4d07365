/**
 * The relay and the party backends wired together in one process, for headless runs on the
 * embedded database (DESIGN.md Decision 16). The same domain code as the web app's HTTP routes;
 * only the transports differ: the relay delivers to a party by calling its inbox, a party posts
 * downlink by calling the relay under its own party id.
 */
import type { DbClient } from '@hydra/db';
import { createManufacturerCa, Relay, type PartyTransport } from '@hydra/dcc';
import type { RandomSource } from '@hydra/globalplatform';
import { enrolMeter, loadChannelKey, PARTIES, receiveUplink, SUPPLIER_PARTY_ID, type SupplierContext } from '@hydra/suppliers';


/** Options for {@link createInProcessWorld}. */
export interface InProcessWorldOptions {
  db: DbClient;
  random: RandomSource;
  supplierKek: Uint8Array;
  /** The manufacturer CA's private key (hex): certifies meters at registration, server-side. */
  manufacturerCaKeyHex: string;
  now: () => Date;
}

/** The wired services. */
export interface InProcessWorld {
  relay: Relay;
  supplier: SupplierContext;
  /** Registers every party with the relay (the supplier with its channel public key). */
  registerParties(): Promise<void>;
}

/** Wires relay and supplier together in-process. */
export function createInProcessWorld(options: InProcessWorldOptions): InProcessWorld {
  const { db, random } = options;
  const manufacturer = createManufacturerCa({ privateKeyHex: options.manufacturerCaKeyHex, random });
  const supplier: SupplierContext = {
    db,
    kek: options.supplierKek,
    random,
    relay: { postDownlink: (bytes) => relay.acceptDownlink(SUPPLIER_PARTY_ID, bytes) },
    trustAnchors: [manufacturer.anchor],
    now: () => options.now().getTime(),
  };
  const transport: PartyTransport = {
    async deliver(partyId, envelope) {
      if (partyId !== SUPPLIER_PARTY_ID) throw new Error(`no backend for ${partyId}`);
      return (await receiveUplink({ context: supplier, envelope })).status;
    },
    async announceMeter(partyId, announcement) {
      if (partyId !== SUPPLIER_PARTY_ID) return;
      const world = await db.world.findUniqueOrThrow({ where: { id: announcement.worldId } });
      await enrolMeter({ context: supplier, ...announcement, startDate: world.startDate });
    },
    // Headless runs host the supplier only; no consent-gated party is enrolled, so none withdraws.
    async withdrawMeter() {},
  };
  const relay: Relay = new Relay({ db, transport, random, now: options.now, manufacturer });
  return {
    relay,
    supplier,
    async registerParties() {
      const key = await loadChannelKey(supplier);
      for (const party of PARTIES) {
        await relay.registerParty({ ...party, publicKey: party.id === SUPPLIER_PARTY_ID ? key.publicKey : null });
      }
    },
  };
}
