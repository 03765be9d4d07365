/**
 * Node-only helpers for hosts that read the published applets from disk (the CLI, the web
 * server's catalog route). Not part of the browser-safe core.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
