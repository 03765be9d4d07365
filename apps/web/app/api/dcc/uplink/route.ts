// DCC relay: a meter's comms hub posts one signed uplink envelope (application/octet-stream). The
// meter is authenticated by its device signature against the registered certificate.
// 202 accepted, 200 "already delivered" for a byte-identical redelivery, 4xx with a reason otherwise.
import { MAX_ENVELOPE_BYTES } from '@hydra/dcc';
import { NextResponse } from 'next/server';
import { authorize } from '@/lib/server/auth';
import { readBytes, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

export async function POST(request: Request) {
  const auth = authorize(request, 'meter-host', 'POST /api/dcc/uplink');
  if ('refusal' in auth) return auth.refusal;
  try {
    const { relay } = await services();
    const result = await relay.acceptUplink(await readBytes(request, MAX_ENVELOPE_BYTES));
    return NextResponse.json(result, { status: result.status === 'accepted' ? 202 : 200 });
  } catch (error) {
    return toErrorResponse(error);
  }
}
