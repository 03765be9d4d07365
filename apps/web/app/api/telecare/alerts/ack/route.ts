// Telecare provider: the operator acknowledges an alert, with an optional note (telecare credential only).
import { acknowledgeAlert } from '@hydra/suppliers';
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { authorize } from '@/lib/server/auth';
import { readJson, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

export async function POST(request: Request) {
  const auth = authorize(request, { parties: ['telecare'] }, 'POST /api/telecare/alerts/ack');
  if ('refusal' in auth) return auth.refusal;
  try {
    const body = await readJson(request, z.unknown(), 2048);
    const { telecare } = await services();
    return NextResponse.json({ alert: await acknowledgeAlert({ context: telecare, request: body }) });
  } catch (error) {
    return toErrorResponse(error);
  }
}
