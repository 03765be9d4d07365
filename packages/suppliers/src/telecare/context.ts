/**
 * What every telecare operation is given: its own tables, its own key-encryption key, a secure
 * random source, the relay under the telecare provider's credential (which also carries meters'
 * proofs of consent), a wall clock and the manufacturer CA it trusts.
 */
import type { EnrollingRelayClient } from '../shared/relay-client';
import type { PartyContext } from '../shared/session-store';

/** The telecare provider's party id, as registered with the relay. */
export const TELECARE_PARTY_ID = 'telecare';

/** The telecare applet. */
export const TELECARE_APPLET = 'telecare';

/** Dependencies of telecare operations. */
export type TelecareContext = PartyContext & { relay: EnrollingRelayClient };
