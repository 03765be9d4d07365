// Advances the world clock (day, week, month, year), or to a date (`{ to }`: idempotent, so a client
// that lost the answer can repeat it). The world's host then advances its meters.
import { rearmParties } from '@hydra/suppliers';
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { errorResponse, readJson, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';
import { advanceClock, advanceClockTo } from '@/lib/server/worlds';

const schema = z.union([
  z.object({ advance: z.enum(['day', 'week', 'month', 'year']) }).strict(),
  z.object({ to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a London date YYYY-MM-DD') }).strict(),
]);

export async function POST(request: Request, context: { params: Promise<{ worldId: string }> }) {
  try {
    const { worldId } = await context.params;
    const body = await readJson(request, schema);
    const clockDate = 'advance' in body ? await advanceClock(worldId, body.advance) : await advanceClockTo(worldId, body.to);
    if (!clockDate) return errorResponse(404, 'WORLD_UNKNOWN', `world ${worldId} does not exist`);
    // Any standing collect that was lost (each party's, each applet's) is re-armed before the meters
    // wake, and a feeder roster a crash kept from going out is sent (nothing when it is unchanged).
    const { supplier, dno, telecare } = await services();
    await rearmParties({ supplier, dno, telecare, worldId });
    return NextResponse.json({ clockDate });
  } catch (error) {
    return toErrorResponse(error);
  }
}
