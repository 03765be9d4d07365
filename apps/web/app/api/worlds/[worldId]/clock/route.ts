// Advances the world clock (day, week, month, year). The world's host then advances its meters.
import { ensureCollectsArmed } from '@hydra/suppliers';
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { errorResponse, readJson, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';
import { advanceClock } from '@/lib/server/worlds';

const schema = z.object({ advance: z.enum(['day', 'week', 'month', 'year']) });

export async function POST(request: Request, context: { params: Promise<{ worldId: string }> }) {
  try {
    const { worldId } = await context.params;
    const { advance } = await readJson(request, schema);
    const clockDate = await advanceClock(worldId, advance);
    if (!clockDate) return errorResponse(404, 'WORLD_UNKNOWN', `world ${worldId} does not exist`);
    // Any account whose standing collect was lost gets a new one before the meters wake.
    const { supplier } = await services();
    await ensureCollectsArmed(supplier, worldId);
    return NextResponse.json({ clockDate });
  } catch (error) {
    return toErrorResponse(error);
  }
}
