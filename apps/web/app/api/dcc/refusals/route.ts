// DCC relay: requests it refused after authentication, with the code and the reason.
import { NextResponse } from 'next/server';
import { authorize } from '@/lib/server/auth';
import { readQuery, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

export async function GET(request: Request) {
  const auth = authorize(request, { parties: ['dcc'] }, 'GET /api/dcc/refusals');
  if ('refusal' in auth) return auth.refusal;
  try {
    const query = readQuery(request, ['worldId', 'code', 'partyId'], { code: /^[A-Z_]{2,40}$/ });
    const { relay } = await services();
    return NextResponse.json({ refusals: await relay.refusals(query) });
  } catch (error) {
    return toErrorResponse(error);
  }
}
