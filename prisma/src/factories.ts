// Data builders for the public world registry (World, Home): the seed script and tests in any
// package build worlds with `makeWorld(...)` and store them with `insertWorld(...)`. Pure builders
// apart from `insertWorld`; nothing here reads the clock or a random source (STYLE.md rule 6):
// everything follows from the options.
import type { DbClient } from './create-db';

/** World modes (DESIGN.md Decision 12). */
export type WorldMode = 'hydra' | 'conventional';

/** Data-sharing presets (DESIGN.md Decision 11). */
export type SharingPreset = 'hydra' | 'gb-licence';

/**
 * Placeholder household archetypes, in the order homes cycle through them. The names match
 * `@hydra/meter-sim`'s `Archetype`; {@link homeRowsFor} switches to the real home model once
 * `createHomeProfile(seed, index)` exists.
 */
export const placeholderArchetypes = ['working-couple', 'family', 'single-pensioner', 'home-worker', 'night-shift'] as const;

/** Homes per placeholder feeder: Decision 13 reports feeders of at least 5 meters only. */
export const placeholderHomesPerFeeder = 8;

/** A World row as stored. */
export interface WorldRow {
  id: string;
  name: string;
  seed: string;
  homeCount: number;
  mode: WorldMode;
  sharingPreset: SharingPreset;
  startDate: string;
  clock: Date;
  hostProgress: Date;
}

/** A Home row as stored. */
export interface HomeRow {
  id: string;
  worldId: string;
  index: number;
  meterId: string;
  archetype: string;
  feederId: string;
}

/** A world and its homes, ready for {@link insertWorld}. */
export interface WorldData {
  world: WorldRow;
  homes: HomeRow[];
}

/** Options for {@link makeWorld}. */
export interface MakeWorldOptions {
  /** Simulation seed: fixes every home and reading. */
  seed: string;
  /** Number of homes, 1–9999. */
  homeCount: number;
  /** World id: lower-case letters, digits and `-`, starting with a letter (default `'test'`). */
  id?: string;
  /** Display name (default: the id). */
  name?: string;
  /** First local date simulated, `YYYY-MM-DD` Europe/London (default `'2025-01-01'`). */
  startDate?: string;
  /** Default `'hydra'`. */
  mode?: WorldMode;
  /** Default `'hydra'`. */
  sharingPreset?: SharingPreset;
  /** World clock; default: Europe/London midnight starting `startDate`. */
  clock?: Date;
  /** Host progress; default: the clock. */
  hostProgress?: Date;
}

function assertString(field: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') throw new TypeError(`${field}: expected a string, got ${typeof value}`);
}

function assertDate(field: string, value: unknown): asserts value is Date {
  if (!(value instanceof Date)) throw new TypeError(`${field}: expected a Date, got ${typeof value}`);
  if (Number.isNaN(value.getTime())) throw new RangeError(`${field}: expected a valid Date, got Invalid Date`);
}

const worldIdPattern = /^[a-z][a-z0-9-]{0,39}$/;
const localDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

