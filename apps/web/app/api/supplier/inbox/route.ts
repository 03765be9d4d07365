// Energy supplier: the inbox the relay delivers uplinks to (relay credential only).
import { MAX_ENVELOPE_BYTES } from '@hydra/dcc';
import { receiveUplink } from '@hydra/suppliers';
import { NextResponse } from 'next/server';
import { readBytes, requireBearer, toErrorResponse } from '@/lib/server/http';
import { serverEnv } from '@/lib/server/env';
import { services } from '@/lib/server/services';

export async function POST(request: Request) {
  try {
    const denied = requireBearer(request, serverEnv().tokens.dcc, 'relay');
    if (denied) return denied;
    const { supplier } = await services();
    const result = await receiveUplink({ context: supplier, envelope: await readBytes(request, MAX_ENVELOPE_BYTES) });
    return NextResponse.json(result, { status: result.status === 'accepted' ? 202 : 200 });
  } catch (error) {
    return toErrorResponse(error);
  }
}
