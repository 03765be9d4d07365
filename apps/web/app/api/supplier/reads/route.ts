// Energy supplier: the reads householders chose to share with it (daily or half-hourly; none under
// the Hydra default), for a world and optionally one meter (supplier credential only).
import { listConsentedReads } from '@hydra/suppliers';
import { NextResponse } from 'next/server';
import { authorize } from '@/lib/server/auth';
import { errorResponse, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

export async function GET(request: Request) {
  const auth = authorize(request, { parties: ['supplier'] }, 'GET /api/supplier/reads');
  if ('refusal' in auth) return auth.refusal;
  try {
    const params = new URL(request.url).searchParams;
    const worldId = params.get('worldId');
    const meterId = params.get('meterId');
    if (!worldId || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(worldId)) return errorResponse(400, 'INVALID_QUERY', 'worldId: expected a world id');
    if (meterId !== null && !/^[a-z0-9][a-z0-9-]{0,79}$/.test(meterId)) return errorResponse(400, 'INVALID_QUERY', 'meterId: expected a meter id such as demo-m0001');
    const { supplier } = await services();
    return NextResponse.json({ reads: await listConsentedReads({ context: supplier, worldId, ...(meterId ? { meterId } : {}) }) });
  } catch (error) {
    return toErrorResponse(error);
  }
}
