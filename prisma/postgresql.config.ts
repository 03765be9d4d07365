// Prisma CLI configuration for the PostgreSQL schema (TOOLCHAIN.md, "Prisma — the one real
// obstacle"). `engine: 'js'` runs the wasm schema engine through a driver adapter, so nothing is
// downloaded. Used as `prisma … --config prisma/postgresql.config.ts`; `scripts/prisma.ts` wraps it.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';
import { PrismaPgCli } from './cli-adapters/pg-catalog-text';
import { databaseUrl } from './src/env';
import { providerFor } from './src/provider';

/** Local development database that `scripts/ci-postgres.sh` creates. */
const localPostgresUrl = 'postgresql://hydra:hydra@127.0.0.1:5432/hydra';

const configured = databaseUrl();
const url = providerFor(configured) === 'postgresql' ? configured : localPostgresUrl;
// The schema's `url = env("DATABASE_URL")` must resolve (and be a PostgreSQL URL) or Prisma 6.19
// tries to download the native query engine. `generate` never connects, so the local default is
// enough there; commands that connect go through scripts/prisma.ts, which sets a real URL.
process.env.DATABASE_URL = url;

export default defineConfig({
  engine: 'js',
  experimental: { adapter: true },
  schema: fileURLToPath(new URL('./postgresql/schema.prisma', import.meta.url)),
  migrations: { path: fileURLToPath(new URL('./postgresql/migrations', import.meta.url)) },
  async adapter() {
    return new PrismaPgCli(url);
  },
});
