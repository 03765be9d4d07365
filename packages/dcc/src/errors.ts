/**
 * The relay's typed errors and the one table mapping their codes to HTTP statuses. Every refusal
 * a caller can cause says what was wrong.
 */

/** Error codes the relay and its envelope codec raise. */
export type RelayErrorCode =
  | 'ENVELOPE_MALFORMED'
  | 'ENVELOPE_TRUNCATED'
  | 'ENVELOPE_OVERSIZED'
  | 'ENVELOPE_VERSION'
  | 'SIGNATURE_INVALID'
  | 'METER_UNKNOWN'
  | 'PARTY_UNKNOWN'
  | 'ROLE_NOT_ELIGIBLE'
  | 'CONSENT_REQUIRED'
  | 'CONSENT_STALE'
  | 'ROUTE_INVALID'
  | 'MESSAGE_ID_REUSED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'DELIVERY_FAILED'
  | 'NOT_FOUND';

/** HTTP status for each code. */
export const RELAY_ERROR_STATUS: Record<RelayErrorCode, number> = {
  ENVELOPE_MALFORMED: 400,
  ENVELOPE_TRUNCATED: 400,
  ENVELOPE_OVERSIZED: 413,
  ENVELOPE_VERSION: 400,
  SIGNATURE_INVALID: 401,
  METER_UNKNOWN: 404,
  PARTY_UNKNOWN: 404,
  ROLE_NOT_ELIGIBLE: 403,
  CONSENT_REQUIRED: 403,
  CONSENT_STALE: 409,
  ROUTE_INVALID: 422,
  MESSAGE_ID_REUSED: 409,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  DELIVERY_FAILED: 502,
  NOT_FOUND: 404,
};

/**
 * Thrown by a `PartyTransport` when the party refused an uplink for good — it answers a command
 * the party no longer has in flight (say, a collect armed before the meter was re-manufactured
 * with new keys), or reuses a message id with other bytes. Retrying cannot help, so the relay
 * dead-letters it at once instead of holding back every later uplink of its channel for the whole
 * retry schedule. Any other failure is retried as before.
 */
export class DeliveryRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryRefusedError';
  }
}

/** A refusal by the relay, with a code and a message that says what to do. */
export class RelayError extends Error {
  readonly code: RelayErrorCode;
  /** For RATE_LIMITED: seconds until the caller may try again (the Retry-After header). */
  readonly retryAfterSeconds: number | undefined;
  constructor(code: RelayErrorCode, message: string, options: { retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = 'RelayError';
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** The HTTP status for this error. */
  get status(): number {
    return RELAY_ERROR_STATUS[this.code];
  }
}
