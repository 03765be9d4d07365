/**
 * Creates a world's public registry rows (world and homes) if it does not exist yet: home facts
 * come from the household model for the world's seed, so the dashboard shows what the meters
 * simulate. Idempotent; never resets an existing world.
 */
import type { DbClient } from '@hydra/db';
import { createHomeProfile, londonMidnightUtc, meterIdOf } from '@hydra/meter-sim';

/** Options for {@link seedWorld}. */
export interface SeedWorldOptions {
  db: DbClient;
  worldId: string;
  name: string;
  seed: string;
  homes: number;
  startDate: string;
  mode?: 'hydra' | 'conventional';
  /** Data-sharing preset (DESIGN.md Decision 11; default hydra). */
  sharingPreset?: 'hydra' | 'gb-licence';
}

/** The rows of a world's homes, from the household model. */
export function homeRows(worldId: string, seed: string, homes: number) {
  return Array.from({ length: homes }, (_, index) => {
    const profile = createHomeProfile(seed, index);
    return { id: `${worldId}-h${String(index + 1).padStart(4, '0')}`, worldId, index, meterId: meterIdOf(worldId, index), archetype: profile.archetype, feederId: profile.feederId };
  });
}

/** Creates the world when missing; returns whether it did. */
export async function seedWorld(options: SeedWorldOptions): Promise<boolean> {
  const { db, worldId, name, seed, homes, startDate } = options;
  const mode = options.mode ?? 'hydra';
  if (await db.world.findUnique({ where: { id: worldId } })) return false;
  const start = new Date(londonMidnightUtc(startDate));
  await db.$transaction(async (tx) => {
    await tx.world.create({ data: { id: worldId, name, seed, homeCount: homes, startDate, clock: start, hostProgress: start, mode, sharingPreset: options.sharingPreset ?? 'hydra' } });
    await tx.home.createMany({ data: homeRows(worldId, seed, homes) });
  });
  return true;
}
