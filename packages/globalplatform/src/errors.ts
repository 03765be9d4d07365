/**
 * Typed errors of the GlobalPlatform library and the one table that maps each error code to the
 * ISO/IEC 7816-4 status word a card answers with (ISO/IEC 7816-4 §5.6; GP Card Specification
 * v2.3.1 §11.1.3). Every failure that untrusted bytes can cause is one of these classes, so a card
 * side can always answer with a proper status word and a host side can tell what went wrong.
 */

/** Every error code this library raises for untrusted input, with the status word it maps to. */
export const ERROR_STATUS_WORDS = {
  /** BER-TLV that is truncated, indefinite, non-minimal or otherwise malformed. */
  TLV_MALFORMED: 0x6a80,
  /** A command APDU whose length fields do not match its size (ISO/IEC 7816-4 §5.1). */
  APDU_MALFORMED: 0x6700,
  /** A response APDU shorter than its two status bytes. */
  RESPONSE_MALFORMED: 0x6f00,
  /** A card answered with a status word other than success. */
  APDU_STATUS: 0x6f00,
  /** Wrong parameters for a command (unknown SCP parameters, unsupported level, wrong key version). */
  WRONG_PARAMETERS: 0x6a86,
  /** Wrong data in a command (bad TLV structure inside a GP command, invalid point). */
  WRONG_DATA: 0x6a80,
  /** A key or data object named by the command does not exist (e.g. unknown key version). */
  REFERENCED_DATA_NOT_FOUND: 0x6a88,
  /** Instruction not supported in this state or class. */
  INS_NOT_SUPPORTED: 0x6d00,
  /** Any secure channel authentication failure: MAC, cryptogram, receipt, padding (one generic answer). */
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  /** The operation is not allowed in the current protocol state (e.g. no command awaiting a response). */
  CONDITIONS_NOT_SATISFIED: 0x6985,
  /** A certificate could not be parsed. */
  CERTIFICATE_MALFORMED: 0x6a80,
  /** A certificate chain failed verification (issuer, signature, role or validity). */
  CERTIFICATE_REJECTED: 0x6982,
} as const;

/** One of the error codes in {@link ERROR_STATUS_WORDS}. */
export type ErrorCode = keyof typeof ERROR_STATUS_WORDS;

/**
 * Base class of every typed error in this package: a stable `code` and the `statusWord` the card
 * side answers with.
 */
export class GlobalPlatformError extends Error {
  readonly code: ErrorCode;
  readonly statusWord: number;
  constructor(code: ErrorCode, message: string, statusWord: number = ERROR_STATUS_WORDS[code]) {
    super(message);
    this.name = 'GlobalPlatformError';
    this.code = code;
    this.statusWord = statusWord;
  }
}

/** Malformed BER-TLV (ISO/IEC 7816-4 §5.2, ITU-T X.690 §8.1). `reason` says which rule broke. */
export class TlvError extends GlobalPlatformError {
  readonly reason: 'truncated' | 'indefinite-length' | 'length-too-large' | 'non-minimal' | 'bad-tag' | 'too-deep' | 'trailing-bytes';
  constructor(reason: TlvError['reason'], message: string) {
    super('TLV_MALFORMED', `BER-TLV: ${message}`);
    this.name = 'TlvError';
    this.reason = reason;
  }
}

/** A command or response APDU that does not follow the ISO/IEC 7816-4 §5.1 encoding. */
export class ApduFormatError extends GlobalPlatformError {
  constructor(message: string, code: 'APDU_MALFORMED' | 'RESPONSE_MALFORMED' = 'APDU_MALFORMED') {
    super(code, `APDU: ${message}`);
    this.name = 'ApduFormatError';
  }
}

/**
 * A card answered with a status word other than the one expected. Carries the status word so the
 * caller can show its meaning (`describeStatusWord`).
 */
export class ApduError extends GlobalPlatformError {
  constructor(statusWord: number, message?: string) {
    const hex = statusWord.toString(16).toUpperCase().padStart(4, '0');
    super('APDU_STATUS', message ?? `card answered ${hex}`, statusWord);
    this.name = 'ApduError';
  }
}

/**
 * The one error every secure channel authentication failure gives (MAC, cryptogram, receipt,
 * padding, replay): status word 6982 and no detail, so there is no oracle on what was wrong
 * (GP Card Specification v2.3.1 §10.8; GP Amendment D §7.1.2.1).
 */
export class ScpAuthenticationError extends GlobalPlatformError {
  constructor() {
    super('SECURITY_STATUS_NOT_SATISFIED', 'secure channel: authentication failed');
    this.name = 'ScpAuthenticationError';
  }
}

/** A secure channel operation refused because of the protocol state or parameters (6985 / 6A86 / 6A80 / 6D00). */
export class ScpProtocolError extends GlobalPlatformError {
  constructor(code: 'CONDITIONS_NOT_SATISFIED' | 'WRONG_PARAMETERS' | 'WRONG_DATA' | 'INS_NOT_SUPPORTED' | 'REFERENCED_DATA_NOT_FOUND', message: string) {
    super(code, `secure channel: ${message}`);
    this.name = 'ScpProtocolError';
  }
}

/** A certificate that is malformed or that fails chain verification. `reason` names the failed check. */
export class CertificateError extends GlobalPlatformError {
  readonly reason: 'malformed' | 'wrong-issuer' | 'bad-signature' | 'expired' | 'not-yet-valid' | 'wrong-role' | 'empty-chain';
  constructor(reason: CertificateError['reason'], message: string) {
    super(reason === 'malformed' ? 'CERTIFICATE_MALFORMED' : 'CERTIFICATE_REJECTED', `certificate: ${message}`);
    this.name = 'CertificateError';
    this.reason = reason;
  }
}
