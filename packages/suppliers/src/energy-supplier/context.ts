/**
 * What every energy-supplier operation is given: its own database tables, its own
 * key-encryption key, a secure random source, the relay, a wall clock and the manufacturer CA
 * it trusts to certify meters' security domains.
 */
import type { DbClient } from '@hydra/db';
import type { RandomSource, TrustAnchor } from '@hydra/globalplatform';
import type { RelayClient } from '../shared/relay-client';

/** The supplier's party id, as registered with the relay. */
export const SUPPLIER_PARTY_ID = 'supplier';

/** Dependencies of supplier operations. */
export interface SupplierContext {
  db: DbClient;
  /** The supplier's key-encryption key (32 bytes), from its own secrets. */
  kek: Uint8Array;
  random: RandomSource;
  relay: RelayClient;
  /** The manufacturer CA (public) that SD certificates must chain to. */
  trustAnchors: TrustAnchor[];
  /** Wall clock, ms (certificate validity). */
  now: () => number;
}
