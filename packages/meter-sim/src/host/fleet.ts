/**
 * A fleet of meter cores hosted together in one worker (DESIGN.md Decision 1: one or two workers
 * per host, each hosting many meters — not a worker per home). The fleet restores each meter's
 * state from the host's store or manufactures a new meter (fresh keys from the secure random
 * source, never the seed), feeds them metrology from the household model, and saves their state
 * after every step.
 */
import type { RandomSource } from '@hydra/globalplatform';
import type { LocalDate } from '../calendar';
import { createHomeProfile, simulateHomeDay, type HomeProfile } from '../home/index';
import type { AppletModule } from '../secure-element/applet-runtime';
import { createMeterState, MeterCore, type MeterState } from '../meter/meter-core';

/** Where a host keeps its meters' state (IndexedDB in a browser, memory or a file in Node). */
export interface MeterStateStore {
  load(worldId: string, meterId: string): Promise<MeterState | null>;
  save(states: readonly MeterState[]): Promise<void>;
  /** Forgets every meter of a world (a world reset). */
  clear(worldId: string): Promise<void>;
}

/** The parties with a security domain on every meter, and their AIDs (RID A000000151 is GlobalPlatform's). */
export const SECURITY_DOMAINS: readonly { partyId: string; aid: string }[] = [
  { partyId: 'supplier', aid: 'A000000151535550' },
  { partyId: 'dno', aid: 'A0000001514E4F00' },
  { partyId: 'telecare', aid: 'A000000151544300' },
];

/** Applets installed at manufacture in the walking skeleton. */
export const FACTORY_APPLETS: readonly { appletId: string; version: string; domain: string }[] = [{ appletId: 'billing', version: '1.0.0', domain: 'supplier' }];

/** Options for {@link MeterFleet.open}. */
export interface FleetOptions {
  worldId: string;
  seed: string;
  startDate: LocalDate;
  /** Home indices this fleet hosts (0-based). */
  homeIndices: readonly number[];
  modules: { [appletId: string]: AppletModule };
  random: RandomSource;
  store: MeterStateStore;
}

/** Meter id of home `index` in a world: `<world>-m0001` for index 0. */
export function meterIdOf(worldId: string, index: number): string {
  return `${worldId}-m${String(index + 1).padStart(4, '0')}`;
}

/** Many meter cores, one per home. */
export class MeterFleet {
  private constructor(
    private readonly options: FleetOptions,
    private readonly cores: Map<string, MeterCore>,
    readonly profiles: Map<string, HomeProfile>,
  ) {}

  /** Restores or manufactures every meter of the fleet. */
  static async open(options: FleetOptions): Promise<MeterFleet> {
    const cores = new Map<string, MeterCore>();
    const profiles = new Map<string, HomeProfile>();
    const created: MeterState[] = [];
    for (const index of options.homeIndices) {
      const meterId = meterIdOf(options.worldId, index);
      const profile = createHomeProfile(options.seed, index);
      let state = await options.store.load(options.worldId, meterId);
      if (!state) {
        state = createMeterState({
          worldId: options.worldId,
          meterId,
          startDate: options.startDate,
          parties: [...SECURITY_DOMAINS],
          applets: [...FACTORY_APPLETS],
          random: options.random,
        });
        created.push(state);
      }
      const core = new MeterCore({
        state,
        modules: options.modules,
        random: options.random,
        metrology: (date) => simulateHomeDay(profile, date),
      });
      cores.set(meterId, core);
      profiles.set(meterId, profile);
    }
    if (created.length > 0) await options.store.save(created);
    return new MeterFleet(options, cores, profiles);
  }

  /** Every meter core, in home order. */
  meters(): MeterCore[] {
    return [...this.cores.values()];
  }

  /** One meter core. */
  meter(meterId: string): MeterCore | undefined {
    return this.cores.get(meterId);
  }

  /** The earliest date not yet fed to some meter. */
  nextDate(): LocalDate {
    let earliest: LocalDate | null = null;
    for (const core of this.cores.values()) if (earliest === null || core.state.nextDate < earliest) earliest = core.state.nextDate;
    return earliest ?? this.options.startDate;
  }

  /** Feeds every meter every complete day before `untilDate`; returns home-days simulated. */
  advanceTo(untilDate: LocalDate): number {
    let homeDays = 0;
    for (const core of this.cores.values()) homeDays += core.advanceTo(untilDate);
    return homeDays;
  }

  /** Saves the state of the given meters (all when omitted). */
  async persist(meterIds?: readonly string[]): Promise<void> {
    const states = (meterIds ?? [...this.cores.keys()]).flatMap((id) => {
      const core = this.cores.get(id);
      return core ? [core.state] : [];
    });
    await this.options.store.save(states);
  }
}

/** A store that keeps states in memory (tests, short headless runs). */
export function createMemoryStateStore(): MeterStateStore {
  const states = new Map<string, string>();
  return {
    async load(worldId, meterId) {
      const text = states.get(`${worldId}/${meterId}`);
      return text ? (JSON.parse(text) as MeterState) : null;
    },
    async save(list) {
      for (const state of list) states.set(`${state.worldId}/${state.meterId}`, JSON.stringify(state));
    },
    async clear(worldId) {
      for (const key of [...states.keys()]) if (key.startsWith(`${worldId}/`)) states.delete(key);
    },
  };
}
