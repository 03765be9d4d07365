// DCC relay: the metadata log of a world — the only thing the relay keeps.
import { NextResponse } from 'next/server';
import { errorResponse, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

export async function GET(request: Request) {
  try {
    const worldId = new URL(request.url).searchParams.get('worldId');
    if (!worldId || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(worldId)) return errorResponse(400, 'INVALID_QUERY', 'worldId: expected a world id');
    const { relay } = await services();
    const [records, stats] = await Promise.all([relay.metadataLog(worldId, 200), relay.stats(worldId)]);
    return NextResponse.json({ records, stats });
  } catch (error) {
    return toErrorResponse(error);
  }
}
