/**
 * Runs a world headless: the same meter, relay and party code as the web app, with the meters in
 * worker threads and the relay and the three parties — energy supplier, DNO, telecare provider —
 * in this thread on the database. The world clock lives in the database (DESIGN.md Decision 4) and
 * is advanced one month at a time; at each step the parties re-arm what they keep standing (as the
 * web app's clock route does), then the hosts follow the clock. The householders chosen by
 * `telecare` consent at the start, on their meters, and the provider enrols them on the meters'
 * proofs; with `loadControl` the DNO sends each feeder a campaign every month.
 */
import { Worker } from 'node:worker_threads';
import type { DbClient } from '@hydra/db';
import { manufacturerCaAnchor, RelayError, storeConventionalReads, type ConventionalReadInput, type HostProgress } from '@hydra/dcc';
import type { RandomSource } from '@hydra/globalplatform';
import { londonMidnightUtc, nextMonthStart } from '@hydra/meter-sim';
import { enrolHome, MIN_FEEDER_METERS, rearmParties } from '@hydra/suppliers';
import type { FromHost, HostInit, HostRpcMethod, ToHost } from './host-protocol';
import { createInProcessWorld, type PartyKeks } from './in-process-world';
import { sendMonthlyCampaigns } from './monthly-campaigns';
import { signCatalog } from './publish-applets';
import { seedWorld } from './seed-world';
import { consentingHomes, DEFAULT_TELECARE, type TelecareSelection } from './telecare-consent';

/** Options for {@link runWorld}. */
export interface RunWorldOptions {
  db: DbClient;
  random: RandomSource;
  /** Each party's key-encryption key (each party's context holds only its own). */
  keks: PartyKeks;
  /** The controlling authority's package-signing key (hex): signs the catalog the factory loads. */
  publisherKeyHex: string;
  /** The manufacturer CA's private key (hex): stays in this thread; workers get its public half. */
  manufacturerCaKeyHex: string;
  now: () => Date;
  seed: string;
  homes: number;
  months: number;
  /** Defaults to `cli-<seed>`; an existing world of that id is reset first. */
  worldId?: string;
  startDate?: string;
  /** Worker threads hosting meters (1–2 on this machine). */
  workers?: number;
  /** 'conventional' runs the same world with the DCC as a central store of raw reads (comparison only). */
  mode?: 'hydra' | 'conventional';
  /** Data-sharing preset of the world (DESIGN.md Decision 11; default hydra). */
  sharingPreset?: 'hydra' | 'gb-licence';
  /** Whose householders consent to telecare (default: single pensioners' homes). */
  telecare?: TelecareSelection;
  /** The DNO's monthly campaign on each feeder switches this device off for the evening peak (default none). */
  loadControl?: 'ev' | 'heat-pump' | null;
  onProgress?: (progress: { fraction: number; month: number; months: number; homeDays: number; message: string }) => void;
}

/** What a run produced, per home and per party. */
export interface RunWorldResult {
  worldId: string;
  seed: string;
  homes: number;
  months: number;
  startDate: string;
  endDate: string;
  homeDays: number;
  seconds: number;
  bills: { meterId: string; period: string; amountPence: number; importWh: number; exportWh: number }[];
  parties: {
    supplier: { accounts: number; bills: number; tariffs: number; receipts: number; keys: number; consentedReads: number };
    dno: DnoSummary;
    telecare: TelecareSummary;
  };
  relay: { messages: number; bytes: number; queued: number; dead: number; refused: number };
  mode: 'hydra' | 'conventional';
  /** Conventional mode: meter-days of raw reads in the DCC's central store. */
  conventionalReads: number;
}

/** What the DNO holds for the world, counted (its own tables). */
export interface DnoSummary {
  meters: number;
  powerQualityEvents: number;
  /** Meter-days of masked shares. */
  feederShares: number;
  /** Signed feeder rosters sent. */
  rosters: number;
  /** Per feeder: homes in the public registry, whether it reports (≥ 5), half hours recovered of those held. */
  feeders: { feederId: string; homes: number; reports: boolean; periods: number; completePeriods: number }[];
  campaigns: number;
  /** Per-meter acknowledgements of the campaigns. */
  acks: { applied: number; refused: number; queued: number };
}

