/**
 * The supplier's inbox: takes the card's response APDU the relay delivers, lets the party session
 * verify and open it (R-MAC, R-ENC under the supplier's own SCP03 session keys) and send the next
 * queued command, stores what the privacy contract gives it — monthly bill statements, and the
 * daily or half-hourly reads a householder chose to share (each field checked against the
 * contract; anything else in the collect is refused, nothing stored) — and re-arms the standing
 * collect. Idempotent by relay message id (a byte-identical redelivery is "already delivered"), by
 * statement id and by meter and date inside the sealed payload.
 */
import { decodeEnvelope } from '@hydra/dcc';
import { bytesToHex } from '@hydra/globalplatform';
import { sha256 } from '@noble/hashes/sha2.js';
import type { DbTransaction } from '@hydra/db';
import { PartySessionError, receivePartyResponse, type CompletedCommand } from '../shared/party-session';
import { ensureCollectArmed } from './arm-collect';
import { SUPPLIER_PARTY_ID, type SupplierContext } from './context';
import { parseBillingCollect, type BillStatement, type ConsentedReads } from './billing-collect';
import { supplierSessionOptions } from './session';
import { SupplierError } from './supplier-error';

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
 * @throws {SupplierError} for an envelope not for the supplier, one that fails authentication or
 *   answers nothing in flight (REPLAYED), or a message id reused with other bytes. Nothing is stored then.
 */
export async function receiveUplink(options: ReceiveUplinkOptions): Promise<ReceiveUplinkResult> {
  const { context, envelope: bytes } = options;
  let envelope;
  try {
    envelope = decodeEnvelope(bytes);
  } catch (error) {
    throw new SupplierError('MALFORMED', error instanceof Error ? error.message : 'envelope: malformed');
  }
  const { header } = envelope;
  if (header.partyId !== SUPPLIER_PARTY_ID || header.direction !== 'uplink') {
    throw new SupplierError('MISROUTED', `inbox: this envelope is for ${header.partyId} (${header.direction}), not the supplier's inbox`);
  }
  const digest = bytesToHex(sha256(bytes));
  const receipt = await context.db.supplierReceipt.findUnique({ where: { messageId: header.messageId } });
  if (receipt) {
    if (receipt.digest === digest) return { status: 'already-delivered', bills: 0, reads: 0 };
    throw new SupplierError('REPLAYED', `inbox: message ${header.messageId} was already received with other bytes`);
  }
  const account = await context.db.supplierAccount.findUnique({ where: { meterId: header.meterId } });
  if (!account) throw new SupplierError('UNKNOWN_METER', `supplier: no account for meter ${header.meterId}`);
  const tariff = await context.db.supplierTariff.findUnique({ where: { id: account.tariffId } });
  const standingPerDay = tariff ? (JSON.parse(tariff.document) as { standingCharge: number }).standingCharge : 0;
  let stored = 0;
  let storedReads = 0;
  let malformed = false;
  let answeredCollect = false;
  // The session's new state, the receipt and the bills commit together: a crash leaves all or none.
  const record = async (completed: CompletedCommand | null, tx: DbTransaction) => {
    let statements: BillStatement[] = [];
    let reads: ConsentedReads[] = [];
    answeredCollect = completed?.command.messageClass === 'collect';
    if (completed && answeredCollect && (completed.response.sw === 0x9000 || completed.response.sw === 0x6310)) {
      try {
        ({ statements, reads } = parseBillingCollect(completed.response.data));
      } catch {
        malformed = true;
      }
    }
    for (const read of reads) {
      const existing = await tx.supplierConsentedRead.findUnique({ where: { meterId_date: { meterId: header.meterId, date: read.date } } });
      if (existing) continue;
      await tx.supplierConsentedRead.create({
        data: { meterId: header.meterId, worldId: account.worldId, date: read.date, resolution: read.resolution, importWh: JSON.stringify(read.importWh), exportWh: JSON.stringify(read.exportWh) },
      });
      storedReads++;
    }
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
    const outcome = malformed ? 'collect:malformed' : completed ? `${completed.command.messageClass}:${completed.response.sw.toString(16)}:${stored}:${storedReads}` : header.messageClass;
    await tx.supplierReceipt.create({ data: { messageId: header.messageId, digest, outcome } });
    if (answeredCollect && account.pendingCollectId === completed?.command.tag) await tx.supplierAccount.update({ where: { meterId: header.meterId }, data: { pendingCollectId: null } });
  };
  try {
    await receivePartyResponse(supplierSessionOptions(context), header, envelope.payload, record);
  } catch (error) {
    if (error instanceof PartySessionError) {
      if (error.code === 'UNEXPECTED_RESPONSE') throw new SupplierError('REPLAYED', `inbox: ${error.message}`);
      if (error.code === 'AUTHENTICATION_FAILED' || error.code === 'CERTIFICATE_INVALID') throw new SupplierError('AUTHENTICATION_FAILED', `inbox: ${error.message}`);
    }
    throw error;
  }
  // Keep one collect standing: re-arm unless another one is already queued or in flight.
  if (answeredCollect) await ensureCollectArmed(context, account.worldId, header.meterId);
  if (malformed) throw new SupplierError('MALFORMED', 'inbox: the collect response is not what the privacy contract lets billing send (recorded; nothing stored)');
  return { status: 'accepted', bills: stored, reads: storedReads };
}
