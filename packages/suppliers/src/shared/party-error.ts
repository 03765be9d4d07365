/**
 * The party backends' typed errors and the one table mapping their codes to HTTP statuses
 * (STYLE.md rule 9). Every refusal a caller can cause says what was wrong.
 */

/** Codes a party backend raises. */
export type PartyErrorCode =
  | 'MALFORMED'
  | 'MISROUTED'
  | 'REPLAYED'
  | 'AUTHENTICATION_FAILED'
  | 'UNKNOWN_METER'
  | 'INVALID_REQUEST'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'REFUSED_BY_RELAY';

/** HTTP status per code. */
export const PARTY_ERROR_STATUS: Record<PartyErrorCode, number> = {
  MALFORMED: 400,
  MISROUTED: 422,
  REPLAYED: 409,
  AUTHENTICATION_FAILED: 401,
  UNKNOWN_METER: 404,
  INVALID_REQUEST: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  // The caller's request was well formed, but what it carried (e.g. a proof of consent) the relay refused.
  REFUSED_BY_RELAY: 422,
};

/** A refusal by a party's backend. */
export class PartyError extends Error {
  constructor(
    /** The party that refused (supplier, dno, telecare). */
    readonly party: string,
    readonly code: PartyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PartyError';
  }

  /** The HTTP status for this error. */
  get status(): number {
    return PARTY_ERROR_STATUS[this.code];
  }
}