/** What the telecare provider holds for the world, counted (its own tables). */
export interface TelecareSummary {
  /** Householders who consented on their meters in this run. */
  consented: number;
  /** Homes the relay announced to the provider on their meters' proofs (not withdrawn). */
  homes: number;
  alerts: number;
}

/** Creates (or resets) the world's registry rows, and every row the relay and the parties hold for it. */
async function prepareWorld(db: DbClient, worldId: string, seed: string, homes: number, startDate: string, mode: 'hydra' | 'conventional', sharingPreset: 'hydra' | 'gb-licence'): Promise<void> {
  await db.$transaction(async (tx) => {
    const where = { worldId };
    await tx.dccMessage.deleteMany({ where });
    await tx.dccRefusal.deleteMany({ where });
    await tx.dccEnrolment.deleteMany({ where });
    await tx.conventionalRead.deleteMany({ where });
    await tx.dccMeter.deleteMany({ where });
    await tx.supplierBill.deleteMany({ where });
    await tx.supplierConsentedRead.deleteMany({ where });
    await tx.supplierSession.deleteMany({ where });
    await tx.supplierAccount.deleteMany({ where });
    await tx.supplierTariff.deleteMany({ where });
    await tx.dnoCampaign.deleteMany({ where });
    await tx.dnoFeederRoster.deleteMany({ where });
    await tx.dnoAggregationKey.deleteMany({ where });
    await tx.dnoFeederLoad.deleteMany({ where });
    await tx.dnoFeederShare.deleteMany({ where });
    await tx.dnoPowerQualityEvent.deleteMany({ where });
    await tx.dnoSession.deleteMany({ where });
    await tx.dnoMeter.deleteMany({ where });
    await tx.telecareAlert.deleteMany({ where });
    await tx.telecareSession.deleteMany({ where });
    await tx.telecareHome.deleteMany({ where });
    await tx.world.deleteMany({ where: { id: worldId } });
  });
  await seedWorld({ db, worldId, name: `Headless ${seed}${mode === 'conventional' ? ' (conventional)' : ''}`, seed, homes, startDate, mode, sharingPreset });
}

