// Telecare provider: the relay announces a home whose meter's proof of consent admitted telecare
// (relay credential only).
import { admitHome } from '@hydra/suppliers';
import { announcementSchema, relayNoticeRoute } from '@/lib/server/party-routes';
import { services } from '@/lib/server/services';

export async function POST(request: Request) {
  return relayNoticeRoute(request, 'POST /api/telecare/meters', announcementSchema, async (announcement) => admitHome({ context: (await services()).telecare, ...announcement }));
}
