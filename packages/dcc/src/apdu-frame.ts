/**
 * The envelope payload in Hydra mode: one APDU (a command wrapped under the party's SCP03 session,
 * or a plain SCP11 set-up APDU, or the card's response), framed and zero-padded to a fixed size
 * bucket so the relay's size column says little about what travelled (DESIGN.md Decision 5:
 * fixed-size padded responses are the metadata mitigation).
 *
 * Layout: 4-byte big-endian APDU length ‖ APDU ‖ zero bytes up to the bucket size. The padding is
 * outside the C-MAC / R-MAC and carries nothing; the codec refuses non-zero padding and any length
 * that is not a bucket, so a frame has exactly one encoding (byte-identical redelivery holds).
 */
import { concatBytes, uintToBytes } from '@hydra/globalplatform';
import { MAX_PAYLOAD_BYTES } from './envelope';
import { RelayError } from './errors';

/** Payload sizes an APDU frame is padded to. */
export const FRAME_BUCKETS: readonly number[] = [256, 1024, 4096, 16384, MAX_PAYLOAD_BYTES];

/**
 * Frames and pads one APDU.
 * @throws {RelayError} ENVELOPE_OVERSIZED when the APDU does not fit the largest bucket.
 */
export function frameApdu(apdu: Uint8Array): Uint8Array {
  const bucket = FRAME_BUCKETS.find((size) => size >= apdu.length + 4);
  if (bucket === undefined) throw new RelayError('ENVELOPE_OVERSIZED', `APDU frame: at most ${MAX_PAYLOAD_BYTES - 4} bytes, got ${apdu.length}`);
  return concatBytes(uintToBytes(apdu.length, 4), apdu, new Uint8Array(bucket - 4 - apdu.length));
}

/**
 * Extracts the APDU from a frame.
 * @throws {RelayError} ENVELOPE_MALFORMED for a size that is not a bucket, a length that does not
 *   fit, or non-zero padding.
 */
export function unframeApdu(payload: Uint8Array): Uint8Array {
  if (!(payload instanceof Uint8Array) || !FRAME_BUCKETS.includes(payload.length)) throw new RelayError('ENVELOPE_MALFORMED', `APDU frame: expected one of ${FRAME_BUCKETS.join(', ')} bytes`);
  const length = new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0);
  if (length < 2 || length > payload.length - 4) throw new RelayError('ENVELOPE_MALFORMED', `APDU frame: length ${length} does not fit a ${payload.length}-byte frame`);
  for (let i = 4 + length; i < payload.length; i++) if (payload[i] !== 0) throw new RelayError('ENVELOPE_MALFORMED', 'APDU frame: padding must be zero');
  return payload.slice(4, 4 + length);
}
