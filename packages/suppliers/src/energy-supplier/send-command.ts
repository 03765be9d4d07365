/**
 * Queues one command for the billing applet in the supplier's security domain on a meter; the
 * party session sends it wrapped at security level 33 (after SCP11b set-up if needed) through the
 * relay, one command in flight at a time.
 */
import { bytesToHex, utf8ToBytes, type Json } from '@hydra/globalplatform';
import { queuePartyCommand, type QueuedCommand } from '../shared/party-session';
import type { SupplierContext } from './context';
import { appletAid, supplierSessionOptions } from './session';
import { UnknownAccountError } from './supplier-error';

/** Options for {@link sendCommand}. */
export interface SendCommandOptions {
  context: SupplierContext;
  worldId: string;
  meterId: string;
  appletId: 'billing';
  command: 'collect' | 'set-tariff';
  body: { [key: string]: Json };
}

/** The command APDU: COLLECT (80 C0 00 00) or the applet command (80 D0 00 00, JSON `{ name, body }`). */
function commandApdu(command: SendCommandOptions['command'], body: { [key: string]: Json }): QueuedCommand['apdu'] {
  if (command === 'collect') return { cla: 0x80, ins: 0xc0, p1: 0, p2: 0, data: '', ne: 65536 };
  return { cla: 0x80, ins: 0xd0, p1: 0, p2: 0, data: bytesToHex(utf8ToBytes(JSON.stringify({ name: command, body }))), ne: 65536 };
}

/** Queues (and, if the channel is idle, sends) a command; returns its tag. */
export async function sendCommand(options: SendCommandOptions): Promise<string> {
  const { context, worldId, meterId, appletId, command, body } = options;
  const account = await context.db.supplierAccount.findUnique({ where: { meterId } });
  if (!account) throw new UnknownAccountError(meterId);
  const tag = bytesToHex(context.random(16));
  await queuePartyCommand(supplierSessionOptions(context), { worldId, meterId, sdAid: account.aid }, { tag, appletId, appletAid: appletAid(appletId), messageClass: command, apdu: commandApdu(command, body) });
  return tag;
}
