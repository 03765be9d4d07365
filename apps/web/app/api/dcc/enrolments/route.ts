// DCC relay: enrolments. POST — a consent-gated party (telecare) carries a meter's device-signed
// proof of consent; the party comes from its credential, and the proof must name it. GET — the
// enrolments the relay holds (the residual metadata leak the message catalog names; DCC only).
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { authorize } from '@/lib/server/auth';
import { readJson, readQuery, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

export async function POST(request: Request) {
  const auth = authorize(request, { parties: ['telecare'] }, 'POST /api/dcc/enrolments');
  if ('refusal' in auth) return auth.refusal;
  try {
    const proof = await readJson(request, z.unknown(), 4096);
    const { relay } = await services();
    return NextResponse.json(await relay.enrol(auth.principal ?? '', proof), { status: 201 });
  } catch (error) {
    return toErrorResponse(error);
  }
}

export async function GET(request: Request) {
  const auth = authorize(request, { parties: ['dcc'] }, 'GET /api/dcc/enrolments');
  if ('refusal' in auth) return auth.refusal;
  try {
    const { worldId, partyId } = readQuery(request, ['worldId', 'partyId']);
    const { relay } = await services();
    return NextResponse.json({ enrolments: await relay.enrolments({ ...(worldId ? { worldId } : {}), ...(partyId ? { partyId } : {}) }) });
  } catch (error) {
    return toErrorResponse(error);
  }
}
