// Telecare provider: the wellbeing alerts it holds for a world (telecare credential only).
import { listAlerts } from '@hydra/suppliers';
import { NextResponse } from 'next/server';
import { authorize } from '@/lib/server/auth';
import { errorResponse, readQuery, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

export async function GET(request: Request) {
  const auth = authorize(request, { parties: ['telecare'] }, 'GET /api/telecare/alerts');
  if ('refusal' in auth) return auth.refusal;
  try {
    const { worldId } = readQuery(request, ['worldId']);
    if (!worldId) return errorResponse(400, 'INVALID_QUERY', 'worldId: expected a world id, e.g. ?worldId=demo');
    const { telecare } = await services();
    return NextResponse.json({ alerts: await listAlerts({ context: telecare, worldId }) });
  } catch (error) {
    return toErrorResponse(error);
  }
}
