// DCC relay: uplinks it could not deliver after the last attempt (metadata and last error only).
import { NextResponse } from 'next/server';
import { authorize } from '@/lib/server/auth';
import { readQuery, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

export async function GET(request: Request) {
  const auth = authorize(request, { parties: ['dcc'] }, 'GET /api/dcc/dead-letters');
  if ('refusal' in auth) return auth.refusal;
  try {
    const { worldId } = readQuery(request, ['worldId']);
    const { relay } = await services();
    return NextResponse.json({ deadLetters: await relay.deadLetters(worldId ? { worldId } : {}) });
  } catch (error) {
    return toErrorResponse(error);
  }
}
