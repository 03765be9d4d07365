/**
 * The supplier's inbox: takes the card's response APDU the relay delivers, lets the party session
 * verify and open it (R-MAC, R-ENC under the supplier's own SCP03 session keys) and send the next
 * queued command, stores what the privacy contract gives it (monthly bill statements), and
 * re-arms the standing collect. Idempotent by relay message id (a byte-identical redelivery is
 * "already delivered", `../shared/party-inbox`) and by statement id inside the sealed payload.
 */
import { z } from 'zod';
import type { DbTransaction, SupplierAccount } from '@hydra/db';
import type { RoutingHeader } from '@hydra/globalplatform';
import { answeredWithData, parseCollectItems } from '../shared/applet-commands';
import { PartyError } from '../shared/party-error';
import { receivePartyUplink } from '../shared/party-inbox';
import type { CompletedCommand } from '../shared/party-session';
import { ensureCollectArmed } from './arm-collect';
import { SUPPLIER_PARTY_ID, type SupplierContext } from './context';
import { supplierSessionOptions } from './session';

const statementSchema = z
  .object({
    statementId: z.string().min(1).max(100),
    period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
    amountPence: z.number().int().min(-100_000_000).max(100_000_000),
    importWh: z.number().int().min(0).max(1_000_000_000),
    exportWh: z.number().int().min(0).max(1_000_000_000),
  })
  .strict();

/** Options for {@link receiveUplink}. */
export interface ReceiveUplinkOptions {
  context: SupplierContext;
  envelope: Uint8Array;
}

/** What the inbox did with an uplink. */
export interface ReceiveUplinkResult {
  status: 'accepted' | 'already-delivered';
  bills: number;
}

/**
 * Processes one uplink envelope.
 * @throws {PartyError} for an envelope not for the supplier, one that fails authentication or
 *   answers nothing in flight (REPLAYED), or a message id reused with other bytes. Nothing is stored then.
 */
export async function receiveUplink(options: ReceiveUplinkOptions): Promise<ReceiveUplinkResult> {
  const { context } = options;
  // The session's new state, the receipt and the bills commit together: a crash leaves all or none.
  const record = async (completed: CompletedCommand | null, tx: DbTransaction, header: RoutingHeader, account: SupplierAccount) => {
    const answeredCollect = completed?.command.messageClass === 'collect';
    let statements: z.infer<typeof statementSchema>[] = [];
    let malformed = false;
    if (completed && answeredCollect && answeredWithData(completed.response.sw)) {
      try {
        statements = parseCollectItems(completed.response.data).filter((item) => item.messageClass === 'bill-statement').map((item) => statementSchema.parse(item.body));
      } catch {
        malformed = true;
      }
    }
    const tariff = await tx.supplierTariff.findUnique({ where: { id: account.tariffId } });
    const standingPerDay = tariff ? (JSON.parse(tariff.document) as { standingCharge: number }).standingCharge : 0;
    let stored = 0;
    for (const statement of statements) {
      const duplicate = await tx.supplierBill.findUnique({ where: { statementId: `${header.meterId}/${statement.statementId}` } });
      if (duplicate) continue;
      const [year, month] = statement.period.split('-').map(Number) as [number, number];
      const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
      const standingPence = Math.floor((standingPerDay * days + 500) / 1000);
      await tx.supplierBill.create({
        data: {
          id: `bill-${header.meterId}-${statement.period}`,
          worldId: account.worldId,
          accountId: account.id,
          meterId: header.meterId,
          period: statement.period,
          amountPence: statement.amountPence,
          standingPence,
          energyPence: statement.amountPence - standingPence,
          importWh: statement.importWh,
          exportWh: statement.exportWh,
          statementId: `${header.meterId}/${statement.statementId}`,
        },
      });
      stored++;
    }
    if (answeredCollect && account.pendingCollectId === completed?.command.tag) await tx.supplierAccount.update({ where: { meterId: header.meterId }, data: { pendingCollectId: null } });
    const outcome = malformed ? 'collect:malformed' : completed ? `${completed.command.messageClass}:${completed.response.sw.toString(16)}:${stored}` : header.messageClass;
    return { outcome, result: { stored, malformed, answeredCollect } };
  };
  const taken = await receivePartyUplink({
    partyId: SUPPLIER_PARTY_ID,
    envelope: options.envelope,
    db: context.db,
    receipts: (db) => db.supplierReceipt,
    session: supplierSessionOptions(context),
    admit: async (header) => {
      const account = await context.db.supplierAccount.findUnique({ where: { meterId: header.meterId } });
      if (!account) throw new PartyError(SUPPLIER_PARTY_ID, 'UNKNOWN_METER', `supplier: no account for meter ${header.meterId}`);
      return account;
    },
    record,
  });
  if (taken.status === 'already-delivered') return { status: 'already-delivered', bills: 0 };
  const { stored, malformed, answeredCollect } = taken.result;
  // Keep one collect standing: re-arm unless another one is already queued or in flight.
  if (answeredCollect) await ensureCollectArmed(context, taken.admitted.worldId, taken.header.meterId);
  if (malformed) throw new PartyError(SUPPLIER_PARTY_ID, 'MALFORMED', 'inbox: the collect response is not a list of statements (recorded; nothing stored)');
  return { status: 'accepted', bills: stored };
}
