/**
 * The relay envelope: routing metadata in the clear, the sealed payload opaque, and (uplink) the
 * meter's device signature. One codec; nothing past `decodeEnvelope` trusts unparsed bytes.
 *
 * Layout (all integers big-endian):
 *   0   2  magic "HY"
 *   2   1  version (1)
 *   3   1  flags: bit 0 = signed
 *   4   2  header length H (1..MAX_HEADER_BYTES)
 *   6   H  header: UTF-8 JSON, strict schema (routing fields only)
 *   …   4  payload length P (0..MAX_PAYLOAD_BYTES)
 *   …   P  sealed payload
 *   …  64  ECDSA P-256 signature (r‖s) over every byte before it, when signed
 * Nothing may follow.
 */
import { bytesToUtf8, concatBytes, uintToBytes, utf8ToBytes, type RoutingHeader } from '@hydra/globalplatform';
import { z } from 'zod';
import { RelayError } from './errors';

export const ENVELOPE_VERSION = 1;
export const MAX_HEADER_BYTES = 1024;
export const MAX_PAYLOAD_BYTES = 64 * 1024;
export const SIGNATURE_BYTES = 64;
/** Largest envelope the relay accepts. */
export const MAX_ENVELOPE_BYTES = 6 + MAX_HEADER_BYTES + 4 + MAX_PAYLOAD_BYTES + SIGNATURE_BYTES;

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes, at most 64');
const messageId = z.string().regex(/^[0-9a-f]{32}$/, '32 lower-case hex digits');

/** The routing header's schema: exactly these fields, nothing else. */
export const routingHeaderSchema = z
  .object({
    messageId,
    worldId: id,
    meterId: id,
    partyId: id,
    appletId: id,
    messageClass: id,
    direction: z.enum(['uplink', 'downlink']),
    correlationId: messageId.optional(),
  })
  .strict();

/** A decoded envelope. */
export interface Envelope {
  header: RoutingHeader;
  /** The exact header bytes as carried (for re-encoding byte-identically). */
  payload: Uint8Array;
  signature: Uint8Array | null;
  /** The bytes the signature covers. */
  signedBytes: Uint8Array;
}

function canonicalHeader(header: RoutingHeader): Uint8Array {
  const ordered: Record<string, string> = {
    messageId: header.messageId,
    worldId: header.worldId,
    meterId: header.meterId,
    partyId: header.partyId,
    appletId: header.appletId,
    messageClass: header.messageClass,
    direction: header.direction,
  };
  if (header.correlationId !== undefined) ordered.correlationId = header.correlationId;
  return utf8ToBytes(JSON.stringify(ordered));
}

/**
 * Encodes an envelope. The header is validated first.
 * @param sign - when given, signs the envelope (uplink: the meter's device key).
 * @throws {RelayError} ENVELOPE_MALFORMED / ENVELOPE_OVERSIZED.
 */
export function encodeEnvelope(header: RoutingHeader, payload: Uint8Array, sign?: (bytes: Uint8Array) => Uint8Array): Uint8Array {
  const parsed = routingHeaderSchema.safeParse(header);
  if (!parsed.success) throw new RelayError('ENVELOPE_MALFORMED', `envelope header: ${formatIssue(parsed.error)}`);
  const headerBytes = canonicalHeader(header);
  if (headerBytes.length > MAX_HEADER_BYTES) throw new RelayError('ENVELOPE_OVERSIZED', `envelope header: at most ${MAX_HEADER_BYTES} bytes, got ${headerBytes.length}`);
  if (payload.length > MAX_PAYLOAD_BYTES) throw new RelayError('ENVELOPE_OVERSIZED', `envelope payload: at most ${MAX_PAYLOAD_BYTES} bytes, got ${payload.length}`);
  const body = concatBytes(
    utf8ToBytes('HY'),
    Uint8Array.of(ENVELOPE_VERSION, sign ? 1 : 0),
    uintToBytes(headerBytes.length, 2),
    headerBytes,
    uintToBytes(payload.length, 4),
    payload,
  );
  if (!sign) return body;
  const signature = sign(body);
  if (signature.length !== SIGNATURE_BYTES) throw new RelayError('ENVELOPE_MALFORMED', `envelope signature: expected ${SIGNATURE_BYTES} bytes, got ${signature.length}`);
  return concatBytes(body, signature);
}

