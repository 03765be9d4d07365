/**
 * Privileges of security domains and applications, encoded as the three privilege bytes of GP Card
 * Specification v2.3.1 §6.6.1 / §11.1.2 (Table 6-1 and 11-7). The simulator adds three privileges
 * GP does not have, one per part of the home's metrology feed (DESIGN.md "Firewall"): `metrology`
 * (half-hourly import/export registers), `voltage` (supply voltage and its excursions) and
 * `activity` (occupant load steps) — placed in RFU bits of byte 3 (b1, b2, b3) so the three bytes
 * stay well-formed. An applet receives only the parts whose privilege it holds.
 */

/** Privilege names, in registry order. */
export type Privilege =
  | 'security-domain'
  | 'dap-verification'
  | 'delegated-management'
  | 'card-lock'
  | 'card-terminate'
  | 'mandated-dap'
  | 'authorized-management'
  | 'global-delete'
  | 'metrology'
  | 'voltage'
  | 'activity';

/** Byte index (0..2) and bit mask of each privilege. DAP and Delegated imply Security Domain (GP Table 11-7). */
const PRIVILEGE_BITS: Record<Privilege, readonly [number, number]> = {
  'security-domain': [0, 0x80],
  'dap-verification': [0, 0xc0],
  'delegated-management': [0, 0xa0],
  'card-lock': [0, 0x10],
  'card-terminate': [0, 0x08],
  'mandated-dap': [0, 0xc1],
  'authorized-management': [1, 0x40],
  'global-delete': [1, 0x10],
  // Simulator-specific: byte 3 b1–b3 are RFU in GP v2.3.1.
  metrology: [2, 0x01],
  voltage: [2, 0x02],
  activity: [2, 0x04],
};

/** The privileges that grant a part of the metrology feed (the only privileges an applet may hold). */
export const FEED_PRIVILEGES: readonly Privilege[] = ['metrology', 'voltage', 'activity'];

/** Every privilege the simulator knows. */
export const PRIVILEGES: readonly Privilege[] = Object.keys(PRIVILEGE_BITS) as Privilege[];

/** Encodes privileges as the three GP privilege bytes. */
export function encodePrivileges(privileges: readonly Privilege[]): Uint8Array {
  const out = new Uint8Array(3);
  for (const privilege of privileges) {
    const bits = PRIVILEGE_BITS[privilege];
    if (!bits) throw new RangeError(`privilege: unknown ${String(privilege)}`);
    out[bits[0]] = (out[bits[0]] ?? 0) | bits[1];
  }
  return out;
}

/**
 * Decodes one or three privilege bytes (GP §11.5.2.3.2: INSTALL may carry one byte, meaning the
 * other two are zero). A privilege whose bits are all set is present.
 * @throws {RangeError} for another length or bits the simulator does not know.
 */
export function decodePrivileges(bytes: Uint8Array): Privilege[] {
  if (bytes.length !== 1 && bytes.length !== 3) throw new RangeError(`privileges: expected 1 or 3 bytes, got ${bytes.length}`);
  const full = [bytes[0] ?? 0, bytes[1] ?? 0, bytes[2] ?? 0];
  const found = PRIVILEGES.filter((privilege) => {
    const [index, mask] = PRIVILEGE_BITS[privilege];
    return ((full[index] ?? 0) & mask) === mask;
  });
  const covered = encodePrivileges(found);
  for (let i = 0; i < 3; i++) {
    if (((full[i] ?? 0) & ~(covered[i] ?? 0)) !== 0) throw new RangeError(`privileges: byte ${i + 1} has bits the simulator does not know`);
  }
  return found;
}

/** Whether a privilege list holds `privilege`. */
export function hasPrivilege(privileges: readonly Privilege[], privilege: Privilege): boolean {
  return privileges.includes(privilege);
}
