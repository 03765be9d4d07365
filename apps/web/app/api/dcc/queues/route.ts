// DCC relay: queue depth per channel (meter, party, direction) — DCC credential only.
import { NextResponse } from 'next/server';
import { authorize } from '@/lib/server/auth';
import { readQuery, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

export async function GET(request: Request) {
  const auth = authorize(request, { parties: ['dcc'] }, 'GET /api/dcc/queues');
  if ('refusal' in auth) return auth.refusal;
  try {
    const { worldId } = readQuery(request, ['worldId']);
    const { relay } = await services();
    return NextResponse.json({ channels: await relay.queueDepth(worldId) });
  } catch (error) {
    return toErrorResponse(error);
  }
}
