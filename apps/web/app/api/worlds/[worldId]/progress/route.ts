// The world's host reports how far it has advanced its meters.
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { errorResponse, readJson, toErrorResponse } from '@/lib/server/http';
import { recordHostProgress } from '@/lib/server/worlds';

const schema = z.object({ reached: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });

export async function POST(request: Request, context: { params: Promise<{ worldId: string }> }) {
  try {
    const { worldId } = await context.params;
    const { reached } = await readJson(request, schema);
    if (!(await recordHostProgress(worldId, reached))) return errorResponse(409, 'PROGRESS_REFUSED', 'progress: unknown world, or a date beyond its clock');
    return NextResponse.json({ reached });
  } catch (error) {
    return toErrorResponse(error);
  }
}
