// Telecare provider: the relay tells it that a home's householder withdrew (relay credential only).
import { withdrawHome } from '@hydra/suppliers';
import { z } from 'zod';
import { relayNoticeRoute } from '@/lib/server/party-routes';
import { services } from '@/lib/server/services';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/);
const schema = z.object({ worldId: id, meterId: id }).strict();

export async function POST(request: Request) {
  return relayNoticeRoute(request, 'POST /api/telecare/withdrawals', schema, async (withdrawal) => withdrawHome({ context: (await services()).telecare, ...withdrawal }));
}
