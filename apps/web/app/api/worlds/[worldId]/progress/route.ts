// The world's host (a meter host: no party credential) reports how far it has advanced its meters.
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { authorize } from '@/lib/server/auth';
import { errorResponse, readJson, toErrorResponse } from '@/lib/server/http';
import { recordHostProgress } from '@/lib/server/worlds';

const schema = z.object({ reached: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });

export async function POST(request: Request, context: { params: Promise<{ worldId: string }> }) {
  const auth = authorize(request, 'meter-host', 'POST /api/worlds/[worldId]/progress');
  if ('refusal' in auth) return auth.refusal;
  try {
    const { worldId } = await context.params;
    const { reached } = await readJson(request, schema);
    if (!(await recordHostProgress(worldId, reached))) return errorResponse(409, 'PROGRESS_REFUSED', 'progress: unknown world, or a date beyond its clock');
    return NextResponse.json({ reached });
  } catch (error) {
    return toErrorResponse(error);
  }
}
