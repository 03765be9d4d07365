/**
 * The telecare operator acknowledges an alert (e.g. after calling the home), with an optional note.
 * An alert is acknowledged once: a second acknowledgement is refused and changes nothing.
 */
import { z } from 'zod';
import { PartyError } from '../shared/party-error';
import { TELECARE_PARTY_ID, type TelecareContext } from './context';
import { toAlertView, type AlertView } from './list-alerts';

/** What the telecare API takes. */
export const acknowledgeAlertSchema = z
  .object({
    alertId: z.string().regex(/^alert-[a-z0-9-]{1,120}$/, 'expected an alert id such as alert-demo-m0001-no-activity-by-deadline-1735718400000'),
    note: z.string().trim().max(280, 'at most 280 characters').optional(),
  })
  .strict();

/** Options for {@link acknowledgeAlert}. */
export interface AcknowledgeAlertOptions {
  context: Pick<TelecareContext, 'db' | 'now'>;
  request: unknown;
}

/**
 * Marks the alert acknowledged now.
 * @throws {PartyError} INVALID_REQUEST for a malformed request, NOT_FOUND for an unknown alert,
 *   CONFLICT for one already acknowledged. Nothing changes then.
 */
export async function acknowledgeAlert(options: AcknowledgeAlertOptions): Promise<AlertView> {
  const parsed = acknowledgeAlertSchema.safeParse(options.request);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PartyError(TELECARE_PARTY_ID, 'INVALID_REQUEST', `${issue?.path.join('.') || 'request'}: ${issue?.message ?? 'invalid'}`);
  }
  const { db } = options.context;
  const { alertId, note } = parsed.data;
  const alert = await db.telecareAlert.findUnique({ where: { id: alertId } });
  if (!alert) throw new PartyError(TELECARE_PARTY_ID, 'NOT_FOUND', `alert ${alertId} not found`);
  if (alert.acknowledgedAt) throw new PartyError(TELECARE_PARTY_ID, 'CONFLICT', `alert ${alertId} was already acknowledged at ${alert.acknowledgedAt.toISOString()}`);
  // Compare-and-set: of two operators acknowledging at once, one wins.
  const { count } = await db.telecareAlert.updateMany({ where: { id: alertId, acknowledgedAt: null }, data: { acknowledgedAt: new Date(options.context.now()), note: note && note.length > 0 ? note : null } });
  if (count === 0) throw new PartyError(TELECARE_PARTY_ID, 'CONFLICT', `alert ${alertId} was acknowledged by someone else just now`);
  return toAlertView(await db.telecareAlert.findUniqueOrThrow({ where: { id: alertId } }));
}
