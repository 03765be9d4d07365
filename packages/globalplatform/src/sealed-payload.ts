/**
 * The plaintext inside a sealed message: a JSON document padded to a fixed bucket size so that
 * message sizes do not tell the relay what a message holds (DESIGN.md Decision 5: fixed-size padded
 * responses are the metadata mitigation). Layout: 4-byte big-endian JSON length ‖ JSON ‖ zero fill.
 */
import { bytesToUint, bytesToUtf8, concatBytes, uintToBytes, utf8ToBytes } from './bytes';

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Padded sizes a payload is rounded up to. */
export const PAYLOAD_BUCKETS = [512, 2048, 8192, 32768] as const;

/** Error for a payload that is not a well-formed padded JSON document. */
export class PayloadError extends Error {
  readonly code = 'PAYLOAD_MALFORMED';
  constructor(message: string) {
    super(message);
    this.name = 'PayloadError';
  }
}

/** Encodes and pads a JSON document. */
export function encodePayload(document: { [key: string]: Json }): Uint8Array {
  const json = utf8ToBytes(JSON.stringify(document));
  const needed = json.length + 4;
  const bucket = PAYLOAD_BUCKETS.find((size) => size >= needed);
  if (bucket === undefined) throw new PayloadError(`payload: ${json.length} bytes exceeds the largest bucket`);
  return concatBytes(uintToBytes(json.length, 4), json, new Uint8Array(bucket - needed));
}

/** Decodes a padded JSON document; the padding must be zeros and the JSON an object. */
export function decodePayload(bytes: Uint8Array): { [key: string]: Json } {
  if (bytes.length < 4) throw new PayloadError('payload: shorter than its length field');
  const length = bytesToUint(bytes.subarray(0, 4));
  if (length > bytes.length - 4) throw new PayloadError('payload: length field exceeds the payload');
  for (let i = 4 + length; i < bytes.length; i++) if (bytes[i] !== 0) throw new PayloadError('payload: padding must be zeros');
  let value: unknown;
  try {
    value = JSON.parse(bytesToUtf8(bytes.subarray(4, 4 + length)));
  } catch {
    throw new PayloadError('payload: not valid UTF-8 JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new PayloadError('payload: expected a JSON object');
  return value as { [key: string]: Json };
}
