/**
 * The DNO's load-control command key: an ECDSA P-256 key pair generated once from the secure
 * random source, the private half sealed under the DNO's KEK in its own `DnoKey` table. Every
 * load-control command document is signed with it; the load-control applet on each meter holds
 * the public half (personalised by the DNO through its own channel) and refuses anything else.
 */
import type { KeyPair } from '@hydra/globalplatform';
import { loadSealedKeyPair } from '../shared/sealed-key-pair';
import type { DnoContext } from './context';

const COMMAND_KEY_ID = 'dno-command-1';

/** Options for {@link loadCommandKey}. */
export type LoadCommandKeyOptions = Pick<DnoContext, 'db' | 'kek' | 'random'>;

/** Returns the DNO's command key pair, creating and sealing it on first use. */
export async function loadCommandKey(options: LoadCommandKeyOptions): Promise<KeyPair> {
  return loadSealedKeyPair({ table: options.db.dnoKey, kek: options.kek, random: options.random, keyId: COMMAND_KEY_ID, purpose: 'load-control-command' });
}
