// Conventional mode only: the central store is queryable by every party — the point of the
// comparison. (In Hydra mode there is nothing here to query.)
import { queryConventionalReads } from '@hydra/dcc';
import { NextResponse } from 'next/server';
import { authorize } from '@/lib/server/auth';
import { errorResponse, readQuery, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

export async function GET(request: Request) {
  const auth = authorize(request, { parties: ['dcc', 'supplier', 'dno', 'telecare'] }, 'GET /api/conventional/reads');
  if ('refusal' in auth) return auth.refusal;
  try {
    const query = readQuery(request, ['worldId', 'meterId', 'from', 'to'], { from: /^\d{4}-\d{2}-\d{2}$/, to: /^\d{4}-\d{2}-\d{2}$/ });
    if (!query.worldId) return errorResponse(400, 'INVALID_QUERY', 'worldId: expected a world id');
    const { db } = await services();
    const reads = await queryConventionalReads(db.client, { worldId: query.worldId, ...(query.meterId ? { meterId: query.meterId } : {}), ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) });
    return NextResponse.json({ reads });
  } catch (error) {
    return toErrorResponse(error);
  }
}
