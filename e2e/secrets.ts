// The party credentials the app under test reads (set-up writes them to .hydra/secrets.env; the
// process environment overrides), for specs that check the API directly.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const file = join(import.meta.dirname, '..', '.hydra', 'secrets.env');

/** The value of `name` as the app sees it. */
export function secret(name: string): string {
  const fromFile = existsSync(file)
    ? Object.fromEntries(
        readFileSync(file, 'utf8')
          .split(/\r?\n/)
          .filter((line) => line.includes('=') && !line.startsWith('#'))
          .map((line) => [line.slice(0, line.indexOf('=')).trim(), line.slice(line.indexOf('=') + 1).trim()]),
      )
    : {};
  const value = process.env[name] ?? fromFile[name];
  if (!value) throw new Error(`${name} is not set: run \`npm run setup\``);
  return value;
}
