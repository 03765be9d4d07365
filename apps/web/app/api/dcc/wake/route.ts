// DCC relay: a meter host wakes its meters and takes their queued downlink commands. Only meters
// registered in that world may be woken; the commands are sealed for the meter alone.
import { bytesToBase64Url } from '@hydra/globalplatform';
import { NextResponse } from 'next/server';
import { authorize } from '@/lib/server/auth';
import { hostMetersSchema, readJson, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

export async function POST(request: Request) {
  const auth = authorize(request, 'meter-host', 'POST /api/dcc/wake');
  if ('refusal' in auth) return auth.refusal;
  try {
    const { worldId, meterIds } = await readJson(request, hostMetersSchema);
    const { relay } = await services();
    await relay.requireRegistered(worldId, meterIds, 'wake');
    const downlinks = await relay.pendingDownlinks(worldId, meterIds);
    return NextResponse.json({ downlinks: downlinks.map((d) => ({ messageId: d.messageId, meterId: d.meterId, envelope: bytesToBase64Url(d.envelope) })) });
  } catch (error) {
    return toErrorResponse(error);
  }
}
