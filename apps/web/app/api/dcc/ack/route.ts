// DCC relay: a comms hub acknowledges the downlink commands its meters took. Only registered
// meters, and only commands queued for that meter, can be acknowledged.
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { authorize } from '@/lib/server/auth';
import { readJson, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

const schema = z.object({
  acks: z
    .array(z.object({ meterId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/), messageIds: z.array(z.string().regex(/^[0-9a-f]{32}$/)).max(1000) }))
    .max(5000),
});

export async function POST(request: Request) {
  const auth = authorize(request, 'meter-host', 'POST /api/dcc/ack');
  if ('refusal' in auth) return auth.refusal;
  try {
    const { acks } = await readJson(request, schema);
    const { relay } = await services();
    if (acks.length > 0) await relay.requireRegistered(null, acks.map((ack) => ack.meterId), 'ack');
    let acknowledged = 0;
    for (const ack of acks) acknowledged += await relay.acknowledgeDownlinks(ack.meterId, ack.messageIds);
    return NextResponse.json({ acknowledged });
  } catch (error) {
    return toErrorResponse(error);
  }
}
