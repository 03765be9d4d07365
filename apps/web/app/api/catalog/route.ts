// The applet catalog: each published applet's exact source, SHA-256 and DAP signature, and the
// controlling authority's public key meters verify them with.
import { NextResponse } from 'next/server';
import { readCatalog } from '@/lib/server/catalog';
import { toErrorResponse } from '@/lib/server/http';

export async function GET() {
  try {
    return NextResponse.json(await readCatalog());
  } catch (error) {
    return toErrorResponse(error);
  }
}
