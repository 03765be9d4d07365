/**
 * The energy supplier's credentials: the only module that reads HYDRA_SUPPLIER_* (DESIGN.md Decision 8; the
 * lint rule in eslint.config.mjs refuses these names anywhere else in the app).
 */
import { readSecret } from '../env';

/** The party id the relay and the routes know the energy supplier by. */
export const supplierPartyId = 'supplier';

/** The energy supplier's API token (bearer credential). */
export function supplierToken(): string {
  return readSecret('HYDRA_SUPPLIER_TOKEN', /^[A-Za-z0-9_-]{20,}$/);
}

/** The energy supplier's key-encryption key (32 bytes, hex): seals its keys at rest. */
export function supplierKekHex(): string {
  return readSecret('HYDRA_SUPPLIER_KEK', /^[0-9a-f]{64}$/i);
}
