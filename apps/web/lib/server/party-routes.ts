/**
 * What every party's relay-facing routes do, in one place: the relay delivers an uplink to
 * `/api/<party>/inbox` and announces a meter at `/api/<party>/meters`, both under the DCC's
 * credential (never the party's own); the party's code then opens what it may with its own keys.
 */
import { MAX_ENVELOPE_BYTES } from '@hydra/dcc';
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { authorize } from './auth';
import { readBytes, readJson, toErrorResponse } from './http';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/);

/** The relay's announcement of a meter with the party's security domain. */
export const announcementSchema = z
  .object({
    worldId: id,
    meterId: id,
    aid: z.string().regex(/^[0-9A-F]{10,32}$/i),
    domainPublicKey: z.string().regex(/^(02|03)[0-9a-f]{64}$/),
  })
  .strict();

/** A meter's announcement as the routes take it. */
export type Announcement = z.infer<typeof announcementSchema>;

/**
 * POST /api/<party>/inbox: the relay delivers one uplink envelope (DCC credential only).
 * @returns 202 with the party's result when taken, 200 for a redelivery ("already delivered").
 */
export async function inboxRoute(request: Request, route: string, receive: (envelope: Uint8Array) => Promise<{ status: 'accepted' | 'already-delivered' }>): Promise<NextResponse> {
  const auth = authorize(request, { parties: ['dcc'] }, route);
  if ('refusal' in auth) return auth.refusal;
  try {
    const result = await receive(await readBytes(request, MAX_ENVELOPE_BYTES));
    return NextResponse.json(result, { status: result.status === 'accepted' ? 202 : 200 });
  } catch (error) {
    return toErrorResponse(error);
  }
}

/** POST /api/<party>/meters (or another relay notice): a JSON body from the relay (DCC credential only). */
export async function relayNoticeRoute<T>(request: Request, route: string, schema: z.ZodType<T>, handle: (notice: T) => Promise<unknown>): Promise<NextResponse> {
  const auth = authorize(request, { parties: ['dcc'] }, route);
  if ('refusal' in auth) return auth.refusal;
  try {
    return NextResponse.json(await handle(await readJson(request, schema, 4096)), { status: 201 });
  } catch (error) {
    return toErrorResponse(error);
  }
}
