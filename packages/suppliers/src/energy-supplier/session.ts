/**
 * The supplier's party sessions: the generic SCP11b/SCP03 host channel (`../shared/party-session`)
 * bound to the supplier's identity, KEK and its own `SupplierSession` table.
 */
import type { DbTransaction } from '@hydra/db';
import { copyBytes } from '@hydra/globalplatform';
import type { PartySessionOptions } from '../shared/party-session';
import { SUPPLIER_PARTY_ID, type SupplierContext } from './context';

/** The AID of an applet instance on every meter (the simulator's RID F0 "HYDR", kind 03, ASCII name). */
export function appletAid(appletId: string): string {
  let name = '';
  for (const char of appletId.slice(0, 10)) name += (char.charCodeAt(0) & 0x7f).toString(16).padStart(2, '0');
  return `f04859445203${name}`;
}

/** Session options for the supplier. */
export function supplierSessionOptions(context: SupplierContext): PartySessionOptions<DbTransaction> {
  const { db } = context;
  return {
    partyId: SUPPLIER_PARTY_ID,
    kek: context.kek,
    random: context.random,
    now: context.now,
    trustAnchors: context.trustAnchors,
    relay: context.relay,
    store: {
      async load(meterId) {
        const row = await db.supplierSession.findUnique({ where: { meterId } });
        return row ? Uint8Array.from(row.sealedState) : null;
      },
      async save(meterId, worldId, sealed, tx) {
        const sealedState = copyBytes(sealed);
        await (tx ?? db).supplierSession.upsert({ where: { meterId }, create: { meterId, worldId, sealedState }, update: { sealedState } });
      },
      async remove(meterId) {
        await db.supplierSession.deleteMany({ where: { meterId } });
      },
      transaction: (work) => db.$transaction(work),
    },
  };
}