function assertLocalDate(field: string, value: unknown): asserts value is string {
  assertString(field, value);
  const match = localDatePattern.exec(value);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (!match || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new RangeError(`${field}: expected a calendar date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
}

/**
 * The UTC instant of Europe/London midnight at the start of `date`.
 *
 * UK clocks change at 01:00 UTC, so the offset in force at 00:00 UTC on `date` is the offset at
 * local midnight: GMT gives `dateT00:00Z`, BST gives 23:00Z the day before.
 *
 * @param date - `YYYY-MM-DD`
 * @throws {RangeError} when `date` is not a calendar date
 */
export function londonMidnight(date: string): Date {
  assertLocalDate('date', date);
  const utcMidnight = new Date(`${date}T00:00:00Z`);
  const londonHour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' }).format(utcMidnight),
  );
  return new Date(utcMidnight.getTime() - londonHour * 3_600_000);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** Home id of home `index` (0-based) in a world: `<world>-h0001` for index 0. */
export function homeIdOf(worldId: string, index: number): string {
  return `${worldId}-h${pad(index + 1, 4)}`;
}

/** Meter id of home `index` (0-based): `<world>-m0001` for index 0 (as `@hydra/meter-sim`'s `meterIdOf`). */
export function meterIdOf(worldId: string, index: number): string {
  return `${worldId}-m${pad(index + 1, 4)}`;
}

/**
 * The Home rows of a world.
 *
 * PLACEHOLDER: archetypes cycle through {@link placeholderArchetypes} and homes are grouped
 * {@link placeholderHomesPerFeeder} to a feeder (`<world>-f01`, …). When
 * `@hydra/meter-sim` exports `createHomeProfile(seed, index)`, take `archetype` and `feederId`
 * from the profile here — every caller (seed, tests) follows.
 *
 * @param world - id, seed and home count of the world
 */
export function homeRowsFor(world: Pick<WorldRow, 'id' | 'seed' | 'homeCount'>): HomeRow[] {
  return Array.from({ length: world.homeCount }, (_, index) => ({
    id: homeIdOf(world.id, index),
    worldId: world.id,
    index,
    meterId: meterIdOf(world.id, index),
    archetype: placeholderArchetypes[index % placeholderArchetypes.length] ?? 'family',
    feederId: `${world.id}-f${pad(Math.floor(index / placeholderHomesPerFeeder) + 1, 2)}`,
  }));
}

/**
 * Builds a world and its homes (no I/O). Same options ⇒ same rows.
 *
 * @throws {TypeError} for a wrongly typed option
 * @throws {RangeError} for a bad id, home count or date, naming the field
 */
export function makeWorld(options: MakeWorldOptions): WorldData {
  const id = options.id ?? 'test';
  assertString('id', id);
  if (!worldIdPattern.test(id)) {
    throw new RangeError(`id: expected lower-case letters, digits and "-" starting with a letter (≤ 40), got ${JSON.stringify(id)}`);
  }
  assertString('seed', options.seed);
  if (options.seed.length === 0) throw new RangeError('seed: expected a non-empty string, got ""');
  if (typeof options.homeCount !== 'number') throw new TypeError(`homeCount: expected a number, got ${typeof options.homeCount}`);
  if (!Number.isInteger(options.homeCount) || options.homeCount < 1 || options.homeCount > 9999) {
    throw new RangeError(`homeCount: expected an integer 1–9999, got ${options.homeCount}`);
  }
  const startDate = options.startDate ?? '2025-01-01';
  assertLocalDate('startDate', startDate);
  const mode = options.mode ?? 'hydra';
  if (mode !== 'hydra' && mode !== 'conventional') throw new RangeError(`mode: expected "hydra" or "conventional", got ${JSON.stringify(mode)}`);
  const sharingPreset = options.sharingPreset ?? 'hydra';
  if (sharingPreset !== 'hydra' && sharingPreset !== 'gb-licence') {
    throw new RangeError(`sharingPreset: expected "hydra" or "gb-licence", got ${JSON.stringify(sharingPreset)}`);
  }
  const clock = options.clock ?? londonMidnight(startDate);
  assertDate('clock', clock);
  const hostProgress = options.hostProgress ?? clock;
  assertDate('hostProgress', hostProgress);
  const name = options.name ?? id;
  assertString('name', name);

  const world: WorldRow = {
    id,
    name,
    seed: options.seed,
    homeCount: options.homeCount,
    mode,
    sharingPreset,
    startDate,
    clock: new Date(clock.getTime()),
    hostProgress: new Date(hostProgress.getTime()),
  };
  return { world, homes: homeRowsFor(world) };
}

/** What {@link insertWorld} did. */
export interface InsertWorldResult {
  /** Whether the World row was new. */
  createdWorld: boolean;
  /** How many Home rows were added (0 when all existed). */
  createdHomes: number;
}

/**
 * Stores a world and its homes, idempotently, in one transaction: a missing world is created, an
 * existing one is kept as it is (its clock is not reset), and missing homes are added.
 *
 * @param client - the database client
 * @param data - from {@link makeWorld}
 * @throws {Error} when a world with the same id exists with a different seed or home count — the
 *   stored homes would not be the ones asked for; delete it or choose another id
 */
export async function insertWorld(client: DbClient, data: WorldData): Promise<InsertWorldResult> {
  return client.$transaction(async (tx) => {
    const existing = await tx.world.findUnique({ where: { id: data.world.id } });
    if (existing && (existing.seed !== data.world.seed || existing.homeCount !== data.world.homeCount)) {
      throw new Error(
        `world ${data.world.id}: exists with seed ${JSON.stringify(existing.seed)} and ${existing.homeCount} homes, ` +
          `asked for seed ${JSON.stringify(data.world.seed)} and ${data.world.homeCount} homes — delete it or use another id`,
      );
    }
    if (!existing) await tx.world.create({ data: data.world });
    const present = new Set(
      (await tx.home.findMany({ where: { worldId: data.world.id }, select: { id: true } })).map((home) => home.id),
    );
    const missing = data.homes.filter((home) => !present.has(home.id));
    if (missing.length > 0) await tx.home.createMany({ data: missing });
    return { createdWorld: !existing, createdHomes: missing.length };
  });
}
