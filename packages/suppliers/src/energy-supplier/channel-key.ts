/**
 * The supplier's channel key pair: generated once from the secure random source, kept sealed
 * under the supplier's KEK in its own `SupplierKey` table.
 */
import { copyBytes, generateKeyPair, type KeyPair } from '@hydra/globalplatform';
import { openKey, sealKey } from '../shared/sealed-keys';
import type { SupplierContext } from './context';

const CHANNEL_KEY_ID = 'supplier-channel-1';

/** Options for {@link loadChannelKey}. */
export type LoadChannelKeyOptions = Pick<SupplierContext, 'db' | 'kek' | 'random'>;

/** Returns the supplier's channel key pair, creating and sealing it on first use. */
export async function loadChannelKey(options: LoadChannelKeyOptions): Promise<KeyPair> {
  const { db, kek, random } = options;
  const row = await db.supplierKey.findUnique({ where: { id: CHANNEL_KEY_ID } });
  if (row) return { privateKey: openKey(kek, row.id, Uint8Array.from(row.sealedKey)), publicKey: Uint8Array.from(row.publicKey) };
  const pair = generateKeyPair(random);
  await db.supplierKey.upsert({
    where: { id: CHANNEL_KEY_ID },
    create: { id: CHANNEL_KEY_ID, purpose: 'channel', publicKey: copyBytes(pair.publicKey), sealedKey: copyBytes(sealKey(kek, CHANNEL_KEY_ID, pair.privateKey, random)) },
    update: {},
  });
  // Another process may have won the race: read back what is stored.
  return loadChannelKey(options);
}