/** Runs the world and returns its summary. */
export async function runWorld(options: RunWorldOptions): Promise<RunWorldResult> {
  const { db, seed, homes, months } = options;
  if (!Number.isInteger(homes) || homes < 1 || homes > 100_000) throw new RangeError(`homes: expected 1..100000, got ${homes}`);
  if (!Number.isInteger(months) || months < 1 || months > 120) throw new RangeError(`months: expected 1..120, got ${months}`);
  const worldId = options.worldId ?? `cli-${seed.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`.slice(0, 48);
  const startDate = options.startDate ?? '2025-01-01';
  const started = performance.now();
  const mode = options.mode ?? 'hydra';
  const sharingPreset = options.sharingPreset ?? 'hydra';
  const telecareHomes = consentingHomes(options.telecare ?? DEFAULT_TELECARE, seed, homes);
  await prepareWorld(db, worldId, seed, homes, startDate, mode, sharingPreset);
  const world = createInProcessWorld({ db, random: options.random, keks: options.keks, manufacturerCaKeyHex: options.manufacturerCaKeyHex, now: options.now });
  await world.registerParties();

  // One queue for every relay call: the database sees one request at a time from this process.
  let serial: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const next = serial.then(work, work);
    serial = next.catch(() => undefined);
    return next;
  };
  const handlers: Record<HostRpcMethod, (...args: never[]) => Promise<unknown>> = {
    register: async (registrations: Parameters<typeof world.relay.registerMeter>[0][]) => {
      const certificates = [];
      for (const registration of registrations) certificates.push((await world.relay.registerMeter(registration)).certificates);
      return { certificates };
    },
    wake: (worldIdArg: string, meterIds: string[]) => world.relay.pendingDownlinks(worldIdArg, meterIds),
    post: async (envelopes: Uint8Array[]) => {
      const results = [];
      for (const envelope of envelopes) {
        try {
          results.push(await world.relay.acceptUplink(envelope));
        } catch (error) {
          if (!(error instanceof RelayError)) throw error;
          results.push({ status: 'refused' as const, code: error.code, message: error.message });
        }
      }
      return results;
    },
    conventional: (worldIdArg: string, reads: ConventionalReadInput[]) => storeConventionalReads(db, worldIdArg, reads),
    acknowledge: async (acks: { meterId: string; messageIds: string[] }[]) => {
      for (const ack of acks) await world.relay.acknowledgeDownlinks(ack.meterId, ack.messageIds);
    },
    // The telecare provider carries a meter's proof of consent to the relay (its enrol route's work).
    enrol: (proof: unknown) => enrolHome({ context: world.telecare, proof }),
  };

  const signed = await signCatalog(options.publisherKeyHex);
  const catalog = {
    publisherPublicKey: signed.publisherPublicKey,
    applets: signed.entries.map((entry) => ({ id: entry.id, source: signed.sources[entry.id] ?? '', signature: entry.signature })),
  };
  const ca = manufacturerCaAnchor(options.manufacturerCaKeyHex);
  const workerCount = Math.max(1, Math.min(options.workers ?? 1, homes));
  const hosts: { worker: Worker; progress: HostProgress | null; waiters: Map<number, { resolve: (p: HostProgress) => void; reject: (e: Error) => void }> }[] = [];
  const ready: Promise<void>[] = [];
  for (let w = 0; w < workerCount; w++) {
    const homeIndices = Array.from({ length: homes }, (_, i) => i).filter((i) => i % workerCount === w);
    const init: HostInit = { worldId, seed, startDate, homeIndices, catalog, ca, mode, sharingPreset, telecareHomes: telecareHomes.filter((i) => i % workerCount === w) };
    const worker = new Worker(new URL('./host-worker-entry.mjs', import.meta.url), { workerData: init });
    const host = { worker, progress: null as HostProgress | null, waiters: new Map<number, { resolve: (p: HostProgress) => void; reject: (e: Error) => void }>() };
    hosts.push(host);
    ready.push(
      new Promise<void>((resolve, reject) => {
        worker.on('error', reject);
        worker.on('exit', (code) => {
          const error = new Error(`meter host worker exited with code ${code}`);
          reject(error);
          for (const waiter of host.waiters.values()) waiter.reject(error);
          host.waiters.clear();
        });
        worker.on('message', (message: FromHost) => {
          if (message.type === 'ready') resolve();
          else if (message.type === 'rpc') {
            const handler = handlers[message.method] as (...args: unknown[]) => Promise<unknown>;
            serially(() => handler(...message.args)).then(
              (result) => worker.postMessage({ type: 'rpc-result', id: message.id, result } satisfies ToHost),
              (error: unknown) => worker.postMessage({ type: 'rpc-result', id: message.id, error: error instanceof Error ? error.message : String(error) } satisfies ToHost),
            );
          } else if (message.type === 'progress') host.progress = message.progress;
          else if (message.type === 'advanced') {
            host.progress = message.progress;
            host.waiters.get(message.requestId)?.resolve(message.progress);
            host.waiters.delete(message.requestId);
          } else if (message.type === 'failed') {
            const error = new Error(`meter host failed: ${message.message}`);
            if (message.requestId === null) reject(error);
            else host.waiters.get(message.requestId)?.reject(error);
          }
        });
      }),
    );
  }
  let homeDays = 0;
  let date = startDate;
  try {
    await Promise.all(ready);
    let requestId = 0;
    for (let month = 1; month <= months; month++) {
      // The DNO's campaign for the month ahead, while the world clock has not passed its window.
      const loadControl = options.loadControl;
      if (loadControl) await serially(() => sendMonthlyCampaigns({ db, dno: world.dno, worldId, monthStart: date, device: loadControl }));
      date = nextMonthStart(date);
      const clock = new Date(londonMidnightUtc(date));
      await db.world.update({ where: { id: worldId }, data: { clock } });
      await serially(() => rearmParties({ supplier: world.supplier, dno: world.dno, telecare: world.telecare, worldId }));
      requestId++;
      const results = await Promise.all(
        hosts.map(
          (host) =>
            new Promise<HostProgress>((resolve, reject) => {
              host.waiters.set(requestId, { resolve, reject });
              host.worker.postMessage({ type: 'advance', requestId, untilDate: date } satisfies ToHost);
            }),
        ),
      );
      homeDays += results.reduce((sum, p) => sum + p.homeDays, 0);
      await db.world.update({ where: { id: worldId }, data: { hostProgress: clock } });
      options.onProgress?.({ fraction: month / months, month, months, homeDays, message: `${date.slice(0, 7)} reached` });
    }
    await serially(() => world.relay.drain());
  } finally {
    await Promise.all(hosts.map((host) => host.worker.terminate()));
  }

  const bills = await db.supplierBill.findMany({ where: { worldId }, orderBy: [{ meterId: 'asc' }, { period: 'asc' }] });
  const [accounts, tariffs, keys, receipts, relayStats, consentedReads] = await Promise.all([
    db.supplierAccount.count({ where: { worldId } }),
    db.supplierTariff.count({ where: { worldId } }),
    db.supplierKey.count(),
    db.supplierReceipt.count(),
    world.relay.stats(worldId),
    db.supplierConsentedRead.count({ where: { worldId } }),
  ]);
  return {
    worldId,
    seed,
    homes,
    months,
    startDate,
    endDate: date,
    homeDays,
    seconds: (performance.now() - started) / 1000,
    bills: bills.map(({ meterId, period, amountPence, importWh, exportWh }) => ({ meterId, period, amountPence, importWh, exportWh })),
    parties: {
      supplier: { accounts, bills: bills.length, tariffs, receipts, keys, consentedReads },
      dno: await dnoSummary(db, worldId),
      telecare: { ...(await telecareSummary(db, worldId)), consented: telecareHomes.length },
    },
    relay: relayStats,
    mode,
    conventionalReads: await db.conventionalRead.count({ where: { worldId } }),
  };
}

