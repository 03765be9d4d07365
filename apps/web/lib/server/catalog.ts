/**
 * The signed applet catalog as the server publishes it to meters and to the dashboard: each
 * applet's exact source, its SHA-256, the controlling authority's DAP signature (from set-up's
 * `.hydra/catalog.json`) and whether the file on disk still matches what was signed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bytesToHex, hexToBytes, packageHash, utf8ToBytes, verifyPackage } from '@hydra/globalplatform';
import type { AppletManifest } from '@hydra/meter-sim';
import { readPublishedApplets } from '@hydra/meter-sim/node';
import { repoRoot, serverEnv } from './env';

/** One applet as the catalog shows it. */
export interface CatalogApplet {
  id: string;
  fileName: string;
  source: string;
  sha256: string;
  /** Hex DAP signature by the controlling authority, or null when the file was never signed. */
  signature: string | null;
  manifest: AppletManifest | null;
  /** True when the signature verifies over these exact bytes with the publisher's key. */
  verified: boolean;
}

/** The catalog and the key that verifies it. */
export interface Catalog {
  publisherPublicKey: string | null;
  applets: CatalogApplet[];
}

interface SignedCatalogFile {
  publisherPublicKey: string;
  entries: { id: string; sha256: string; signature: string; manifest: AppletManifest }[];
}

/** Reads sources and signatures; a source changed since set-up shows as unverified. */
export async function readCatalog(): Promise<Catalog> {
  const file = resolve(repoRoot, '.hydra/catalog.json');
  const signed = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SignedCatalogFile) : null;
  const applets = await readPublishedApplets(serverEnv().appletsDirectory);
  return {
    publisherPublicKey: signed?.publisherPublicKey ?? null,
    applets: applets.map(({ id, fileName, source }) => {
      const bytes = utf8ToBytes(source);
      const entry = signed?.entries.find((e) => e.id === id) ?? null;
      const verified = Boolean(entry && signed && verifyPackage(bytes, hexToBytes(entry.signature), hexToBytes(signed.publisherPublicKey)));
      return { id, fileName, source, sha256: bytesToHex(packageHash(bytes)), signature: entry?.signature ?? null, manifest: entry?.manifest ?? null, verified };
    }),
  };
}
