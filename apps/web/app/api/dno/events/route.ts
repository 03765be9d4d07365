// DNO: the power-quality events it holds for a world (DNO credential only).
import { listPowerQualityEvents } from '@hydra/suppliers';
import { NextResponse } from 'next/server';
import { authorize } from '@/lib/server/auth';
import { errorResponse, readQuery, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

export async function GET(request: Request) {
  const auth = authorize(request, { parties: ['dno'] }, 'GET /api/dno/events');
  if ('refusal' in auth) return auth.refusal;
  try {
    const { worldId, feederId } = readQuery(request, ['worldId', 'feederId']);
    if (!worldId) return errorResponse(400, 'INVALID_QUERY', 'worldId: expected a world id, e.g. ?worldId=demo');
    const { dno } = await services();
    return NextResponse.json({ events: await listPowerQualityEvents({ context: dno, worldId, ...(feederId ? { feederId } : {}) }) });
  } catch (error) {
    return toErrorResponse(error);
  }
}
