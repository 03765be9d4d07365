/**
 * The steps every party's inbox takes with an uplink the relay delivers, before and around what
 * the party stores from it: decode the envelope (one codec), refuse one routed to another party,
 * answer a byte-identical redelivery "already delivered" and refuse the same message id with other
 * bytes (DESIGN.md Decision 7), then let the party session verify and open the card's answer and
 * commit the party's records, the session's new state and the receipt in one transaction.
 */
import { decodeEnvelope } from '@hydra/dcc';
import type { DbClient, DbTransaction } from '@hydra/db';
import { bytesToHex, type RoutingHeader } from '@hydra/globalplatform';
import { sha256 } from '@noble/hashes/sha2.js';
import { PartyError } from './party-error';
import { PartySessionError, receivePartyResponse, type CompletedCommand, type PartySessionOptions } from './party-session';

/** The columns every party's receipt table has. */
export interface ReceiptTable {
  findUnique(args: { where: { messageId: string } }): Promise<{ digest: string } | null>;
  create(args: { data: { messageId: string; digest: string; outcome: string } }): Promise<unknown>;
}

/** What a party keeps from one answer: the receipt's outcome line and the caller's result. */
export interface Recorded<T> {
  outcome: string;
  result: T;
}

/** Options for {@link receivePartyUplink}. */
export interface ReceivePartyUplinkOptions<T, A> {
  partyId: string;
  envelope: Uint8Array;
  db: DbClient;
  receipts: (db: DbClient | DbTransaction) => ReceiptTable;
  session: PartySessionOptions<DbTransaction>;
  /** Runs before the answer is taken: finds what the party knows of the meter, or refuses it. */
  admit: (header: RoutingHeader) => Promise<A>;
  /** Stores what the answer carries, in the transaction that saves the session and the receipt. */
  record: (completed: CompletedCommand | null, tx: DbTransaction, header: RoutingHeader, admitted: A) => Promise<Recorded<T>>;
}

/** What the inbox did. */
export type PartyUplinkResult<T, A> = { status: 'already-delivered' } | { status: 'accepted'; header: RoutingHeader; completed: CompletedCommand | null; result: T; admitted: A };

/**
 * Takes one uplink for `partyId`.
 * @throws {PartyError} MALFORMED for bytes that are not an envelope, MISROUTED for one addressed to
 *   another party or not an uplink, REPLAYED for a message id reused with other bytes or an answer
 *   to nothing in flight, AUTHENTICATION_FAILED for a response that fails R-MAC or a certificate
 *   that does not chain. Nothing is stored then.
 */
export async function receivePartyUplink<T, A>(options: ReceivePartyUplinkOptions<T, A>): Promise<PartyUplinkResult<T, A>> {
  const { partyId, envelope: bytes } = options;
  let envelope;
  try {
    envelope = decodeEnvelope(bytes);
  } catch (error) {
    throw new PartyError(partyId, 'MALFORMED', error instanceof Error ? error.message : 'envelope: malformed');
  }
  const { header } = envelope;
  if (header.partyId !== partyId || header.direction !== 'uplink') {
    throw new PartyError(partyId, 'MISROUTED', `inbox: this envelope is for ${header.partyId} (${header.direction}), not the ${partyId}'s inbox`);
  }
  const digest = bytesToHex(sha256(bytes));
  const receipt = await options.receipts(options.db).findUnique({ where: { messageId: header.messageId } });
  if (receipt) {
    if (receipt.digest === digest) return { status: 'already-delivered' };
    throw new PartyError(partyId, 'REPLAYED', `inbox: message ${header.messageId} was already received with other bytes`);
  }
  const admitted = await options.admit(header);
  let result: T | undefined;
  let completed: CompletedCommand | null;
  try {
    completed = await receivePartyResponse(options.session, header, envelope.payload, async (answer, tx) => {
      const recorded = await options.record(answer, tx, header, admitted);
      result = recorded.result;
      await options.receipts(tx).create({ data: { messageId: header.messageId, digest, outcome: recorded.outcome.slice(0, 200) } });
    });
  } catch (error) {
    if (error instanceof PartySessionError) {
      if (error.code === 'UNEXPECTED_RESPONSE') throw new PartyError(partyId, 'REPLAYED', `inbox: ${error.message}`);
      if (error.code === 'AUTHENTICATION_FAILED' || error.code === 'CERTIFICATE_INVALID') throw new PartyError(partyId, 'AUTHENTICATION_FAILED', `inbox: ${error.message}`);
    }
    throw error;
  }
  return { status: 'accepted', header, completed, result: result as T, admitted };
}
