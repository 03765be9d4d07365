// DNO: the inbox the relay delivers uplinks to (relay credential only).
import { receiveDnoUplink } from '@hydra/suppliers';
import { inboxRoute } from '@/lib/server/party-routes';
import { services } from '@/lib/server/services';

export async function POST(request: Request) {
  return inboxRoute(request, 'POST /api/dno/inbox', async (envelope) => receiveDnoUplink({ context: (await services()).dno, envelope }));
}
