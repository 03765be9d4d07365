/**
 * Queues one applet command for a DNO applet on a meter; the party session sends it wrapped at
 * security level 33 (after SCP11b set-up and SELECT of the applet as needed) through the relay,
 * one command in flight at a time.
 */
import { bytesToHex, type Json } from '@hydra/globalplatform';
import { appletAid, appletCommandApdu } from '../shared/applet-commands';
import { PartyError } from '../shared/party-error';
import { queuePartyCommand } from '../shared/party-session';
import { DNO_PARTY_ID, type DnoApplet, type DnoContext } from './context';
import { dnoSessionOptions } from './session';

/** Options for {@link sendDnoCommand}. */
export interface SendDnoCommandOptions {
  context: DnoContext;
  meterId: string;
  appletId: DnoApplet;
  /** The applet command's name (`personalise`, `load-control`, …). */
  name: string;
  body: { [key: string]: Json };
  /** The routing class the relay checks: `load-control` (DNO only) or the generic `applet-command`. */
  messageClass: 'load-control' | 'applet-command';
  /** Ahead of the commands waiting (the standing collects): set-up the meter needs before its next metering. */
  first?: boolean;
}

/**
 * Queues (and, if the channel is idle, sends) the command; returns its tag.
 * @throws {PartyError} UNKNOWN_METER when the relay never announced this meter to the DNO.
 */
export async function sendDnoCommand(options: SendDnoCommandOptions): Promise<string> {
  const { context, meterId, appletId, name, body, messageClass, first = false } = options;
  const meter = await context.db.dnoMeter.findUnique({ where: { meterId } });
  if (!meter) throw new PartyError(DNO_PARTY_ID, 'UNKNOWN_METER', `dno: meter ${meterId} has no DNO security domain the relay announced`);
  const tag = bytesToHex(context.random(16));
  await queuePartyCommand(dnoSessionOptions(context), { worldId: meter.worldId, meterId, sdAid: meter.aid }, { tag, appletId, appletAid: appletAid(appletId), messageClass, apdu: appletCommandApdu(name, body) }, first ? 'first' : 'last');
  return tag;
}
