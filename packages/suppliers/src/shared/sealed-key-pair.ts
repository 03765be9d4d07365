/**
 * A party's long-lived key pair (the supplier's channel and tariff-signing key, the DNO's
 * load-control command key): generated once from the secure random source, the private key kept
 * sealed under the party's KEK in the party's own key table (`sealed-keys.ts`).
 */
import { copyBytes, generateKeyPair, type KeyPair, type RandomSource } from '@hydra/globalplatform';
import { openKey, sealKey } from './sealed-keys';

/** The columns every party's key table has. */
export interface KeyTable {
  findUnique(args: { where: { id: string } }): Promise<{ id: string; publicKey: Uint8Array; sealedKey: Uint8Array } | null>;
  upsert(args: {
    where: { id: string };
    create: { id: string; purpose: string; publicKey: Uint8Array<ArrayBuffer>; sealedKey: Uint8Array<ArrayBuffer> };
    update: Record<string, never>;
  }): Promise<unknown>;
}

/** Options for {@link loadSealedKeyPair}. */
export interface LoadSealedKeyPairOptions {
  table: KeyTable;
  kek: Uint8Array;
  random: RandomSource;
  /** The row id, bound into the seal so a sealed key cannot be moved to another row. */
  keyId: string;
  purpose: string;
}

/**
 * Returns the key pair `keyId`, creating and sealing it on first use.
 * @throws {ChannelAuthenticationError} when the row does not open under `kek` (another party's
 *   KEK, or tampered bytes).
 */
export async function loadSealedKeyPair(options: LoadSealedKeyPairOptions): Promise<KeyPair> {
  const { table, kek, random, keyId, purpose } = options;
  const row = await table.findUnique({ where: { id: keyId } });
  if (row) return { privateKey: openKey(kek, row.id, Uint8Array.from(row.sealedKey)), publicKey: Uint8Array.from(row.publicKey) };
  const pair = generateKeyPair(random);
  await table.upsert({
    where: { id: keyId },
    create: { id: keyId, purpose, publicKey: copyBytes(pair.publicKey), sealedKey: copyBytes(sealKey(kek, keyId, pair.privateKey, random)) },
    update: {},
  });
  // Another process may have won the race: read back what is stored.
  return loadSealedKeyPair(options);
}
