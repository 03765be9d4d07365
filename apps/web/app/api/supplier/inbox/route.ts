// Energy supplier: the inbox the relay delivers uplinks to (relay credential only).
import { receiveUplink } from '@hydra/suppliers';
import { inboxRoute } from '@/lib/server/party-routes';
import { services } from '@/lib/server/services';

export async function POST(request: Request) {
  return inboxRoute(request, 'POST /api/supplier/inbox', async (envelope) => receiveUplink({ context: (await services()).supplier, envelope }));
}
