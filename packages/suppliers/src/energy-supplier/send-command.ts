/**
 * Queues one command for the billing applet in the supplier's security domain on a meter; the
 * party session sends it wrapped at security level 33 (after SCP11b set-up if needed) through the
 * relay, one command in flight at a time.
 */
import { bytesToHex, type Json } from '@hydra/globalplatform';
import { queuePartyCommand, type QueuedCommand } from '../shared/party-session';
import { SUPPLIER_PARTY_ID, type SupplierContext } from './context';
import { appletAid, appletCommandApdu, collectApdu } from '../shared/applet-commands';
import { supplierSessionOptions } from './session';
import { PartyError } from '../shared/party-error';

/** Options for {@link sendCommand}. */
export interface SendCommandOptions {
  context: SupplierContext;
  worldId: string;
  meterId: string;
  appletId: 'billing';
  command: 'collect' | 'set-tariff';
  body: { [key: string]: Json };
}

/** The command APDU: COLLECT, or the applet command with JSON `{ name, body }`. */
function commandApdu(command: SendCommandOptions['command'], body: { [key: string]: Json }): QueuedCommand['apdu'] {
  return command === 'collect' ? collectApdu() : appletCommandApdu(command, body);
}

/** Queues (and, if the channel is idle, sends) a command; returns its tag. */
export async function sendCommand(options: SendCommandOptions): Promise<string> {
  const { context, worldId, meterId, appletId, command, body } = options;
  const account = await context.db.supplierAccount.findUnique({ where: { meterId } });
  if (!account) throw new PartyError(SUPPLIER_PARTY_ID, 'UNKNOWN_METER', `supplier: no account for meter ${meterId}`);
  const tag = bytesToHex(context.random(16));
  await queuePartyCommand(supplierSessionOptions(context), { worldId, meterId, sdAid: account.aid }, { tag, appletId, appletAid: appletAid(appletId), messageClass: command, apdu: commandApdu(command, body) });
  return tag;
}
