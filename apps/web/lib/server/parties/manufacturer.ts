/**
 * The simulated manufacturer CA's key (DESIGN.md Decision 3): read only here, used only by the
 * relay's registration service in this server process; it never reaches a browser, which
 * receives the CA's public key through the catalog.
 */
import { readSecret } from '../env';

/** The manufacturer CA's private key (hex, a P-256 scalar). */
export function manufacturerCaKeyHex(): string {
  return readSecret('HYDRA_MANUFACTURER_CA_KEY', /^[0-9a-f]{64}$/i);
}
