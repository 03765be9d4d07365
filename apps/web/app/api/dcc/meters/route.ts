// DCC relay: meter registration from a meter host (public keys only); the manufacturer CA behind
// it returns the certificates for the meter to install.
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { authorize } from '@/lib/server/auth';
import { readJson, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

const hexKey = z.string().regex(/^(02|03)[0-9a-f]{64}$/i, 'a 33-byte compressed P-256 key in hex');
const schema = z.object({
  registrations: z
    .array(
      z.object({
        worldId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
        meterId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
        devicePublicKey: hexKey,
        domains: z.array(z.object({ partyId: z.string().min(1).max(64), aid: z.string().regex(/^[0-9A-F]{10,32}$/i), publicKey: hexKey })).max(8),
      }),
    )
    .min(1)
    .max(1000),
});

export async function POST(request: Request) {
  const auth = authorize(request, 'meter-host', 'POST /api/dcc/meters');
  if ('refusal' in auth) return auth.refusal;
  try {
    const { registrations } = await readJson(request, schema);
    const { relay } = await services();
    const certificates = [];
    for (const registration of registrations) certificates.push((await relay.registerMeter(registration)).certificates);
    return NextResponse.json({ certificates });
  } catch (error) {
    return toErrorResponse(error);
  }
}
