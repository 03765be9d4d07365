// Energy supplier: the accounts it holds for a world (supplier credential only).
import { listAccounts } from '@hydra/suppliers';
import { NextResponse } from 'next/server';
import { authorize } from '@/lib/server/auth';
import { errorResponse, readQuery, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

export async function GET(request: Request) {
  const auth = authorize(request, { parties: ['supplier'] }, 'GET /api/supplier/accounts');
  if ('refusal' in auth) return auth.refusal;
  try {
    const { worldId } = readQuery(request, ['worldId']);
    if (!worldId) return errorResponse(400, 'INVALID_QUERY', 'worldId: expected a world id, e.g. ?worldId=demo');
    const { supplier } = await services();
    return NextResponse.json({ accounts: await listAccounts({ context: supplier, worldId }) });
  } catch (error) {
    return toErrorResponse(error);
  }
}
