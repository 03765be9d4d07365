/**
 * A comms hub's batch of uplink envelopes in one request (`POST /api/dcc/uplink/batch`): the
 * limits both ends keep, the request body's schema, the answer per envelope, and how a hub splits
 * what it has to send into batches. Browser-safe (the meter host's transport uses it).
 *
 * Body: `{ "envelopes": ["<base64url>", …] }` — each item one envelope exactly as
 * `POST /api/dcc/uplink` takes it. Answer: `{ "results": [ … ] }`, one per envelope, in order.
 * Each envelope stands alone: a refused one is refused with its own code and reason and changes
 * nothing for itself, and the others are accepted (partial acceptance, not all-or-nothing — the
 * same outcome as posting them one by one, in one request and one database write).
 */
import { z } from 'zod';

/** Most envelopes in one batch. */
export const MAX_BATCH_ENVELOPES = 256;
/** Most envelope bytes (decoded) in one batch. */
export const MAX_BATCH_BYTES = 1024 * 1024;
/**
 * Largest request body the route reads (JSON with base64url items). Twice what a full batch
 * takes, so a batch over the limits still reaches the relay, which refuses it and records why.
 */
export const MAX_BATCH_BODY_BYTES = 2 * (Math.ceil((MAX_BATCH_BYTES * 4) / 3) + MAX_BATCH_ENVELOPES * 4 + 64);

/** The request body's schema: base64url strings (padding optional), at least one. */
export const uplinkBatchSchema = z
  .object({
    envelopes: z
      .array(
        z
          .string()
          .regex(/^[A-Za-z0-9_-]*={0,2}$/, 'base64url (A-Z a-z 0-9 - _)')
          .refine((text) => text.replace(/=+$/, '').length % 4 !== 1, 'base64url: impossible length'),
      )
      .min(1, 'at least one envelope'),
  })
  .strict();

/** The answer for one envelope of a batch. */
export type UplinkItemResult =
  | { messageId: string; status: 'accepted' | 'already-delivered' }
  | { messageId: string | null; status: 'refused'; code: string; message: string; retryAfterSeconds?: number };

/**
 * Splits envelopes into batches within the limits, keeping their order (so a meter's uplinks stay
 * in order: batches are meant to be sent one after another).
 * @returns index lists into `envelopes`, one per batch.
 */
export function splitIntoBatches(envelopes: readonly Uint8Array[], maxEnvelopes = MAX_BATCH_ENVELOPES, maxBytes = MAX_BATCH_BYTES): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  envelopes.forEach((envelope, i) => {
    const size = envelope.length;
    if (current.length > 0 && (current.length >= maxEnvelopes || bytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(i);
    bytes += size;
  });
  if (current.length > 0) batches.push(current);
  return batches;
}
