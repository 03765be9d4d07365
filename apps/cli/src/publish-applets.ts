/**
 * Publishes the applets: the controlling authority signs each applet file (DAP: ECDSA P-256 over
 * the SHA-256 of the exact bytes) with its package-signing key, and the signed catalog is written
 * to `.hydra/catalog.json`. Meters are personalised with the authority's public key and verify
 * each package before loading it; the dashboard shows source, hash and signature side by side.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bytesToHex, hexToBytes, packageHash, publicKeyOf, signPackage, utf8ToBytes, verifyPackage } from '@hydra/globalplatform';
import type { AppletManifest } from '@hydra/meter-sim';
import { appletsDirectory, readPublishedApplets } from '@hydra/meter-sim/node';

/** One signed package in the catalog. */
export interface CatalogEntry {
  id: string;
  fileName: string;
  version: string;
  owner: string;
  sha256: string;
  signature: string;
  bytes: number;
  manifest: AppletManifest;
}

/** The signed catalog. */
export interface SignedCatalog {
  publisherPublicKey: string;
  entries: CatalogEntry[];
}

/**
 * Reads an applet's manifest by importing its file as the ES module it is. The publisher trusts
 * its own build; only the manifest is read, the factory is never called outside a compartment.
 */
async function readManifest(directory: string, fileName: string): Promise<AppletManifest> {
  const module = (await import(pathToFileURL(join(directory, fileName)).href)) as { manifest?: AppletManifest };
  if (!module.manifest || typeof module.manifest.id !== 'string') throw new Error(`${fileName}: no manifest export`);
  return module.manifest;
}

/** Signs every published applet and writes the catalog to `file`. */
export async function publishApplets(publisherKeyHex: string, file: string): Promise<SignedCatalog> {
  const catalog = await signCatalog(publisherKeyHex);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(catalog, null, 2)}\n`);
  return catalog;
}

/** Signs every published applet (DAP) and returns the catalog, with each applet's source. */
export async function signCatalog(publisherKeyHex: string): Promise<SignedCatalog & { sources: Record<string, string> }> {
  const privateKey = hexToBytes(publisherKeyHex);
  const entries: CatalogEntry[] = [];
  const sources: Record<string, string> = {};
  const directory = appletsDirectory();
  for (const applet of await readPublishedApplets(directory)) {
    sources[applet.id] = applet.source;
    const manifest = await readManifest(directory, applet.fileName);
    const bytes = utf8ToBytes(applet.source);
    const signature = signPackage(bytes, privateKey);
    if (!verifyPackage(bytes, signature, publicKeyOf(privateKey))) throw new Error(`${applet.id}: signature does not verify`);
    entries.push({
      id: applet.id,
      fileName: applet.fileName,
      version: manifest.version,
      owner: manifest.owner,
      sha256: bytesToHex(packageHash(bytes)),
      signature: bytesToHex(signature),
      bytes: bytes.length,
      manifest,
    });
  }
  return { publisherPublicKey: bytesToHex(publicKeyOf(privateKey)), entries, sources };
}
