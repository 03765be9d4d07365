/**
 * Registers every party with the relay, each with the public key it publishes through it (DESIGN.md
 * Decision 3): the energy supplier's channel key and the DNO's load-control command key; the
 * telecare provider publishes none. One step shared by every host of the parties (the web server,
 * the CLI's in-process world), so they register the same parties with the same keys.
 */
import { loadChannelKey } from './energy-supplier/channel-key';
import type { SupplierContext } from './energy-supplier/context';
import { loadCommandKey } from './dno/command-key';
import type { DnoContext } from './dno/context';
import { PARTIES, type PartyRegistration } from './shared/parties';

/** What registering needs of the relay. */
export interface PartyRegistry {
  registerParty(party: PartyRegistration & { publicKey: Uint8Array | null }): Promise<void>;
}

/** Options for {@link registerParties}. */
export interface RegisterPartiesOptions {
  relay: PartyRegistry;
  supplier: Pick<SupplierContext, 'db' | 'kek' | 'random'>;
  dno: Pick<DnoContext, 'db' | 'kek' | 'random'>;
}

/** Registers (or updates) each party; creates the supplier's and the DNO's keys on first use. */
export async function registerParties(options: RegisterPartiesOptions): Promise<void> {
  const supplierKey = await loadChannelKey(options.supplier);
  const commandKey = await loadCommandKey(options.dno);
  const publicKeys: Partial<Record<PartyRegistration['id'], Uint8Array>> = { supplier: supplierKey.publicKey, dno: commandKey.publicKey };
  for (const party of PARTIES) await options.relay.registerParty({ ...party, publicKey: publicKeys[party.id] ?? null });
}
