// DNO: its load-control campaigns with per-meter acknowledgements, and creating one (a signed
// command pushed to the chosen meters). DNO credential only.
import { createCampaign, listCampaigns } from '@hydra/suppliers';
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { authorize } from '@/lib/server/auth';
import { errorResponse, readJson, readQuery, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

export async function GET(request: Request) {
  const auth = authorize(request, { parties: ['dno'] }, 'GET /api/dno/campaigns');
  if ('refusal' in auth) return auth.refusal;
  try {
    const { worldId } = readQuery(request, ['worldId']);
    if (!worldId) return errorResponse(400, 'INVALID_QUERY', 'worldId: expected a world id, e.g. ?worldId=demo');
    const { dno } = await services();
    return NextResponse.json({ campaigns: await listCampaigns({ context: dno, worldId }) });
  } catch (error) {
    return toErrorResponse(error);
  }
}

export async function POST(request: Request) {
  const auth = authorize(request, { parties: ['dno'] }, 'POST /api/dno/campaigns');
  if ('refusal' in auth) return auth.refusal;
  try {
    // The body is validated field by field by createCampaign (clear errors naming the field).
    const body = await readJson(request, z.unknown(), 64 * 1024);
    const { dno } = await services();
    return NextResponse.json({ campaign: await createCampaign({ context: dno, request: body }) }, { status: 201 });
  } catch (error) {
    return toErrorResponse(error);
  }
}
