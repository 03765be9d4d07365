/**
 * The telecare provider's credentials: the only module that reads HYDRA_TELECARE_* (DESIGN.md Decision 8; the
 * lint rule in eslint.config.mjs refuses these names anywhere else in the app).
 */
import { readSecret } from '../env';

/** The party id the relay and the routes know the telecare provider by. */
export const telecarePartyId = 'telecare';

/** The telecare provider's API token (bearer credential). */
export function telecareToken(): string {
  return readSecret('HYDRA_TELECARE_TOKEN', /^[A-Za-z0-9_-]{20,}$/);
}

/** The telecare provider's key-encryption key (32 bytes, hex): seals its keys at rest. */
export function telecareKekHex(): string {
  return readSecret('HYDRA_TELECARE_KEK', /^[0-9a-f]{64}$/i);
}
