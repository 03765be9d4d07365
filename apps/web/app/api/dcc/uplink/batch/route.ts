// DCC relay: a meter host's comms hub posts a batch of signed uplink envelopes in one request
// (`{ envelopes: [base64url, …] }`, see @hydra/dcc's uplink-batch.ts). Each envelope is checked on its
// own exactly as `POST /api/dcc/uplink` checks one, and the good ones are stored in one write.
// 200 with one result per envelope, in order: accepted, already-delivered, or refused with its code
// and reason (recorded in the refusal log; nothing stored for it). 400 for a body that is not such
// a batch, 413 for one over the limits (at most MAX_BATCH_ENVELOPES envelopes and MAX_BATCH_BYTES).
import { MAX_BATCH_BODY_BYTES, uplinkBatchSchema, type UplinkItemResult } from '@hydra/dcc';
import { base64UrlToBytes } from '@hydra/globalplatform';
import { NextResponse } from 'next/server';
import { authorize } from '@/lib/server/auth';
import { readJson, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

export async function POST(request: Request) {
  const auth = authorize(request, 'meter-host', 'POST /api/dcc/uplink/batch');
  if ('refusal' in auth) return auth.refusal;
  try {
    const { envelopes } = await readJson(request, uplinkBatchSchema, MAX_BATCH_BODY_BYTES);
    const { relay } = await services();
    const outcomes = await relay.acceptUplinks(envelopes.map((envelope) => base64UrlToBytes(envelope)));
    const results: UplinkItemResult[] = outcomes.map((outcome) =>
      outcome.status === 'refused'
        ? {
            messageId: outcome.messageId,
            status: 'refused',
            code: outcome.error.code,
            message: outcome.error.message,
            ...(outcome.error.retryAfterSeconds !== undefined ? { retryAfterSeconds: outcome.error.retryAfterSeconds } : {}),
          }
        : { messageId: outcome.messageId, status: outcome.status },
    );
    return NextResponse.json({ results });
  } catch (error) {
    return toErrorResponse(error);
  }
}
