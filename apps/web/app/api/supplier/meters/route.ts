// Energy supplier: the relay announces a meter with the supplier's security domain on it.
import { enrolMeter } from '@hydra/suppliers';
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { errorResponse, readJson, toErrorResponse } from '@/lib/server/http';
import { authorize } from '@/lib/server/auth';
import { services } from '@/lib/server/services';

const schema = z.object({
  worldId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  meterId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  aid: z.string().regex(/^[0-9A-F]{10,32}$/i),
  domainPublicKey: z.string().regex(/^(02|03)[0-9a-f]{64}$/),
});

export async function POST(request: Request) {
  // The relay delivers here, under the DCC's credential.
  const auth = authorize(request, { parties: ['dcc'] }, 'POST /api/supplier/meters');
  if ('refusal' in auth) return auth.refusal;
  try {
    const announcement = await readJson(request, schema);
    const { supplier, db } = await services();
    const world = await db.client.world.findUnique({ where: { id: announcement.worldId } });
    if (!world) return errorResponse(404, 'WORLD_UNKNOWN', `world ${announcement.worldId} does not exist`);
    const result = await enrolMeter({ context: supplier, ...announcement, startDate: world.startDate });
    return NextResponse.json(result, { status: 201 });
  } catch (error) {
    return toErrorResponse(error);
  }
}