/** The DNO's rows for the world, counted. */
async function dnoSummary(db: DbClient, worldId: string): Promise<DnoSummary> {
  const where = { worldId };
  const [meters, powerQualityEvents, feederShares, rosters, campaigns, homes, periods, complete, targets] = await Promise.all([
    db.dnoMeter.count({ where }),
    db.dnoPowerQualityEvent.count({ where }),
    db.dnoFeederShare.count({ where }),
    db.dnoFeederRoster.count({ where }),
    db.dnoCampaign.count({ where }),
    db.home.groupBy({ by: ['feederId'], where, _count: { _all: true }, orderBy: { feederId: 'asc' } }),
    db.dnoFeederLoad.groupBy({ by: ['feederId'], where, _count: { _all: true }, orderBy: { feederId: 'asc' } }),
    db.dnoFeederLoad.groupBy({ by: ['feederId'], where: { worldId, totalWh: { not: null } }, _count: { _all: true }, orderBy: { feederId: 'asc' } }),
    db.dnoCampaignTarget.groupBy({ by: ['state'], where: { campaign: { worldId } }, _count: { _all: true }, orderBy: { state: 'asc' } }),
  ]);
  const countOf = (rows: { feederId: string; _count: { _all: number } }[], feederId: string) => rows.find((row) => row.feederId === feederId)?._count._all ?? 0;
  const acks = (state: string) => targets.find((row) => row.state === state)?._count._all ?? 0;
  return {
    meters,
    powerQualityEvents,
    feederShares,
    rosters,
    feeders: homes.map((row) => ({ feederId: row.feederId, homes: row._count._all, reports: row._count._all >= MIN_FEEDER_METERS, periods: countOf(periods, row.feederId), completePeriods: countOf(complete, row.feederId) })),
    campaigns,
    acks: { applied: acks('applied'), refused: acks('refused'), queued: acks('queued') },
  };
}

/** The telecare provider's rows for the world, counted. */
async function telecareSummary(db: DbClient, worldId: string): Promise<Omit<TelecareSummary, 'consented'>> {
  const [homes, alerts] = await Promise.all([db.telecareHome.count({ where: { worldId, withdrawnAt: null } }), db.telecareAlert.count({ where: { worldId } })]);
  return { homes, alerts };
}
