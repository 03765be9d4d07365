/**
 * The DNO's party sessions: the generic SCP11b/SCP03 host channel bound to the DNO's identity,
 * KEK and its own `DnoSession` table.
 */
import type { DbTransaction } from '@hydra/db';
import type { PartySessionOptions } from '../shared/party-session';
import { partySessionOptions } from '../shared/session-store';
import { DNO_PARTY_ID, type DnoContext } from './context';

/** Session options for the DNO. */
export function dnoSessionOptions(context: DnoContext): PartySessionOptions<DbTransaction> {
  return partySessionOptions(DNO_PARTY_ID, context, (db) => db.dnoSession);
}