/**
 * Decodes and validates an envelope. Strict: wrong magic, version, lengths, trailing bytes, a
 * header that is not exactly the routing schema — each is refused with a clear message.
 * @throws {RelayError} ENVELOPE_MALFORMED, ENVELOPE_TRUNCATED, ENVELOPE_OVERSIZED, ENVELOPE_VERSION.
 */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  if (!(bytes instanceof Uint8Array)) throw new RelayError('ENVELOPE_MALFORMED', 'envelope: expected bytes');
  if (bytes.length > MAX_ENVELOPE_BYTES) throw new RelayError('ENVELOPE_OVERSIZED', `envelope: at most ${MAX_ENVELOPE_BYTES} bytes, got ${bytes.length}`);
  if (bytes.length < 6) throw new RelayError('ENVELOPE_TRUNCATED', `envelope: expected at least 6 bytes, got ${bytes.length}`);
  if (bytes[0] !== 0x48 || bytes[1] !== 0x59) throw new RelayError('ENVELOPE_MALFORMED', 'envelope: bad magic (expected "HY")');
  if (bytes[2] !== ENVELOPE_VERSION) throw new RelayError('ENVELOPE_VERSION', `envelope: unsupported version ${bytes[2]}, expected ${ENVELOPE_VERSION}`);
  const flags = bytes[3] ?? 0;
  if ((flags & ~1) !== 0) throw new RelayError('ENVELOPE_MALFORMED', `envelope: unknown flags 0x${flags.toString(16)}`);
  const signed = (flags & 1) === 1;
  const headerLength = ((bytes[4] ?? 0) << 8) | (bytes[5] ?? 0);
  if (headerLength === 0 || headerLength > MAX_HEADER_BYTES) throw new RelayError('ENVELOPE_MALFORMED', `envelope header length: expected 1..${MAX_HEADER_BYTES}, got ${headerLength}`);
  const payloadLengthAt = 6 + headerLength;
  if (bytes.length < payloadLengthAt + 4) throw new RelayError('ENVELOPE_TRUNCATED', 'envelope: truncated in header or payload length');
  const payloadLength = new DataView(bytes.buffer, bytes.byteOffset + payloadLengthAt, 4).getUint32(0);
  if (payloadLength > MAX_PAYLOAD_BYTES) throw new RelayError('ENVELOPE_OVERSIZED', `envelope payload: at most ${MAX_PAYLOAD_BYTES} bytes, got ${payloadLength}`);
  const payloadAt = payloadLengthAt + 4;
  const bodyEnd = payloadAt + payloadLength;
  const expected = bodyEnd + (signed ? SIGNATURE_BYTES : 0);
  if (bytes.length < expected) throw new RelayError('ENVELOPE_TRUNCATED', `envelope: expected ${expected} bytes, got ${bytes.length}`);
  if (bytes.length > expected) throw new RelayError('ENVELOPE_MALFORMED', `envelope: ${bytes.length - expected} unexpected trailing bytes`);
  let json: unknown;
  try {
    json = JSON.parse(bytesToUtf8(bytes.subarray(6, payloadLengthAt)));
  } catch {
    throw new RelayError('ENVELOPE_MALFORMED', 'envelope header: not UTF-8 JSON');
  }
  const parsed = routingHeaderSchema.safeParse(json);
  if (!parsed.success) throw new RelayError('ENVELOPE_MALFORMED', `envelope header: ${formatIssue(parsed.error)}`);
  const header: RoutingHeader = { ...parsed.data };
  if (header.correlationId === undefined) delete header.correlationId;
  return {
    header,
    payload: bytes.slice(payloadAt, bodyEnd),
    signature: signed ? bytes.slice(bodyEnd, expected) : null,
    signedBytes: bytes.subarray(0, bodyEnd),
  };
}

function formatIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.length > 0 ? issue.path.join('.') : 'header';
  return `${path}: ${issue.message}`;
}
