// Creates a world (simulation control, like the clock): name, seed, number of homes and the
// data-sharing preset — the Hydra default (monthly bills only) or GB licence defaults (daily reads
// unless a householder opts out; half-hourly only with opt-in), so the two can be compared.
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { authorize } from '@/lib/server/auth';
import { readJson, toErrorResponse } from '@/lib/server/http';
import { createWorld } from '@/lib/server/worlds';

const schema = z
  .object({
    name: z.string().trim().min(1, 'give the world a name').max(60, 'at most 60 characters'),
    seed: z.string().trim().min(1, 'give a seed (any text)').max(60, 'at most 60 characters'),
    homeCount: z.number().int('a whole number').min(5, 'at least 5 homes (feeders report from 5 meters)').max(200, 'at most 200 homes in a browser'),
    sharingPreset: z.enum(['hydra', 'gb-licence']),
    startDate: z.string().regex(/^20\d\d-(0[1-9]|1[0-2])-01$/, 'the first of a month, YYYY-MM-01').default('2025-01-01'),
  })
  .strict();

export async function POST(request: Request) {
  // Anyone running the dashboard may create a world (the public registry holds no party's data).
  const auth = authorize(request, 'public', 'POST /api/worlds');
  if ('refusal' in auth) return auth.refusal;
  try {
    const body = await readJson(request, schema);
    const worldId = await createWorld(body);
    return NextResponse.json({ worldId }, { status: 201 });
  } catch (error) {
    return toErrorResponse(error);
  }
}
