/**
 * The relay's in-memory view of what rarely changes and is read for every envelope: each meter's
 * registration (world, device key, which parties own a security domain on it, which consent-gated
 * parties its householder admitted) and each world's clock. Reading them from the database cost
 * four of the seven queries an accepted uplink made (BENCHMARKS.md, "Relay over loopback HTTP").
 *
 * Correctness rests on invalidation where the data changes, and every change goes through the
 * relay of this process: `Relay.registerMeter` (new keys, new domains) and `Relay.enrol`
 * (admission, withdrawal) forget the meter; `Relay.worldClockChanged` forgets a world's clock.
 * A load that raced an invalidation is not kept (the version check below), so a re-registration
 * that has returned is in force for the very next envelope. Entries also expire after `ttlMs`, which
 * bounds how stale a registration changed by another process on the same database (another relay:
 * the CLI's own, a second server) can be here.
 */
import type { DbClient } from '@hydra/db';

/** What the relay checks an envelope against. */
export interface MeterRegistration {
  meterId: string;
  worldId: string;
  /** SEC 1 compressed P-256 device key the uplink signatures must verify against. */
  devicePublicKey: Uint8Array;
  /** Parties owning a security domain on the meter, with the domain's AID and public key. */
  domains: ReadonlyMap<string, { aid: string; publicKey: Uint8Array }>;
  /** Consent-gated parties the householder admitted (a standing proof of consent). */
  admitted: ReadonlySet<string>;
  /** When this was read from the database (the cache's clock). */
  loadedAt: number;
}

/** Options for {@link RegistrationCache}. */
export interface RegistrationCacheOptions {
  db: DbClient;
  /** Milliseconds; the relay's injected clock. */
  now: () => number;
  /** How long an entry is used before it is read again (default 60 s). */
  ttlMs?: number;
  /** Entries kept per kind before the oldest are dropped (default 100 000). */
  maxEntries?: number;
}

interface Entry<T> {
  value: T;
  loadedAt: number;
}

/** Meter registrations and world clocks, read through and invalidated by the relay. */
export class RegistrationCache {
  private readonly db: DbClient;
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly meterEntries = new Map<string, Entry<MeterRegistration>>();
  private readonly clockEntries = new Map<string, Entry<Date>>();
  /** Bumped by every invalidation: a load that began before one is not kept. */
  private version = 0;

  constructor(options: RegistrationCacheOptions) {
    this.db = options.db;
    this.now = options.now;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 100_000;
  }

  /**
   * The registrations of these meters (unregistered ones are absent from the map). Reads every
   * missing or expired one in one round (two queries), however many there are.
   * @param fresh - read these from the database even if cached (e.g. after a signature failed).
   */
  async meters(meterIds: Iterable<string>, fresh = false): Promise<Map<string, MeterRegistration>> {
    const at = this.now();
    const found = new Map<string, MeterRegistration>();
    const missing: string[] = [];
    for (const meterId of new Set(meterIds)) {
      const entry = this.meterEntries.get(meterId);
      if (!fresh && entry && at - entry.loadedAt < this.ttlMs) found.set(meterId, entry.value);
      else missing.push(meterId);
    }
    if (missing.length === 0) return found;
    const version = this.version;
    const [meters, enrolments] = await Promise.all([
      this.db.dccMeter.findMany({ where: { meterId: { in: missing } }, include: { securityDomains: true } }),
      this.db.dccEnrolment.findMany({ where: { meterId: { in: missing }, state: 'admitted' }, select: { meterId: true, partyId: true } }),
    ]);
    const admitted = new Map<string, Set<string>>();
    for (const row of enrolments) admitted.set(row.meterId, (admitted.get(row.meterId) ?? new Set()).add(row.partyId));
    for (const meter of meters) {
      const registration: MeterRegistration = {
        meterId: meter.meterId,
        worldId: meter.worldId,
        devicePublicKey: meter.devicePublicKey,
        domains: new Map(meter.securityDomains.map((domain) => [domain.partyId, { aid: domain.aid, publicKey: domain.publicKey }])),
        admitted: admitted.get(meter.meterId) ?? new Set(),
        loadedAt: at,
      };
      found.set(meter.meterId, registration);
      // Not kept when the meter (or anything) was invalidated while this read was in flight.
      if (this.version === version) this.keep(this.meterEntries, meter.meterId, registration, at);
    }
    // An unregistered meter is not remembered: it may register at any moment (in another process too).
    for (const meterId of missing) if (!found.has(meterId)) this.meterEntries.delete(meterId);
    return found;
  }

  /** One meter's registration, or null when it is not registered. */
  async meter(meterId: string, fresh = false): Promise<MeterRegistration | null> {
    return (await this.meters([meterId], fresh)).get(meterId) ?? null;
  }

  /** A world's clock, or null when the world does not exist. */
  async worldClock(worldId: string): Promise<Date | null> {
    const at = this.now();
    const entry = this.clockEntries.get(worldId);
    if (entry && at - entry.loadedAt < this.ttlMs) return entry.value;
    const version = this.version;
    const world = await this.db.world.findUnique({ where: { id: worldId }, select: { clock: true } });
    if (!world) {
      this.clockEntries.delete(worldId);
      return null;
    }
    if (this.version === version) this.keep(this.clockEntries, worldId, world.clock, at);
    return world.clock;
  }

  /** Drops a meter's registration: the next envelope reads it again. Call after changing it. */
  forgetMeter(meterId: string): void {
    this.version++;
    this.meterEntries.delete(meterId);
  }

  /** Drops a world's clock: the next envelope reads it again. Call after moving it. */
  forgetWorld(worldId: string): void {
    this.version++;
    this.clockEntries.delete(worldId);
  }

  private keep<T>(entries: Map<string, Entry<T>>, key: string, value: T, at: number): void {
    entries.delete(key);
    if (entries.size >= this.maxEntries) {
      // Insertion order is load order: drop the oldest quarter.
      let drop = Math.ceil(this.maxEntries / 4);
      for (const old of entries.keys()) {
        if (drop-- <= 0) break;
        entries.delete(old);
      }
    }
    entries.set(key, { value, loadedAt: at });
  }
}
