// Energy supplier: the tariffs it holds for a world (supplier credential only).
import { listTariffs } from '@hydra/suppliers';
import { NextResponse } from 'next/server';
import { authorize } from '@/lib/server/auth';
import { errorResponse, readQuery, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

export async function GET(request: Request) {
  const auth = authorize(request, { parties: ['supplier'] }, 'GET /api/supplier/tariffs');
  if ('refusal' in auth) return auth.refusal;
  try {
    const { worldId } = readQuery(request, ['worldId']);
    if (!worldId) return errorResponse(400, 'INVALID_QUERY', 'worldId: expected a world id, e.g. ?worldId=demo');
    const { supplier } = await services();
    return NextResponse.json({ tariffs: await listTariffs({ context: supplier, worldId }) });
  } catch (error) {
    return toErrorResponse(error);
  }
}
