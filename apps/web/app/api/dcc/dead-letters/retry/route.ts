// DCC relay: puts a dead letter back in its queue and tries to deliver it at once (DCC only).
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { authorize } from '@/lib/server/auth';
import { readJson, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

const schema = z.object({ messageId: z.string().regex(/^[0-9a-f]{32}$/, '32 lower-case hex digits') }).strict();

export async function POST(request: Request) {
  const auth = authorize(request, { parties: ['dcc'] }, 'POST /api/dcc/dead-letters/retry');
  if ('refusal' in auth) return auth.refusal;
  try {
    const { messageId } = await readJson(request, schema, 1024);
    const { relay } = await services();
    const result = await relay.retryDeadLetter(messageId);
    return NextResponse.json({ messageId, ...result });
  } catch (error) {
    return toErrorResponse(error);
  }
}
