/**
 * The energy supplier's typed errors and their HTTP statuses.
 */

/** Codes the supplier's operations raise. */
export type SupplierErrorCode = 'MALFORMED' | 'MISROUTED' | 'REPLAYED' | 'AUTHENTICATION_FAILED' | 'UNKNOWN_METER';

/** HTTP status per code. */
export const SUPPLIER_ERROR_STATUS: Record<SupplierErrorCode, number> = {
  MALFORMED: 400,
  MISROUTED: 422,
  REPLAYED: 409,
  AUTHENTICATION_FAILED: 401,
  UNKNOWN_METER: 404,
};

/** A refusal by the supplier's backend. */
export class SupplierError extends Error {
  readonly code: SupplierErrorCode;
  constructor(code: SupplierErrorCode, message: string) {
    super(message);
    this.name = 'SupplierError';
    this.code = code;
  }

  /** The HTTP status for this error. */
  get status(): number {
    return SUPPLIER_ERROR_STATUS[this.code];
  }
}

/** Error for a meter the supplier has no account for. */
export class UnknownAccountError extends Error {
  readonly code = 'ACCOUNT_UNKNOWN';
  constructor(meterId: string) {
    super(`supplier: no account for meter ${meterId}`);
    this.name = 'UnknownAccountError';
  }
}
