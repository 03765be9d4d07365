/**
 * The routing header that a sealed message binds as associated data. The relay reads these fields
 * in the clear to route a message; binding them into the channel's authentication tag means the
 * relay cannot re-route, re-label or re-attribute a message without the receiver noticing.
 */
import { utf8ToBytes } from './bytes';

/** The fields of an envelope's routing header that both channel ends authenticate. */
export interface RoutingHeader {
  messageId: string;
  worldId: string;
  meterId: string;
  partyId: string;
  appletId: string;
  messageClass: string;
  direction: 'uplink' | 'downlink';
  /** The command a response answers (uplink only). */
  correlationId?: string | undefined;
}

/** Canonical bytes of a routing header: fixed field order, `\n`-separated, UTF-8. */
export function routingHeaderAad(header: RoutingHeader): Uint8Array {
  const fields = [
    'hydra-routing-v1',
    header.messageId,
    header.worldId,
    header.meterId,
    header.partyId,
    header.appletId,
    header.messageClass,
    header.direction,
    header.correlationId ?? '',
  ];
  for (const field of fields) {
    if (typeof field !== 'string' || field.includes('\n')) throw new TypeError('routing header: fields must be strings without newlines');
  }
  return utf8ToBytes(fields.join('\n'));
}
