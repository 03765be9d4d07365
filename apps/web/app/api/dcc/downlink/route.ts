// DCC relay: a party posts a sealed downlink command under its own credential.
import { MAX_ENVELOPE_BYTES } from '@hydra/dcc';
import { NextResponse } from 'next/server';
import { errorResponse, hasBearer, readBytes, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';
import { serverEnv } from '@/lib/server/env';

export async function POST(request: Request) {
  try {
    const env = serverEnv();
    // The caller's party comes from its credential, never from the envelope.
    const partyId = hasBearer(request, env.tokens.supplier) ? 'supplier' : null;
    if (!partyId) return errorResponse(401, 'UNAUTHENTICATED', 'downlink: a party credential is required (Authorization: Bearer …)');
    const { relay } = await services();
    const result = await relay.acceptDownlink(partyId, await readBytes(request, MAX_ENVELOPE_BYTES));
    return NextResponse.json(result, { status: result.status === 'accepted' ? 202 : 200 });
  } catch (error) {
    return toErrorResponse(error);
  }
}
