// Readable names for AIDs and logical-channel ids in the inspector's tables and event log.
import { hexToBytes } from '@hydra/globalplatform';
import { describeAid } from '@/lib/apdu-decode';

/** "supplier security domain" for a simulator AID; the AID itself otherwise. */
export function aidName(aid: string): string {
  if (!/^([0-9a-f]{2}){5,16}$/i.test(aid)) return aid;
  return describeAid(hexToBytes(aid)) ?? aid;
}

/** An event's actor or target: an AID, a logical channel (named by its party) or a plain word. */
export function actorName(value: string): string {
  if (/^([0-9a-f]{2}){5,16}$/i.test(value)) return aidName(value);
  return value.includes(' ') || /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : `channel “${value}”`;
}
