// Telecare provider: the inbox the relay delivers uplinks to (relay credential only).
import { receiveTelecareUplink } from '@hydra/suppliers';
import { inboxRoute } from '@/lib/server/party-routes';
import { services } from '@/lib/server/services';

export async function POST(request: Request) {
  return inboxRoute(request, 'POST /api/telecare/inbox', async (envelope) => receiveTelecareUplink({ context: (await services()).telecare, envelope }));
}
