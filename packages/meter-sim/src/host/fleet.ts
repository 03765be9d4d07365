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
import type { AppletCompiler } from '../secure-element/applet-instances';
import type { AppletModule } from '../secure-element/applet-runtime';
import { hydraAid } from '../secure-element/registry';
import { manufactureMeterState, MeterCore, type ManufacturerCaInfo, type MeterCoreOptions, type MeterState, type SignedCatalog } from '../meter/meter-core';

/** Where a host keeps its meters' state (IndexedDB in a browser, memory or a file in Node). */
export interface MeterStateStore {
  load(worldId: string, meterId: string): Promise<MeterState | null>;
  save(states: readonly MeterState[]): Promise<void>;
  /** Forgets every meter of a world (a world reset). */
  clear(worldId: string): Promise<void>;
}

/** The parties with a supplementary security domain on every meter, and their AIDs. */
export const SECURITY_DOMAINS: readonly { partyId: string; aid: string }[] = ['supplier', 'dno', 'telecare'].map((partyId) => ({ partyId, aid: hydraAid('sd', partyId) }));

/** Applets loaded and installed at manufacture (from the signed catalog). */
export const FACTORY_APPLETS: readonly { appletId: string; version: string; domain: string }[] = [{ appletId: 'billing', version: '1.0.0', domain: 'supplier' }];

/** Options for {@link MeterFleet.open}. */
export interface FleetOptions {
  worldId: string;
  seed: string;
  startDate: LocalDate;
  /** Home indices this fleet hosts (0-based). */
  homeIndices: readonly number[];
  /** The signed catalog the factory loads applets from (DAP-verified by each card). */
  catalog: SignedCatalog;
  /** The manufacturer CA the cards are personalised to trust (public half only). */
  ca: ManufacturerCaInfo;
  /** Compiles a published source into a module (`parseAppletModule` with SES's ModuleSource); cached per source here. */
  compile: AppletCompiler;
  random: RandomSource;
  store: MeterStateStore;
  /** Trace hook handed to every meter core (the browser host keeps each meter's APDU trace). */
  onExchange?: MeterCoreOptions['onExchange'];
}

/** Wraps a compiler with a cache by source text, shared by every meter of the fleet. */
function cachedCompiler(compile: AppletCompiler): AppletCompiler {
  const modules = new Map<string, AppletModule>();
  return (source) => {
    let module = modules.get(source);
    if (!module) {
      module = compile(source);
      modules.set(source, module);
    }
    return module;
  };
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
    const compile = cachedCompiler(options.compile);
    for (const index of options.homeIndices) {
      const meterId = meterIdOf(options.worldId, index);
      const profile = createHomeProfile(options.seed, index);
      let state = await options.store.load(options.worldId, meterId);
      // A state from before the secure element (version 1) is re-manufactured.
      if (!state || state.version !== 2) {
        state = manufactureMeterState({
          worldId: options.worldId,
          meterId,
          startDate: options.startDate,
          parties: [...SECURITY_DOMAINS],
          applets: [...FACTORY_APPLETS],
          catalog: options.catalog,
          ca: options.ca,
          compile,
          random: options.random,
        });
        created.push(state);
      }
      const core = new MeterCore({
        state,
        compile,
        random: options.random,
        metrology: (date) => simulateHomeDay(profile, date),
        onExchange: options.onExchange,
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
