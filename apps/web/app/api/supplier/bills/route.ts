// Energy supplier: the bills it holds for a world (supplier credential only).
import { listBills } from '@hydra/suppliers';
import { NextResponse } from 'next/server';
import { errorResponse, requireBearer, toErrorResponse } from '@/lib/server/http';
import { serverEnv } from '@/lib/server/env';
import { services } from '@/lib/server/services';

export async function GET(request: Request) {
  try {
    const denied = requireBearer(request, serverEnv().tokens.supplier, 'supplier');
    if (denied) return denied;
    const worldId = new URL(request.url).searchParams.get('worldId');
    if (!worldId || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(worldId)) return errorResponse(400, 'INVALID_QUERY', 'worldId: expected a world id');
    const { supplier } = await services();
    return NextResponse.json({ bills: await listBills({ context: supplier, worldId }) });
  } catch (error) {
    return toErrorResponse(error);
  }
}
