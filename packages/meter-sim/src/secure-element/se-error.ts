/**
 * Typed errors of the simulated secure element and the one table mapping each error code to the
 * ISO/IEC 7816-4 status word the card answers with (ISO/IEC 7816-4 §5.6, GP Card Specification
 * v2.3.1 §11.1.3). Every refusal inside the card manager is one of these; `process` turns it into
 * a response APDU and never lets it escape.
 */
import { GlobalPlatformError } from '@hydra/globalplatform';
import type { SeEventKind } from './firewall';

/** Every refusal the secure element gives, with its status word. */
export const SE_STATUS_WORDS = {
  WRONG_LENGTH: 0x6700,
  SELECTION_FAILED: 0x6999,
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  WRONG_DATA: 0x6a80,
  NOT_FOUND: 0x6a82,
  NOT_ENOUGH_MEMORY: 0x6a84,
  WRONG_P1_P2: 0x6a86,
  REFERENCED_DATA_NOT_FOUND: 0x6a88,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  NO_PRECISE_DIAGNOSIS: 0x6f00,
} as const;

/** One of the codes in {@link SE_STATUS_WORDS}. */
export type SeErrorCode = keyof typeof SE_STATUS_WORDS;

/** What a refusal records in the firewall log (see firewall.ts), when it is a refused access. */
export interface SeRefusalRecord {
  kind: SeEventKind;
  actor: string;
  target: string;
}

/**
 * A command the secure element refuses. `statusWord` is what the card answers; `record`, when
 * present, is written to the event log even though nothing else changes.
 */
export class SeError extends Error {
  readonly code: SeErrorCode;
  readonly statusWord: number;
  readonly record: SeRefusalRecord | undefined;
  constructor(code: SeErrorCode, message: string, record?: SeRefusalRecord) {
    super(message);
    this.name = 'SeError';
    this.code = code;
    this.statusWord = SE_STATUS_WORDS[code];
    this.record = record;
  }
}

/** The status word for any error thrown while handling a command: typed errors carry theirs, anything else is 6F00. */
export function statusWordOf(error: unknown): number {
  if (error instanceof SeError || error instanceof GlobalPlatformError) return error.statusWord;
  return SE_STATUS_WORDS.NO_PRECISE_DIAGNOSIS;
}
