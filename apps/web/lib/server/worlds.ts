/**
 * The public world registry as the dashboard and the meter host read it: a world, its homes and
 * its clock (DESIGN.md Decision 4: the clock is the world's, persisted on the server).
 */
import { addDays, createHomeProfile, londonDateOf, londonMidnightUtc, meterIdOf, nextMonthStart } from '@hydra/meter-sim';
import { services } from './services';

/** A world as the dashboard shows it. */
export interface WorldView {
  id: string;
  name: string;
  seed: string;
  mode: string;
  /** Data-sharing preset (DESIGN.md Decision 11): 'hydra' (monthly) or 'gb-licence' (daily unless opted out). */
  sharingPreset: 'hydra' | 'gb-licence';
  startDate: string;
  /** The world clock as a London local date (the first day not yet begun). */
  clockDate: string;
  clock: string;
  hostDate: string;
  /** The world's creation time: a host that kept meters for another epoch starts afresh. */
  epoch: string;
  homeCount: number;
  homes: { id: string; index: number; meterId: string; archetype: string; feederId: string }[];
}

/** Reads a world and its homes, or null. */
export async function readWorld(worldId: string): Promise<WorldView | null> {
  const { db } = await services();
  const world = await db.client.world.findUnique({ where: { id: worldId }, include: { homes: { orderBy: { index: 'asc' } } } });
  if (!world) return null;
  return {
    id: world.id,
    name: world.name,
    seed: world.seed,
    mode: world.mode,
    sharingPreset: world.sharingPreset === 'gb-licence' ? 'gb-licence' : 'hydra',
    startDate: world.startDate,
    clockDate: londonDateOf(world.clock.getTime()),
    clock: world.clock.toISOString(),
    hostDate: londonDateOf(world.hostProgress.getTime()),
    epoch: world.createdAt.toISOString(),
    homeCount: world.homeCount,
    homes: world.homes.map(({ id, index, meterId, archetype, feederId }) => ({ id, index, meterId, archetype, feederId })),
  };
}

/** Steps the world clock can take. */
export type ClockStep = 'day' | 'week' | 'month' | 'year';

/** Advances a world's clock by one step; returns the new clock date. */
export async function advanceClock(worldId: string, step: ClockStep): Promise<string | null> {
  const { db } = await services();
  const world = await db.client.world.findUnique({ where: { id: worldId } });
  if (!world) return null;
  const current = londonDateOf(world.clock.getTime());
  let next = current;
  if (step === 'day') next = addDays(current, 1);
  else if (step === 'week') next = addDays(current, 7);
  else if (step === 'month') next = nextMonthStart(current);
  else for (let i = 0; i < 12; i++) next = nextMonthStart(next);
  await db.client.world.update({ where: { id: worldId }, data: { clock: new Date(londonMidnightUtc(next)) } });
  return next;
}

/**
 * Moves a world's clock forward to `date` (a London date); never backwards, so repeating the call
 * changes nothing. Returns the clock date, or null for an unknown world.
 */
export async function advanceClockTo(worldId: string, date: string): Promise<string | null> {
  const { db } = await services();
  const world = await db.client.world.findUnique({ where: { id: worldId } });
  if (!world) return null;
  const target = new Date(londonMidnightUtc(date));
  if (target > world.clock) await db.client.world.update({ where: { id: worldId }, data: { clock: target } });
  return londonDateOf(Math.max(target.getTime(), world.clock.getTime()));
}

/** Records how far the world's host has advanced its meters. */
export async function recordHostProgress(worldId: string, reached: string): Promise<boolean> {
  const { db } = await services();
  const world = await db.client.world.findUnique({ where: { id: worldId } });
  if (!world) return false;
  const at = new Date(londonMidnightUtc(reached));
  if (at > world.clock) return false;
  await db.client.world.update({ where: { id: worldId }, data: { hostProgress: at } });
  return true;
}

/** A world in the list: its clock and how much each party holds. */
export interface WorldSummary {
  id: string;
  name: string;
  seed: string;
  mode: string;
  sharingPreset: string;
  homeCount: number;
  clockDate: string;
  bills: number;
  relayMessages: number;
}

/** Every world, newest first. */
export async function listWorlds(): Promise<WorldSummary[]> {
  const { db } = await services();
  const worlds = await db.client.world.findMany({ orderBy: { createdAt: 'desc' } });
  return Promise.all(
    worlds.map(async (world) => ({
      id: world.id,
      name: world.name,
      seed: world.seed,
      mode: world.mode,
      sharingPreset: world.sharingPreset,
      homeCount: world.homeCount,
      clockDate: londonDateOf(world.clock.getTime()),
      bills: await db.client.supplierBill.count({ where: { worldId: world.id } }),
      relayMessages: await db.client.dccMessage.count({ where: { worldId: world.id } }),
    })),
  );
}

/** What the world-creation form sends. */
export interface NewWorld {
  name: string;
  seed: string;
  homeCount: number;
  /** Data-sharing preset (DESIGN.md Decision 11). */
  sharingPreset: 'hydra' | 'gb-licence';
  /** First local date, YYYY-MM-DD. */
  startDate: string;
}

/** A world id from a name: lower-case letters, digits and dashes, starting with a letter, at most 32. */
function slugOf(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  return slug.length > 0 ? slug : 'world';
}

/**
 * Creates a Hydra-mode world and its homes in the public registry (home facts from the household
 * model for the seed, as `hydra seed` does). The id comes from the name, with a number added when
 * it is taken. Returns the new id.
 */
export async function createWorld(input: NewWorld): Promise<string> {
  const { db } = await services();
  const base = slugOf(input.name);
  const start = new Date(londonMidnightUtc(input.startDate));
  for (let attempt = 1; attempt <= 50; attempt++) {
    const id = attempt === 1 ? base : `${base}-${attempt}`;
    if (await db.client.world.findUnique({ where: { id }, select: { id: true } })) continue;
    const homes = Array.from({ length: input.homeCount }, (_, index) => {
      const profile = createHomeProfile(input.seed, index);
      return { id: `${id}-h${String(index + 1).padStart(4, '0')}`, worldId: id, index, meterId: meterIdOf(id, index), archetype: profile.archetype, feederId: profile.feederId };
    });
    await db.client.$transaction(async (tx) => {
      await tx.world.create({
        data: { id, name: input.name, seed: input.seed, homeCount: input.homeCount, startDate: input.startDate, clock: start, hostProgress: start, mode: 'hydra', sharingPreset: input.sharingPreset },
      });
      await tx.home.createMany({ data: homes });
    });
    return id;
  }
  throw new RangeError(`name: too many worlds are already called ${JSON.stringify(input.name)}; choose another name`);
}
