/**
 * What the relay benchmarks share: a world of `meters` homes in the public registry, a device key
 * per meter, and signed uplink envelopes of a real statement's size (760-byte payload) to the
 * supplier, round-robin over the meters. Signing happens before any timing (noble signs ~1,800/s;
 * real meters sign in their own hosts).
 */
import type { DbClient } from '@hydra/db';
import { bytesToHex, generateKeyPair, signMessage, type KeyPair } from '@hydra/globalplatform';
import { randomBytes } from 'node:crypto';
import { encodeEnvelope } from '../src/envelope';

/** The bench's random source (keys, message ids, payloads). */
export const random = (n: number): Uint8Array<ArrayBuffer> => new Uint8Array(randomBytes(n));

/** The bench world's id. */
export const worldId = 'bench';

/** Meter `i`'s id (0-based). */
export const meterIdOf = (i: number): string => `${worldId}-m${String(i + 1).padStart(4, '0')}`;

/** The world's start, and its clock throughout. */
export const worldStart = new Date('2025-01-01T00:00:00Z');

/** Creates the world and its homes; returns a device key pair per meter. */
export async function seedBenchWorld(db: DbClient, meters: number): Promise<KeyPair[]> {
  await db.world.create({ data: { id: worldId, name: 'Bench', seed: 'bench', homeCount: meters, startDate: '2025-01-01', clock: worldStart, hostProgress: worldStart } });
  await db.home.createMany({ data: Array.from({ length: meters }, (_, i) => ({ id: `${worldId}-h${i}`, worldId, index: i, meterId: meterIdOf(i), archetype: 'family', feederId: `f${i % 10}` })) });
  return Array.from({ length: meters }, () => generateKeyPair(random));
}

/** `count` signed uplinks, the n-th from meter n mod the number of devices. */
export function signUplinks(devices: readonly KeyPair[], count: number): Uint8Array[] {
  return Array.from({ length: count }, (_, n) => {
    const i = n % devices.length;
    const device = devices[i];
    if (!device) throw new RangeError(`meter ${i}: no device key`);
    return encodeEnvelope(
      { messageId: bytesToHex(random(16)), worldId, meterId: meterIdOf(i), partyId: 'supplier', appletId: 'billing', messageClass: 'collect-response', direction: 'uplink' },
      random(760),
      (bytes) => signMessage(bytes, device.privateKey),
    );
  });
}
