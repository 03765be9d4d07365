/**
 * What every energy-supplier operation is given: its own database tables, its own
 * key-encryption key, a secure random source, the relay, a wall clock and the manufacturer CA
 * it trusts to certify meters' security domains.
 */
import type { PartyContext } from '../shared/session-store';

/** The supplier's party id, as registered with the relay. */
export const SUPPLIER_PARTY_ID = 'supplier';

/** Dependencies of supplier operations (the supplier's own KEK and relay credential). */
export type SupplierContext = PartyContext;
