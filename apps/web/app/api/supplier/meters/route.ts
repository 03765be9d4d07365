// Energy supplier: the relay announces a meter with the supplier's security domain on it.
import { enrolMeter } from '@hydra/suppliers';
import { BodyError } from '@/lib/server/http';
import { announcementSchema, relayNoticeRoute } from '@/lib/server/party-routes';
import { services } from '@/lib/server/services';

export async function POST(request: Request) {
  return relayNoticeRoute(request, 'POST /api/supplier/meters', announcementSchema, async (announcement) => {
    const { supplier, db } = await services();
    const world = await db.client.world.findUnique({ where: { id: announcement.worldId } });
    if (!world) throw new BodyError(404, 'WORLD_UNKNOWN', `world ${announcement.worldId} does not exist`);
    return enrolMeter({ context: supplier, ...announcement, startDate: world.startDate });
  });
}
