/**
 * The DCC (relay)'s credentials: the only module that reads HYDRA_DCC_* (DESIGN.md Decision 8; the
 * lint rule in eslint.config.mjs refuses these names anywhere else in the app).
 */
import { readSecret } from '../env';

/** The party id the relay and the routes know the DCC (relay) by. */
export const dccPartyId = 'dcc';

/** The DCC (relay)'s API token (bearer credential). */
export function dccToken(): string {
  return readSecret('HYDRA_DCC_TOKEN', /^[A-Za-z0-9_-]{20,}$/);
}
