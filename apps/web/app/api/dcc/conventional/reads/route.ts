// Conventional mode only: a meter host posts its meters' raw half-hourly reads to the DCC's
// central store. A Hydra-mode world is refused — there, raw reads never leave a meter.
import { conventionalReadSchema, storeConventionalReads } from '@hydra/dcc';
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { authorize } from '@/lib/server/auth';
import { readJson, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

const schema = z.object({ worldId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/), reads: z.array(conventionalReadSchema).min(1).max(2000) });

export async function POST(request: Request) {
  const auth = authorize(request, 'meter-host', 'POST /api/dcc/conventional/reads');
  if ('refusal' in auth) return auth.refusal;
  try {
    const { worldId, reads } = await readJson(request, schema, 4 * 1024 * 1024);
    const { db } = await services();
    const stored = await storeConventionalReads(db.client, worldId, reads);
    return NextResponse.json({ stored }, { status: 201 });
  } catch (error) {
    return toErrorResponse(error);
  }
}
