/**
 * What every DNO operation is given: its own tables, its own key-encryption key, a secure random
 * source, the relay under the DNO's credential, a wall clock and the manufacturer CA it trusts.
 */
import type { PartyContext } from '../shared/session-store';

/** The DNO's party id, as registered with the relay. */
export const DNO_PARTY_ID = 'dno';

/** The DNO's applets on every meter, each collected through the DNO's own security domain. */
export const DNO_APPLETS = ['power-quality', 'aggregation', 'load-control'] as const;

/** One of the DNO's applets. */
export type DnoApplet = (typeof DNO_APPLETS)[number];

/** Dependencies of DNO operations (the DNO's own KEK and relay credential). */
export type DnoContext = PartyContext;
