/**
 * Node-only helpers for hosts that read the published applets from disk (the CLI, the web
 * server's catalog route). Not part of the browser-safe core.
 */
import { createECDH } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CryptoPrimitives } from '../src/secure-element/applet-crypto';

/** A published applet file: its id and the exact bytes (as text) that are hashed, signed and evaluated. */
export interface PublishedApplet {
  id: string;
  fileName: string;
  source: string;
}

/** The folder holding the published applet files. */
export function appletsDirectory(): string {
  // Built from the module's own path (not `new URL(…, import.meta.url)`, which bundlers rewrite).
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'applets');
}

/** Reads every published applet (`*.js`) from `directory`, sorted by id. */
export async function readPublishedApplets(directory: string = appletsDirectory()): Promise<PublishedApplet[]> {
  const names = (await readdir(/*turbopackIgnore: true*/ directory)).filter((name) => name.endsWith('.js')).sort();
  return Promise.all(
    names.map(async (fileName) => ({ id: fileName.replace(/\.js$/, ''), fileName, source: await readFile(/*turbopackIgnore: true*/ `${directory}/${fileName}`, 'utf8') })),
  );
}

/**
 * Native fast paths for the applets' crypto capability on Node (DESIGN.md Decision 17): P-256 ECDH
 * from node:crypto (OpenSSL), about 30× faster than noble — what a feeder roster costs each card
 * is one ECDH per peer. It gives exactly noble's answer (cross-checked in tests); a browser host
 * passes nothing and runs noble. (SHA-256 stays noble's: for the short inputs applets hash,
 * node:crypto's per-call overhead makes it no faster.)
 */
export function nodeCryptoPrimitives(): CryptoPrimitives {
  return {
    ecdh: (privateKey, publicKey) => {
      const ecdh = createECDH('prime256v1');
      ecdh.setPrivateKey(privateKey);
      return new Uint8Array(ecdh.computeSecret(publicKey));
    },
  };
}
