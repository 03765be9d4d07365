/**
 * Publishes the applets: the controlling authority signs each applet file (DAP: ECDSA P-256 over
 * the SHA-256 of the exact bytes) with its package-signing key, and the signed catalog is written
 * to `.hydra/catalog.json`. Meters are personalised with the authority's public key and verify
 * each package before loading it; the dashboard shows source, hash and signature side by side.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { bytesToHex, hexToBytes, packageHash, publicKeyOf, signPackage, utf8ToBytes, verifyPackage } from '@hydra/globalplatform';
import { readPublishedApplets } from '@hydra/meter-sim/node';

/** One signed package in the catalog. */
export interface CatalogEntry {
  id: string;
  fileName: string;
  version: string;
  owner: string;
  sha256: string;
  signature: string;
  bytes: number;
}

/** The signed catalog. */
export interface SignedCatalog {
  publisherPublicKey: string;
  entries: CatalogEntry[];
}

function manifestField(source: string, field: 'version' | 'owner'): string {
  const match = new RegExp(`${field}:\\s*'([^']+)'`).exec(source);
  if (!match?.[1]) throw new Error(`applet source: manifest ${field} not found`);
  return match[1];
}

/** Signs every published applet and writes the catalog to `file`. */
export async function publishApplets(publisherKeyHex: string, file: string): Promise<SignedCatalog> {
  const privateKey = hexToBytes(publisherKeyHex);
  const entries: CatalogEntry[] = [];
  for (const applet of await readPublishedApplets()) {
    const bytes = utf8ToBytes(applet.source);
    const signature = signPackage(bytes, privateKey);
    if (!verifyPackage(bytes, signature, publicKeyOf(privateKey))) throw new Error(`${applet.id}: signature does not verify`);
    entries.push({
      id: applet.id,
      fileName: applet.fileName,
      version: manifestField(applet.source, 'version'),
      owner: manifestField(applet.source, 'owner'),
      sha256: bytesToHex(packageHash(bytes)),
      signature: bytesToHex(signature),
      bytes: bytes.length,
    });
  }
  const catalog: SignedCatalog = { publisherPublicKey: bytesToHex(publicKeyOf(privateKey)), entries };
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(catalog, null, 2)}\n`);
  return catalog;
}
