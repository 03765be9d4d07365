// The applet catalog: each published applet's exact source and its SHA-256, as meters load it.
import { bytesToHex, packageHash, utf8ToBytes } from '@hydra/globalplatform';
import { readPublishedApplets } from '@hydra/meter-sim/node';
import { NextResponse } from 'next/server';
import { toErrorResponse } from '@/lib/server/http';
import { serverEnv } from '@/lib/server/env';

export async function GET() {
  try {
    const applets = await readPublishedApplets(serverEnv().appletsDirectory);
    return NextResponse.json({
      applets: applets.map(({ id, fileName, source }) => ({ id, fileName, source, sha256: bytesToHex(packageHash(utf8ToBytes(source))) })),
    });
  } catch (error) {
    return toErrorResponse(error);
  }
}
