// Prisma CLI configuration for the SQLite schema (TOOLCHAIN.md, "Prisma — the one real
// obstacle"). `engine: 'js'` runs the wasm schema engine through a driver adapter, so nothing is
// downloaded. Used as `prisma … --config prisma/sqlite.config.ts`; `scripts/prisma.ts` wraps it.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3Cli } from './cli-adapters/sqlite-shadow-script';
import { databaseUrl } from './src/env';
import { providerFor } from './src/provider';

const url = databaseUrl();
// The schema's `url = env("DATABASE_URL")` must resolve or Prisma 6.19 tries to download the
// native query engine; give it the same default the runtime uses.
process.env.DATABASE_URL = url;

export default defineConfig({
  engine: 'js',
  experimental: { adapter: true },
  schema: fileURLToPath(new URL('./sqlite/schema.prisma', import.meta.url)),
  migrations: { path: fileURLToPath(new URL('./sqlite/migrations', import.meta.url)) },
  async adapter() {
    if (providerFor(url) !== 'sqlite') {
      throw new RangeError(`sqlite.config.ts: DATABASE_URL must be a file: URL, got ${url.split(':')[0]}:`);
    }
    return new PrismaBetterSQLite3Cli({ url });
  },
});
