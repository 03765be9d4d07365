// Seeds the demo world the dashboard opens on: world 'demo' (seed 'hydra-demo', 24 homes from
// 2025-01-01, clock and host progress at 2025-01-01T00:00Z, Hydra mode). Idempotent: running it
// again adds nothing and leaves an advanced clock where it is. Needs a migrated database:
//   npx tsx prisma/scripts/prisma.ts deploy && npx tsx prisma/seed.ts
import { pathToFileURL } from 'node:url';
import { createDb } from './src/create-db';
import { insertWorld, makeWorld, type InsertWorldResult } from './src/factories';

/** The demo world's rows. */
export const demoWorld = makeWorld({
  id: 'demo',
  name: 'Demo',
  seed: 'hydra-demo',
  homeCount: 24,
  startDate: '2025-01-01',
  clock: new Date('2025-01-01T00:00:00Z'),
  mode: 'hydra',
});

/**
 * Inserts the demo world into the database `url` points at (default: DATABASE_URL).
 *
 * @returns what was created
 */
export async function seed(url?: string): Promise<InsertWorldResult> {
  const db = createDb(url);
  try {
    return await insertWorld(db.client, demoWorld);
  } finally {
    await db.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  seed().then(
    (result) => {
      console.log(
        `seed: world ${demoWorld.world.id} ${result.createdWorld ? 'created' : 'already present'}, ` +
          `${result.createdHomes} of ${demoWorld.homes.length} homes added`,
      );
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
