// DNO: the relay announces a meter with the DNO's security domain on it (relay credential only).
import { enrolDnoMeter } from '@hydra/suppliers';
import { announcementSchema, relayNoticeRoute } from '@/lib/server/party-routes';
import { services } from '@/lib/server/services';

export async function POST(request: Request) {
  return relayNoticeRoute(request, 'POST /api/dno/meters', announcementSchema, async (announcement) => enrolDnoMeter({ context: (await services()).dno, ...announcement }));
}
