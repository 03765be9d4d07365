/**
 * The telecare provider's party sessions: the generic SCP11b/SCP03 host channel bound to its
 * identity, KEK and its own `TelecareSession` table.
 */
import type { DbTransaction } from '@hydra/db';
import type { PartySessionOptions } from '../shared/party-session';
import { partySessionOptions, type PartyContext } from '../shared/session-store';
import { TELECARE_PARTY_ID } from './context';

/** Session options for the telecare provider. */
export function telecareSessionOptions(context: PartyContext): PartySessionOptions<DbTransaction> {
  return partySessionOptions(TELECARE_PARTY_ID, context, (db) => db.telecareSession);
}
