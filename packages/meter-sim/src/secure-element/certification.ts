/**
 * Certification of the security domains' SCP11 keys at registration (DESIGN.md Decision 3; GP
 * Amendment F §4.1: the SD certificate served by GET DATA BF21 chains to a CA the host trusts).
 * The manufacturer CA's private key never reaches the meter host: the host sends each domain's
 * public key, the manufacturer's registration service returns certificates, and the card accepts
 * only certificates that chain to the CA public key it was personalised with and certify exactly
 * its own key for its own AID. Pure: `(state, input) → state`.
 */
import { bytesToHex, hexToBytes, verifyCertificateChain } from '@hydra/globalplatform';
import type { Party, SecureElementState } from './registry';
import { SeError } from './se-error';

/** One domain's public key, as sent for certification. */
export interface DomainCertificationRequest {
  aid: string;
  party: Party | null;
  /** SEC 1 compressed P-256 key, hex. */
  publicKey: string;
  /** True when the domain already holds a certificate. */
  certified: boolean;
}

/** The public keys of every security domain (the issuer's included), for the registration request. */
export function domainCertificationRequests(state: SecureElementState): DomainCertificationRequest[] {
  return Object.values(state.registry.domains).map((domain) => ({
    aid: domain.aid,
    party: domain.party,
    publicKey: domain.scp11.publicKey,
    certified: domain.scp11.certificates.length > 0,
  }));
}

/**
 * Installs certificate chains (root side first, hex) for the named domains.
 * @param now - world time in ms (validity check).
 * @returns the next state; the input is not mutated.
 * @throws {SeError} SECURITY_STATUS_NOT_SATISFIED when a chain does not verify against the card's
 *   CA, certifies another key or another AID; NOT_FOUND for an unknown domain. Nothing changes then.
 */
export function installDomainCertificates(state: SecureElementState, chains: readonly { aid: string; certificates: readonly string[] }[], now: number): SecureElementState {
  const anchor = { id: hexToBytes(state.ca.id), publicKey: hexToBytes(state.ca.publicKey) };
  const next = structuredClone(state);
  for (const { aid, certificates } of chains) {
    const domain = next.registry.domains[aid.toUpperCase()] ?? next.registry.domains[aid];
    if (!domain) throw new SeError('NOT_FOUND', `certification: no security domain ${aid}`);
    let leaf;
    try {
      leaf = verifyCertificateChain(certificates.map(hexToBytes), { trustAnchors: [anchor], now: Math.floor(now / 1000), leafRole: 'sd' });
    } catch {
      throw new SeError('SECURITY_STATUS_NOT_SATISFIED', `certification: the chain for ${aid} does not verify against the manufacturer CA`);
    }
    if (bytesToHex(leaf.subjectId).toUpperCase() !== domain.aid.toUpperCase()) throw new SeError('SECURITY_STATUS_NOT_SATISFIED', `certification: certificate subject is not ${domain.aid}`);
    if (!sameKey(bytesToHex(leaf.publicKey), domain.scp11.publicKey)) throw new SeError('SECURITY_STATUS_NOT_SATISFIED', `certification: certificate for ${aid} certifies another key`);
    domain.scp11.certificates = certificates.map((c) => c.toLowerCase());
  }
  return next;
}

function sameKey(certified: string, compressed: string): boolean {
  // Certificates store the uncompressed point (04 ‖ x ‖ y); the domain keeps it compressed (02/03 ‖ x).
  const x = (hex: string) => (hex.length === 130 ? hex.slice(2, 66) : hex.slice(2));
  const yOdd = (hex: string) => (hex.length === 130 ? (parseInt(hex.slice(-1), 16) & 1) === 1 : hex.startsWith('03'));
  return x(certified).toLowerCase() === x(compressed).toLowerCase() && yOdd(certified.toLowerCase()) === yOdd(compressed.toLowerCase());
}
