/**
 * A fleet of meter cores hosted together in one worker (DESIGN.md Decision 1: one or two workers
 * per host, each hosting many meters — not a worker per home). The fleet restores each meter's
 * state from the host's store or manufactures a new meter (fresh keys from the secure random
 * source, never the seed), feeds them metrology from the household model, and saves their state
 * after every step.
 */
import type { RandomSource } from '@hydra/globalplatform';
import { addDays, type LocalDate } from '../calendar';
import { createHomeProfile, simulateHomeDay, type HomeDay, type HomeProfile } from '../home/index';
import type { AppletCompiler } from '../secure-element/applet-instances';
import type { CryptoPrimitives } from '../secure-element/applet-crypto';
import type { AppletModule } from '../secure-element/applet-runtime';
import type { Privilege } from '../secure-element/privileges';
import { hydraAid } from '../secure-element/registry';
import { bytesToHex } from '@hydra/globalplatform';
import {
  manufactureMeterState,
  METER_STATE_VERSION,
  MeterCore,
  type FactoryApplet,
  type ManufacturerCaInfo,
  type MeterCoreOptions,
  type MeterState,
  type SharingPreset,
  type SignedCatalog,
} from '../meter/meter-core';
import { Householder } from '../meter/householder';
import { readingsFromHomeDay } from './metrology-feed';

/** Where a host keeps its meters' state (IndexedDB in a browser, memory or a file in Node). */
export interface MeterStateStore {
  load(worldId: string, meterId: string): Promise<MeterState | null>;
  save(states: readonly MeterState[]): Promise<void>;
  /** Forgets every meter of a world (a world reset). */
  clear(worldId: string): Promise<void>;
}

/**
 * The supplementary security domains on every meter: one per party reached through the relay, and
 * the householder's own (reached only locally, by the in-home display). Each may grant its applets
 * only the parts of the metrology feed listed here (DESIGN.md "Applets": the supplier and the
 * householder read registers; the DNO registers and voltage; telecare occupant activity only).
 */
export const SECURITY_DOMAINS: readonly { partyId: string; aid: string; privileges: Privilege[] }[] = [
  { partyId: 'supplier', privileges: ['metrology'] as Privilege[] },
  { partyId: 'dno', privileges: ['metrology', 'voltage'] as Privilege[] },
  { partyId: 'telecare', privileges: ['activity'] as Privilege[] },
  { partyId: 'householder', privileges: ['metrology'] as Privilege[] },
].map((domain) => ({ ...domain, aid: hydraAid('sd', domain.partyId) }));

/**
 * Applets loaded, installed and personalised at manufacture (from the signed catalog). Telecare is
 * not among them: it is optional, installed only with the householder's signed consent.
 */
export const FACTORY_APPLETS: readonly FactoryApplet[] = [
  {
    appletId: 'billing',
    version: '2.1.2',
    domain: 'supplier',
    privileges: ['metrology'],
    personalise: ({ meterId, householderKey, sharingPreset }) => ({ meterId, householderKey, preset: sharingPreset }),
  },
  { appletId: 'power-quality', version: '1.0.0', domain: 'dno', privileges: ['voltage'] },
  // The randomisation secret is drawn here, from the secure random source; the DNO never learns it.
  { appletId: 'load-control', version: '1.0.0', domain: 'dno', privileges: [], personalise: ({ random }) => ({ offsetSecret: bytesToHex(random(32)) }) },
  { appletId: 'aggregation', version: '1.2.2', domain: 'dno', privileges: ['metrology'], personalise: ({ meterId }) => ({ meterId }) },
  { appletId: 'insights', version: '1.0.2', domain: 'householder', privileges: ['metrology'] },
];

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
  /** The world's data-sharing preset (DESIGN.md Decision 11; default 'hydra'). */
  sharingPreset?: SharingPreset;
  /** Native fast paths for the applets' crypto (a Node host passes node:crypto's; default noble only). */
  primitives?: CryptoPrimitives;
  /**
   * Called with each day a meter meters, as the household model simulated it under the load-control
   * windows the meter applied — what a conventional host sends as the raw reads of that day.
   */
  onMetered?: (meterId: string, day: HomeDay) => void;
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
      // A state of an older format (before the secure element, or before every applet) is re-manufactured.
      if (!state || state.version !== METER_STATE_VERSION) {
        state = manufactureMeterState({
          worldId: options.worldId,
          meterId,
          startDate: options.startDate,
          parties: [...SECURITY_DOMAINS],
          applets: [...FACTORY_APPLETS],
          sharingPreset: options.sharingPreset ?? 'hydra',
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
        ...(options.primitives ? { primitives: options.primitives } : {}),
        // The home's EV charger and heat pump follow the windows the load-control applet scheduled.
        metrology: (date, controls) => {
          const day = simulateHomeDay(profile, date, controls.length > 0 ? { controls } : {});
          options.onMetered?.(meterId, day);
          return readingsFromHomeDay(day);
        },
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

  /**
   * The in-home display's interface to one meter (local: never through the relay). Persist the
   * meter afterwards (`persist([meterId])`).
   */
  householder(meterId: string): Householder | undefined {
    const core = this.cores.get(meterId);
    return core ? new Householder(core, { catalog: this.options.catalog, random: this.options.random }) : undefined;
  }

  /** The earliest date not yet fed to some meter. */
  nextDate(): LocalDate {
    let earliest: LocalDate | null = null;
    for (const core of this.cores.values()) if (earliest === null || core.state.nextDate < earliest) earliest = core.state.nextDate;
    return earliest ?? this.options.startDate;
  }

  /**
   * Feeds every meter every complete day before `untilDate`; returns home-days simulated. Day by
   * day across the fleet (not meter by meter), so what homes share on a day — weather, sun, feeder
   * events — is computed once and found in the household model's caches by every meter.
   */
  advanceTo(untilDate: LocalDate): number {
    let homeDays = 0;
    for (let date = this.nextDate(); date < untilDate; date = addDays(date, 1)) {
      const next = addDays(date, 1);
      for (const core of this.cores.values()) homeDays += core.advanceTo(next < untilDate ? next : untilDate);
    }
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
