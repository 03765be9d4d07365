// DCC relay: the metadata log — the only thing the relay keeps — filtered by world, meter, party,
// class and state (DCC credential only).
import { NextResponse } from 'next/server';
import { authorize } from '@/lib/server/auth';
import { readQuery, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

const STATES = /^(queued|delivered|dead)$/;

export async function GET(request: Request) {
  const auth = authorize(request, { parties: ['dcc'] }, 'GET /api/dcc/log');
  if ('refusal' in auth) return auth.refusal;
  try {
    const query = readQuery(request, ['worldId', 'meterId', 'partyId', 'messageClass', 'state', 'limit'], { state: STATES, limit: /^\d{1,4}$/ });
    const { relay } = await services();
    const filter = {
      ...(query.worldId ? { worldId: query.worldId } : {}),
      ...(query.meterId ? { meterId: query.meterId } : {}),
      ...(query.partyId ? { partyId: query.partyId } : {}),
      ...(query.messageClass ? { messageClass: query.messageClass } : {}),
      ...(query.state ? { state: query.state as 'queued' | 'delivered' | 'dead' } : {}),
      limit: Number(query.limit ?? '200'),
    };
    const [records, stats] = await Promise.all([relay.messages(filter), query.worldId ? relay.stats(query.worldId) : null]);
    return NextResponse.json({ records, stats });
  } catch (error) {
    return toErrorResponse(error);
  }
}
