/**
 * Seals one command for the supplier's security domain on a meter and posts it to the relay.
 */
import { encodeEnvelope } from '@hydra/dcc';
import { bytesToHex, encodePayload, routingHeaderAad, type Json, type RoutingHeader } from '@hydra/globalplatform';
import { supplierChannel } from './channel';
import { SUPPLIER_PARTY_ID, type SupplierContext } from './context';

/** Options for {@link sendCommand}. */
export interface SendCommandOptions {
  context: SupplierContext;
  worldId: string;
  meterId: string;
  appletId: 'billing';
  command: 'collect' | 'set-tariff';
  body: { [key: string]: Json };
}

/** Seals and posts a command; returns its message id. */
export async function sendCommand(options: SendCommandOptions): Promise<string> {
  const { context, worldId, meterId, appletId, command, body } = options;
  const channel = await supplierChannel(context, meterId);
  const header: RoutingHeader = {
    messageId: bytesToHex(context.random(16)),
    worldId,
    meterId,
    partyId: SUPPLIER_PARTY_ID,
    appletId,
    messageClass: command,
    direction: 'downlink',
  };
  const sealed = channel.seal(encodePayload({ command, body }), routingHeaderAad(header));
  const result = await context.relay.postDownlink(encodeEnvelope(header, sealed));
  return result.messageId;
}
