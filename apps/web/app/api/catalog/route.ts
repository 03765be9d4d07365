// The applet catalog: each published applet's exact source, SHA-256 and DAP signature, and the
// controlling authority's public key meters verify them with, and the manufacturer CA's public
// key meters are personalised to trust (its private key never leaves the server).
import { NextResponse } from 'next/server';
import { manufacturerCaAnchor } from '@hydra/dcc';
import { readCatalog } from '@/lib/server/catalog';
import { manufacturerCaKeyHex } from '@/lib/server/parties/manufacturer';
import { toErrorResponse } from '@/lib/server/http';

export async function GET() {
  try {
    return NextResponse.json({ ...(await readCatalog()), manufacturerCa: manufacturerCaAnchor(manufacturerCaKeyHex()) });
  } catch (error) {
    return toErrorResponse(error);
  }
}
