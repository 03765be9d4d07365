/**
 * A party's sealed session rows in its own table (`SupplierSession`, `DnoSession`,
 * `TelecareSession` — one shape, one owner each): the store the generic party session
 * (`party-session.ts`) loads and saves through, with answers saved in the caller's transaction.
 */
import type { DbClient, DbTransaction } from '@hydra/db';
import { copyBytes, type RandomSource, type TrustAnchor } from '@hydra/globalplatform';
import type { PartySessionOptions } from './party-session';
import type { RelayClient } from './relay-client';

/** The columns every party's session table has, as the store uses them. */
export interface SessionTable {
  findUnique(args: { where: { meterId: string } }): Promise<{ sealedState: Uint8Array } | null>;
  upsert(args: {
    where: { meterId: string };
    create: { meterId: string; worldId: string; sealedState: Uint8Array<ArrayBuffer> };
    update: { sealedState: Uint8Array<ArrayBuffer> };
  }): Promise<unknown>;
  deleteMany(args: { where: { meterId: string } }): Promise<unknown>;
}

/** What every party backend is given: its tables, KEK, randomness, relay, trust anchor, clock. */
export interface PartyContext {
  db: DbClient;
  /** The party's key-encryption key (32 bytes), from its own secrets. */
  kek: Uint8Array;
  random: RandomSource;
  relay: RelayClient;
  /** The manufacturer CA (public) that SD certificates must chain to. */
  trustAnchors: TrustAnchor[];
  /** Wall clock, ms (certificate validity, receipts). */
  now: () => number;
}

/**
 * Session options for one party over its own session table.
 * @param table - picks the party's session table from the client or a transaction.
 */
export function partySessionOptions(partyId: string, context: PartyContext, table: (db: DbClient | DbTransaction) => SessionTable): PartySessionOptions<DbTransaction> {
  const { db } = context;
  return {
    partyId,
    kek: context.kek,
    random: context.random,
    now: context.now,
    trustAnchors: context.trustAnchors,
    relay: context.relay,
    store: {
      async load(meterId) {
        const row = await table(db).findUnique({ where: { meterId } });
        return row ? Uint8Array.from(row.sealedState) : null;
      },
      async save(meterId, worldId, sealed, tx) {
        const sealedState = copyBytes(sealed);
        await table(tx ?? db).upsert({ where: { meterId }, create: { meterId, worldId, sealedState }, update: { sealedState } });
      },
      async remove(meterId) {
        await table(db).deleteMany({ where: { meterId } });
      },
      // An answer's transaction may wait its turn: the relay delivers many meters' answers at once,
      // and a DNO feeder's recoveries take turns (dno/recover-feeder-load.ts). Prisma's defaults
      // (2 s for a connection, 5 s in all) gave up on a loaded machine; these bound a stuck one.
      transaction: (work) => db.$transaction(work, { maxWait: 10_000, timeout: 30_000 }),
    },
  };
}
