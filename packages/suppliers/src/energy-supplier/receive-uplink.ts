/**
 * The supplier's inbox: takes the card's response APDU the relay delivers, lets the party session
 * verify and open it (R-MAC, R-ENC under the supplier's own SCP03 session keys) and send the next
 * queued command, stores what the privacy contract gives it — monthly bill statements, and the
 * daily or half-hourly reads a householder chose to share (each field checked against the
 * contract in `billing-collect.ts`; anything else in the collect is refused, nothing stored) — and
 * re-arms the standing collect. Idempotent by relay message id (a byte-identical redelivery is
 * "already delivered", `../shared/party-inbox`), by statement id and by meter and date inside the
 * sealed payload.
 */
import type { DbTransaction, SupplierAccount } from '@hydra/db';
import type { RoutingHeader } from '@hydra/globalplatform';
import { answeredWithData } from '../shared/applet-commands';
import { PartyError } from '../shared/party-error';
import { receivePartyUplink } from '../shared/party-inbox';
import type { CompletedCommand } from '../shared/party-session';
import { ensureCollectArmed } from './arm-collect';
import { parseBillingCollect, type BillStatement, type ConsentedReads } from './billing-collect';
import { SUPPLIER_PARTY_ID, type SupplierContext } from './context';
import { supplierSessionOptions } from './session';

/** Options for {@link receiveUplink}. */
export interface ReceiveUplinkOptions {
  context: SupplierContext;
  envelope: Uint8Array;
}

/** What the inbox did with an uplink. */
export interface ReceiveUplinkResult {
  status: 'accepted' | 'already-delivered';
  bills: number;
  /** Days of consented reads stored. */
  reads: number;
}

/**
 * Processes one uplink envelope.
 * @throws {PartyError} for an envelope not for the supplier, one that fails authentication or
 *   answers nothing in flight (REPLAYED), or a message id reused with other bytes. Nothing is stored then.
 */
export async function receiveUplink(options: ReceiveUplinkOptions): Promise<ReceiveUplinkResult> {
  const { context } = options;
  // The session's new state, the receipt, the bills and the reads commit together: a crash leaves all or none.
  const record = async (completed: CompletedCommand | null, tx: DbTransaction, header: RoutingHeader, account: SupplierAccount) => {
    const answeredCollect = completed?.command.messageClass === 'collect';
    let statements: BillStatement[] = [];
    let reads: ConsentedReads[] = [];
    let malformed = false;
    if (completed && answeredCollect && answeredWithData(completed.response.sw)) {
      try {
        ({ statements, reads } = parseBillingCollect(completed.response.data));
      } catch {
        malformed = true;
      }
    }
    let storedReads = 0;
    for (const read of reads) {
      const existing = await tx.supplierConsentedRead.findUnique({ where: { meterId_date: { meterId: header.meterId, date: read.date } } });
      if (existing) continue;
      await tx.supplierConsentedRead.create({
        data: { meterId: header.meterId, worldId: account.worldId, date: read.date, resolution: read.resolution, importWh: JSON.stringify(read.importWh), exportWh: JSON.stringify(read.exportWh) },
      });
      storedReads++;
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
    const outcome = malformed ? 'collect:malformed' : completed ? `${completed.command.messageClass}:${completed.response.sw.toString(16)}:${stored}:${storedReads}` : header.messageClass;
    return { outcome, result: { stored, storedReads, malformed, answeredCollect } };
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
  if (taken.status === 'already-delivered') return { status: 'already-delivered', bills: 0, reads: 0 };
  const { stored, storedReads, malformed, answeredCollect } = taken.result;
  // Keep one collect standing: re-arm unless another one is already queued or in flight.
  if (answeredCollect) await ensureCollectArmed(context, taken.admitted.worldId, taken.header.meterId);
  if (malformed) throw new PartyError(SUPPLIER_PARTY_ID, 'MALFORMED', 'inbox: the collect response is not what the privacy contract lets billing send (recorded; nothing stored)');
  return { status: 'accepted', bills: stored, reads: storedReads };
}
