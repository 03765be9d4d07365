/**
 * The supplier's party sessions: the generic SCP11b/SCP03 host channel (`../shared/party-session`)
 * bound to the supplier's identity, KEK and its own `SupplierSession` table.
 */
import type { DbTransaction } from '@hydra/db';
import type { PartySessionOptions } from '../shared/party-session';
import { partySessionOptions } from '../shared/session-store';
import { SUPPLIER_PARTY_ID, type SupplierContext } from './context';

/** Session options for the supplier. */
export function supplierSessionOptions(context: SupplierContext): PartySessionOptions<DbTransaction> {
  return partySessionOptions(SUPPLIER_PARTY_ID, context, (db) => db.supplierSession);
}
