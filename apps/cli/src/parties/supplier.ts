/**
 * The energy supplier's secret in a headless run: the only CLI module that reads HYDRA_SUPPLIER_* (DESIGN.md
 * Decision 8; the lint rule in eslint.config.mjs refuses these names anywhere else). In-process
 * the relay reaches the party by calling it, so no API token is needed — only the key-encryption
 * key that seals the party's keys and sessions at rest.
 */
import { readSecret } from '../env';

/** The energy supplier's key-encryption key (32 bytes, hex), or null before set-up has written it. */
export function supplierKekHex(): string | null {
  return readSecret('HYDRA_SUPPLIER_KEK', /^[0-9a-f]{64}$/i, '64 hex digits (a 32-byte key-encryption key)');
}
