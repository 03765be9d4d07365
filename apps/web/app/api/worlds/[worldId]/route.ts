// The public world registry: a world, its homes and its clock.
import { NextResponse } from 'next/server';
import { errorResponse, toErrorResponse } from '@/lib/server/http';
import { readWorld } from '@/lib/server/worlds';

export async function GET(_request: Request, context: { params: Promise<{ worldId: string }> }) {
  try {
    const { worldId } = await context.params;
    const world = await readWorld(worldId);
    if (!world) return errorResponse(404, 'WORLD_UNKNOWN', `world ${worldId} does not exist`);
    return NextResponse.json(world);
  } catch (error) {
    return toErrorResponse(error);
  }
}
