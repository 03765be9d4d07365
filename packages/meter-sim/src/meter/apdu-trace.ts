/**
 * The meter's own APDU trace: for every command the meter core handles, the routing header, the
 * command and response as the relay carried them (wrapped: CLA 84, C-MAC, encrypted data) and as
 * the card saw them (plain: the command after the card unwrapped it, the response before the card
 * wrapped it), with the card's clock. It exists so a student can see both sides of one exchange
 * (DESIGN.md "Views worth modelling on").
 *
 * It lives only where the meter lives (the browser is the meter): the host records it through
 * `MeterCoreOptions.onExchange`, keeps it bounded ({@link APDU_TRACE_LIMIT} exchanges per meter)
 * and never sends it anywhere. No key material enters it: the plain side of PUT KEY (the only
 * command that carries keys, inside its encrypted data) is withheld, and session keys, static keys
 * and private keys are never part of an exchange.
 */
import { bytesToHex, encodeCommandApdu, encodeResponseApdu, type CommandApdu, type ResponseApdu, type RoutingHeader } from '@hydra/globalplatform';

/** Most exchanges a host keeps per meter (oldest dropped first). */
export const APDU_TRACE_LIMIT = 200;

/** GP §11.8 PUT KEY: its plain data are key components. */
const INS_PUT_KEY = 0xd8;

/** One command and its response, both sides. Byte strings are lower-case hex. */
export interface ApduExchange {
  /** The card's clock at the exchange (world time, ms). */
  at: number;
  /** The downlink's routing header (what the relay routed by). */
  command: RoutingHeader;
  /** The uplink's routing header, or null when the meter core answered nothing (not addressed here). */
  response: RoutingHeader | null;
  /** As the relay carried them (after unframing): wrapped under the party's session where one is open. */
  wrapped: { command: string; response: string };
  /**
   * As the card saw them: the command after unwrapping (null when the card could not read or
   * unwrap it, or never saw it) and the response before wrapping.
   */
  plain: { command: string | null; response: string };
  /** Why the meter core refused the command before it reached the card, or null. */
  refusal: string | null;
  /** What was withheld from the plain side, or null. */
  withheld: string | null;
}

/** An exchange with its place in the meter's trace. */
export interface TracedExchange extends ApduExchange {
  /** 1, 2, 3 … per meter, never reused. */
  seq: number;
  /** Host time when recorded (ms), when the host gave a clock. */
  recordedAt: number | null;
}

/** What the meter core knows about one handled command. */
export interface ExchangeInput {
  at: number;
  command: RoutingHeader;
  response: RoutingHeader | null;
  wrappedCommand: Uint8Array;
  wrappedResponse: Uint8Array;
  /** The card's plain view (`ProcessResult.plain`), or null when the command never reached the card. */
  plain: { command: CommandApdu | null; response: ResponseApdu } | null;
  refusal: string | null;
}

function encodePlainCommand(command: CommandApdu): { hex: string | null; withheld: string | null } {
  if (command.ins === INS_PUT_KEY && command.data.length > 0) {
    // The header stays (what was asked); the key components do not.
    return { hex: bytesToHex(encodeCommandApdu({ cla: command.cla, ins: command.ins, p1: command.p1, p2: command.p2, data: new Uint8Array(0), ne: command.ne })), withheld: `PUT KEY: ${command.data.length} bytes of key data are not recorded` };
  }
  try {
    return { hex: bytesToHex(encodeCommandApdu(command)), withheld: null };
  } catch {
    return { hex: null, withheld: 'the unwrapped command could not be re-encoded' };
  }
}

/**
 * Builds the trace record of one exchange, withholding key material from the plain side.
 * @param input - what the meter core saw and answered.
 * @returns a plain-JSON record (hex strings), safe to keep in the meter's own storage.
 */
export function traceExchange(input: ExchangeInput): ApduExchange {
  let plainCommand: string | null = null;
  let withheld: string | null = null;
  let plainResponse = bytesToHex(input.wrappedResponse);
  if (input.plain) {
    if (input.plain.command) ({ hex: plainCommand, withheld } = encodePlainCommand(input.plain.command));
    plainResponse = bytesToHex(encodeResponseApdu(input.plain.response));
  }
  return {
    at: input.at,
    command: { ...input.command },
    response: input.response ? { ...input.response } : null,
    wrapped: { command: bytesToHex(input.wrappedCommand), response: bytesToHex(input.wrappedResponse) },
    plain: { command: plainCommand, response: plainResponse },
    refusal: input.refusal,
    withheld,
  };
}

/** Options for {@link ApduTrace}. */
export interface ApduTraceOptions {
  /** Most exchanges kept (default {@link APDU_TRACE_LIMIT}). */
  limit?: number;
  /** The last sequence number already used (e.g. the newest stored one); default 0. */
  lastSeq?: number;
  /** The host's clock, for `recordedAt`. */
  now?: () => number;
}

/**
 * One meter's bounded trace: numbered exchanges, the newest {@link ApduTraceOptions.limit} kept,
 * and the ones not yet stored handed out by {@link ApduTrace.unsaved} until {@link ApduTrace.markSaved}.
 */
export class ApduTrace {
  readonly limit: number;
  private readonly now: (() => number) | undefined;
  private list: TracedExchange[] = [];
  private seq: number;
  private savedSeq: number;

  constructor(options: ApduTraceOptions = {}) {
    const limit = options.limit ?? APDU_TRACE_LIMIT;
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`trace limit: expected a positive integer, got ${limit}`);
    const lastSeq = options.lastSeq ?? 0;
    if (!Number.isInteger(lastSeq) || lastSeq < 0) throw new RangeError(`trace lastSeq: expected a non-negative integer, got ${lastSeq}`);
    this.limit = limit;
    this.now = options.now;
    this.seq = lastSeq;
    this.savedSeq = lastSeq;
  }

  /** Records one exchange and returns it numbered. */
  record(exchange: ApduExchange): TracedExchange {
    this.seq += 1;
    const traced: TracedExchange = { ...exchange, seq: this.seq, recordedAt: this.now ? this.now() : null };
    this.list.push(traced);
    if (this.list.length > this.limit) this.list = this.list.slice(this.list.length - this.limit);
    return traced;
  }

  /** The kept exchanges, oldest first. */
  entries(): readonly TracedExchange[] {
    return this.list;
  }

  /** The newest sequence number used. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Kept exchanges not yet marked saved, oldest first. */
  unsaved(): TracedExchange[] {
    return this.list.filter((entry) => entry.seq > this.savedSeq);
  }

  /** Marks every exchange up to `seq` as saved. */
  markSaved(seq: number): void {
    if (seq > this.savedSeq) this.savedSeq = Math.min(seq, this.seq);
  }
}
