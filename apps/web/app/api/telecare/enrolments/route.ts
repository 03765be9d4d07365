// Telecare provider: signs a home up with the proof of consent its meter produced; the provider
// carries it to the relay under its own credential (telecare credential only).
import { enrolHome } from '@hydra/suppliers';
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { authorize } from '@/lib/server/auth';
import { readJson, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

export async function POST(request: Request) {
  const auth = authorize(request, { parties: ['telecare'] }, 'POST /api/telecare/enrolments');
  if ('refusal' in auth) return auth.refusal;
  try {
    const body = await readJson(request, z.object({ proof: z.unknown() }).strict(), 4096);
    const { telecare } = await services();
    return NextResponse.json(await enrolHome({ context: telecare, proof: body.proof }), { status: 201 });
  } catch (error) {
    return toErrorResponse(error);
  }
}
