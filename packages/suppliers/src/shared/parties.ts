/**
 * The parties a world's relay registers, with their roles: each has a backend in this package and
 * a security domain on every meter (`register-parties.ts` registers them with their public keys).
 */

/** One party as the relay registers it. */
export interface PartyRegistration {
  id: 'supplier' | 'dno' | 'telecare';
  name: string;
  role: string;
}

/** Every party, in the order consoles list them. */
export const PARTIES: readonly PartyRegistration[] = [
  { id: 'supplier', name: 'Energy supplier', role: 'supplier' },
  { id: 'dno', name: 'Distribution network operator', role: 'dno' },
  { id: 'telecare', name: 'Telecare provider', role: 'telecare' },
];
