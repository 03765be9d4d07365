// Energy supplier: the bills it holds for a world (supplier credential only).
import { listBills } from '@hydra/suppliers';
import { NextResponse } from 'next/server';
import { authorize } from '@/lib/server/auth';
import { errorResponse, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

export async function GET(request: Request) {
  const auth = authorize(request, { parties: ['supplier'] }, 'GET /api/supplier/bills');
  if ('refusal' in auth) return auth.refusal;
  try {
    const worldId = new URL(request.url).searchParams.get('worldId');
    if (!worldId || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(worldId)) return errorResponse(400, 'INVALID_QUERY', 'worldId: expected a world id');
    const { supplier } = await services();
    return NextResponse.json({ bills: await listBills({ context: supplier, worldId }) });
  } catch (error) {
    return toErrorResponse(error);
  }
}
