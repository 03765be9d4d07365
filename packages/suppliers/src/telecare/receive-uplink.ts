/**
 * The telecare provider's inbox: takes the card's answer the relay delivers (only for homes whose
 * proof of consent stands — the relay refuses the rest), lets the party session verify and open it
 * under the provider's own SCP03 session keys, and stores exactly what the privacy contract gives
 * it: wellbeing alerts — type and time window. Then it re-arms the standing collect. Idempotent by
 * relay message id and, inside the sealed payload, by alert (meter, type, window start).
 */
import type { DbTransaction, TelecareHome } from '@hydra/db';
import type { RoutingHeader } from '@hydra/globalplatform';
import { z } from 'zod';
import { answeredWithData, parseCollectItems } from '../shared/applet-commands';
import { PartyError } from '../shared/party-error';
import { receivePartyUplink } from '../shared/party-inbox';
import type { CompletedCommand } from '../shared/party-session';
import { ensureTelecareCollect } from './arm-collect';
import { TELECARE_APPLET, TELECARE_PARTY_ID, type TelecareContext } from './context';
import { telecareSessionOptions } from './session';

const MAX_UTC_MS = 8.64e15;

const alertSchema = z
  .object({
    type: z.enum(['no-activity-by-deadline', 'activity-in-sleep-window']),
    windowStart: z.number().int().min(0).max(MAX_UTC_MS),
    windowEnd: z.number().int().min(0).max(MAX_UTC_MS),
  })
  .strict()
  .refine((alert) => alert.windowEnd >= alert.windowStart, { message: 'windowEnd before windowStart' });

/** Options for {@link receiveTelecareUplink}. */
export interface ReceiveTelecareUplinkOptions {
  context: TelecareContext;
  envelope: Uint8Array;
}

/** What the inbox did with an uplink. */
export interface ReceiveTelecareUplinkResult {
  status: 'accepted' | 'already-delivered';
  alerts: number;
}

/**
 * Processes one uplink envelope.
 * @throws {PartyError} for an envelope not for telecare, one that fails authentication or answers
 *   nothing in flight (REPLAYED), a home not enrolled (UNKNOWN_METER) — nothing stored then — or a
 *   collect answer that is not a list of wellbeing alerts (MALFORMED, recorded; nothing stored).
 */
export async function receiveTelecareUplink(options: ReceiveTelecareUplinkOptions): Promise<ReceiveTelecareUplinkResult> {
  const { context } = options;
  const record = async (completed: CompletedCommand | null, tx: DbTransaction, header: RoutingHeader, home: TelecareHome) => {
    const collected = completed?.command.messageClass === 'collect' && completed.command.appletId === TELECARE_APPLET;
    let alerts = 0;
    let malformed: string | null = null;
    if (completed && collected && answeredWithData(completed.response.sw)) {
      let parsed: z.infer<typeof alertSchema>[] = [];
      try {
        const items = parseCollectItems(completed.response.data);
        for (const item of items) if (item.messageClass !== 'wellbeing-alert') throw new Error(`telecare may not send ${item.messageClass}`);
        parsed = items.map((item) => alertSchema.parse(item.body));
      } catch (error) {
        malformed = error instanceof z.ZodError ? `wellbeing-alert: ${error.issues[0]?.message ?? 'invalid'}` : error instanceof Error ? error.message.slice(0, 120) : 'malformed';
      }
      if (!malformed) {
        for (const alert of parsed) {
          const unique = { meterId: home.meterId, type: alert.type, windowStart: new Date(alert.windowStart) };
          if (await tx.telecareAlert.findUnique({ where: { meterId_type_windowStart: unique } })) continue;
          await tx.telecareAlert.create({ data: { id: `alert-${home.meterId}-${alert.type}-${alert.windowStart}`, worldId: home.worldId, ...unique, windowEnd: new Date(alert.windowEnd) } });
          alerts++;
        }
      }
    }
    if (collected && home.pendingCollectId === completed?.command.tag) await tx.telecareHome.update({ where: { meterId: home.meterId }, data: { pendingCollectId: null } });
    const outcome = malformed ? 'collect:malformed' : completed ? `${completed.command.messageClass}:${completed.response.sw.toString(16)}:${alerts}` : header.messageClass;
    return { outcome, result: { alerts, malformed, collected } };
  };
  const taken = await receivePartyUplink({
    partyId: TELECARE_PARTY_ID,
    envelope: options.envelope,
    db: context.db,
    receipts: (db) => db.telecareReceipt,
    session: telecareSessionOptions(context),
    admit: async (header) => {
      const home = await context.db.telecareHome.findUnique({ where: { meterId: header.meterId } });
      if (!home || home.withdrawnAt !== null) throw new PartyError(TELECARE_PARTY_ID, 'UNKNOWN_METER', `telecare: meter ${header.meterId} is not an enrolled home`);
      return home;
    },
    record,
  });
  if (taken.status === 'already-delivered') return { status: 'already-delivered', alerts: 0 };
  if (taken.result.collected) await ensureTelecareCollect(context, taken.admitted);
  if (taken.result.malformed) throw new PartyError(TELECARE_PARTY_ID, 'MALFORMED', `inbox: ${taken.result.malformed} (recorded; nothing stored)`);
  return { status: 'accepted', alerts: taken.result.alerts };
}
