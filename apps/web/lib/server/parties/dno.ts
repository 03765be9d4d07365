/**
 * The DNO's credentials: the only module that reads HYDRA_DNO_* (DESIGN.md Decision 8; the
 * lint rule in eslint.config.mjs refuses these names anywhere else in the app).
 */
import { readSecret } from '../env';

/** The party id the relay and the routes know the DNO by. */
export const dnoPartyId = 'dno';

/** The DNO's API token (bearer credential). */
export function dnoToken(): string {
  return readSecret('HYDRA_DNO_TOKEN', /^[A-Za-z0-9_-]{20,}$/);
}

/** The DNO's key-encryption key (32 bytes, hex): seals its keys at rest. */
export function dnoKekHex(): string {
  return readSecret('HYDRA_DNO_KEK', /^[0-9a-f]{64}$/i);
}
