// DCC relay: a party posts a sealed downlink command under its own credential. The caller's party
// comes from its credential, never from the envelope; the DCC itself sends no commands.
import { MAX_ENVELOPE_BYTES } from '@hydra/dcc';
import { NextResponse } from 'next/server';
import { authorize } from '@/lib/server/auth';
import { readBytes, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

export async function POST(request: Request) {
  const auth = authorize(request, { parties: ['supplier', 'dno', 'telecare'] }, 'POST /api/dcc/downlink');
  if ('refusal' in auth) return auth.refusal;
  try {
    const { relay } = await services();
    const result = await relay.acceptDownlink(auth.principal ?? '', await readBytes(request, MAX_ENVELOPE_BYTES));
    return NextResponse.json(result, { status: result.status === 'accepted' ? 202 : 200 });
  } catch (error) {
    return toErrorResponse(error);
  }
}
