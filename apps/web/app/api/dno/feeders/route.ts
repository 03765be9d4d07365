// DNO: the world's feeders and one day's load recovered from the masked shares (DNO credential only).
import { listFeeders } from '@hydra/suppliers';
import { NextResponse } from 'next/server';
import { authorize } from '@/lib/server/auth';
import { errorResponse, readQuery, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

export async function GET(request: Request) {
  const auth = authorize(request, { parties: ['dno'] }, 'GET /api/dno/feeders');
  if ('refusal' in auth) return auth.refusal;
  try {
    const { worldId, date } = readQuery(request, ['worldId', 'date'], { date: /^\d{4}-\d{2}-\d{2}$/ });
    if (!worldId) return errorResponse(400, 'INVALID_QUERY', 'worldId: expected a world id, e.g. ?worldId=demo');
    const { dno } = await services();
    return NextResponse.json(await listFeeders({ context: dno, worldId, ...(date ? { date } : {}) }));
  } catch (error) {
    return toErrorResponse(error);
  }
}
