// Energy supplier: the inbox the relay delivers uplinks to (relay credential only).
import { MAX_ENVELOPE_BYTES } from '@hydra/dcc';
import { receiveUplink } from '@hydra/suppliers';
import { NextResponse } from 'next/server';
import { readBytes, toErrorResponse } from '@/lib/server/http';
import { authorize } from '@/lib/server/auth';
import { services } from '@/lib/server/services';

export async function POST(request: Request) {
  // The relay delivers here, under the DCC's credential.
  const auth = authorize(request, { parties: ['dcc'] }, 'POST /api/supplier/inbox');
  if ('refusal' in auth) return auth.refusal;
  try {
    const { supplier } = await services();
    const result = await receiveUplink({ context: supplier, envelope: await readBytes(request, MAX_ENVELOPE_BYTES) });
    return NextResponse.json(result, { status: result.status === 'accepted' ? 202 : 200 });
  } catch (error) {
    return toErrorResponse(error);
  }
}
