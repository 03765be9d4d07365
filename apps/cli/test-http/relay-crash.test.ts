// Reliability: a fleet of meters (the CLI's meter-host worker: SES compartments, the comms hub)
// drives the built web app over HTTP — relay and supplier in one `next start` — while the server
// is killed with SIGKILL at seeded random moments, HYDRA_FAULT_KILLS times in a row (default 10),
// and restarted on the same database each time. The host retries whatever failed. Afterwards every
// bill is present exactly once (one per meter and month, homes × months in all) and the relay's
// queues have drained: no queued uplink, no dead letter. The DNO and the telecare provider run in
// the same server: every uplink delivered to a party was taken by it exactly once, the DNO holds
// each power-quality event of the household model exactly once and every feeder half hour it
// recovered is the exact sum, and telecare holds exactly the homes whose householders consented
// (on their meters, before the first kill).
//
//   npm run build && npx vitest run -c apps/cli/vitest.http.config.ts
//   HYDRA_FAULT_SEED=7 HYDRA_FAULT_KILLS=20 HYDRA_FAULT_HOMES=12 HYDRA_FAULT_MONTHS=4 …   (defaults 1, 10, 8, 3)
//   HYDRA_FAULT_TELECARE=3   homes whose householders consent to telecare, the first of every N (default 4)
//   HYDRA_FAULT_DEBUG=1 prints, per meter, its bills, the supplier session (phase, step in flight,
//   queue) and the relay messages by class and state, and the kill/retry timeline.
//
// Why the CLI's worker and not the browser's: the same MeterFleet + CommsHub run there after SES
// lockdown, in a thread of this process, and its relay calls come back here over a message port,
// where they go out through `createHttpHubTransport` — the transport the browser's worker uses.
import { createTestDatabase, type TestDatabase } from '@hydra/db/testing';
import { createHttpHubTransport, type HostProgress, type HubTransport } from '@hydra/dcc';
import { createHomeProfile, datesBetween, meterIdOf, nextMonthStart, simulateHomeDay } from '@hydra/meter-sim';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSecrets, startWeb, type PartySecrets, type WebServer } from '../../web/test-http/web-server';
import type { FromHost, HostInit, ToHost } from '../src/host-protocol';
import { seedWorld } from '../src/seed-world';

const int = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name}: expected a whole number, got ${process.env[name]}`);
  return value;
};
const SEED = int('HYDRA_FAULT_SEED', 1);
const KILLS = Math.max(10, int('HYDRA_FAULT_KILLS', 10));
const HOMES = Math.max(1, int('HYDRA_FAULT_HOMES', 8));
const MONTHS = Math.max(1, int('HYDRA_FAULT_MONTHS', 3));
const TELECARE_EVERY = Math.max(1, int('HYDRA_FAULT_TELECARE', 4));
/** Home indices whose householders consent to telecare: the first of every TELECARE_EVERY. */
const TELECARE_HOMES = Array.from({ length: HOMES }, (_, i) => i).filter((i) => i % TELECARE_EVERY === 0);
const worldId = 'crash';
const startDate = '2025-01-01';

/** mulberry32: the kill schedule is reproducible from HYDRA_FAULT_SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`relay + supplier, DNO and telecare survive ${KILLS} SIGKILLs (seed ${SEED}, ${HOMES} homes × ${MONTHS} months)`, () => {
  let database: TestDatabase;
  let secrets: PartySecrets;
  let server: WebServer | null = null;
  let port = 0;
  let worker: Worker | null = null;
  const log: string[] = [];

  const start = async () => {
    server = await startWeb({
      databaseUrl: database.url,
      secrets,
      ...(port ? { port } : {}),
      // Short leases and a fast drain so a message caught mid-delivery is retried within seconds.
      env: { HYDRA_RELAY_DRAIN_MS: '300', HYDRA_RELAY_LEASE_MS: '1500', HYDRA_RELAY_METER_RATE: '50/500' },
    });
    port = server.port;
  };
  const origin = () => `http://127.0.0.1:${port}`;
  const transport = (): HubTransport => createHttpHubTransport(origin(), fetch);
  /** The telecare provider carries a meter's proof of consent to its enrol route, under its own credential. */
  const enrol = async (proof: unknown) => {
    const response = await fetch(`${origin()}/api/telecare/enrolments`, { method: 'POST', headers: { authorization: `Bearer ${secrets.telecare}`, 'content-type': 'application/json' }, body: JSON.stringify({ proof }) });
    if (!response.ok) throw new Error(`telecare enrolment: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedWorld({ db: database.db.client, worldId, name: 'Crash street', seed: `crash-${SEED}`, homes: HOMES, startDate });
    secrets = makeSecrets();
    await start();
  });
  afterAll(async () => {
    await worker?.terminate();
    await server?.kill('SIGKILL');
    await database?.dispose();
  });

  it('bills every home once per month and drains its queues', async () => {
    // What the browser's host fetches: the signed catalog and the manufacturer CA's public key.
    const response = await fetch(`${origin()}/api/catalog`);
    if (!response.ok) throw new Error(`catalog: HTTP ${response.status}`);
    const served = (await response.json()) as { publisherPublicKey: string | null; manufacturerCa: HostInit['ca']; applets: { id: string; source: string; signature: string | null }[] };
    if (!served.publisherPublicKey) throw new Error('catalog: not signed (run `node scripts/setup.mjs`)');
    const catalog: HostInit['catalog'] = {
      publisherPublicKey: served.publisherPublicKey,
      applets: served.applets.flatMap(({ id, source, signature }) => (signature ? [{ id, source, signature }] : [])),
    };
    const init: Omit<HostInit, 'mode'> & { mode: 'hydra' } = { worldId, seed: `crash-${SEED}`, startDate, homeIndices: Array.from({ length: HOMES }, (_, i) => i), catalog, ca: served.manufacturerCa, mode: 'hydra', telecareHomes: TELECARE_HOMES };
    const host = new Worker(new URL('../src/host-worker-entry.mjs', import.meta.url), { workerData: init });
    worker = host;
    const waiters = new Map<number, { resolve: (p: HostProgress) => void; reject: (e: Error) => void }>();
    let ready!: () => void;
    let openFailed!: (error: Error) => void;
    const opened = new Promise<void>((resolve, reject) => {
      ready = resolve;
      openFailed = reject;
    });
    host.on('message', (message: FromHost) => {
      if (message.type === 'ready') ready();
      else if (message.type === 'rpc') {
        // The worker's relay calls go out over HTTP; a dead server is an error the host retries.
        const t = { ...transport(), enrol } as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
        const method = t[message.method];
        if (!method) throw new Error(`unknown rpc ${message.method}`);
        method(...message.args).then(
          (result) => host.postMessage({ type: 'rpc-result', id: message.id, result } satisfies ToHost),
          (error: unknown) => host.postMessage({ type: 'rpc-result', id: message.id, error: error instanceof Error ? error.message : String(error) } satisfies ToHost),
        );
      } else if (message.type === 'advanced') {
        waiters.get(message.requestId)?.resolve(message.progress);
        waiters.delete(message.requestId);
      } else if (message.type === 'failed') {
        if (message.requestId === null) openFailed(new Error(message.message));
        else waiters.get(message.requestId)?.reject(new Error(message.message));
        waiters.delete(message.requestId ?? -1);
      }
    });
    await opened;

    let requestId = 0;
    const advanceMeters = (untilDate: string) =>
      new Promise<HostProgress>((resolve, reject) => {
        requestId++;
        waiters.set(requestId, { resolve, reject });
        host.postMessage({ type: 'advance', requestId, untilDate } satisfies ToHost);
      });
    /** Retries `step` until it succeeds (each failure is a kill the host must survive). */
    const retrying = async (what: string, step: () => Promise<unknown>) => {
      for (let attempt = 1; ; attempt++) {
        try {
          await step();
          return;
        } catch (error) {
          log.push(`${what} failed (attempt ${attempt}): ${error instanceof Error ? error.message.slice(0, 120) : error}`);
          if (attempt > 200) throw error;
          await sleep(250);
        }
      }
    };
    const setClock = async (to: string) => {
      const response = await fetch(`${origin()}/api/worlds/${worldId}/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to }) });
      if (!response.ok) throw new Error(`clock: HTTP ${response.status}`);
    };

    // The killer: seeded delays, SIGKILL, restart on the same port and database.
    const random = prng(SEED);
    let kills = 0;
    let driving = true;
    const killer = (async () => {
      while (kills < KILLS) {
        await sleep(150 + Math.floor(random() * 1200));
        await server?.kill('SIGKILL');
        kills++;
        log.push(`kill ${kills}`);
        await start();
      }
    })();

    // The driver: month by month, then settle cycles (wake, post, ack) until the killer is done.
    const months: string[] = [];
    const periods: string[] = [];
    let date = startDate;
    for (let m = 0; m < MONTHS; m++) {
      periods.push(date.slice(0, 7));
      months.push((date = nextMonthStart(date)));
    }
    const driver = (async () => {
      for (const target of months) {
        await retrying(`clock ${target}`, () => setClock(target));
        await retrying(`meters ${target}`, () => advanceMeters(target));
        log.push(`reached ${target}`);
      }
      while (kills < KILLS) {
        await retrying('settle', () => advanceMeters(date));
        await sleep(100);
      }
      driving = false;
    })();
    await Promise.all([killer, driver]);
    expect(driving).toBe(false);
    expect(kills).toBeGreaterThanOrEqual(10);

    // After the last kill: one clean pass (re-arms any collect a kill lost, posts anything pending).
    await retrying('final clock', () => setClock(date));
    await retrying('final settle', () => advanceMeters(date));
    const db = database.db.client;
    // The power-quality events the household model produced: the DNO must end up with each once.
    const seed = `crash-${SEED}`;
    const modelDays = new Map<string, ReturnType<typeof simulateHomeDay>>();
    const model = (index: number, date: string) => {
      const key = `${index}|${date}`;
      const day = modelDays.get(key) ?? simulateHomeDay(createHomeProfile(seed, index), date);
      modelDays.set(key, day);
      return day;
    };
    const dates = datesBetween(startDate, date);
    const expectedEvents = Array.from({ length: HOMES }, (_, index) =>
      dates.flatMap((d) => model(index, d).voltageEvents.map((e) => `${meterIdOf(worldId, index)}|${e.kind}|${e.startUtc}|${Math.round(e.durationSeconds)}`)),
    ).flat();
    const deadline = Date.now() + 120_000;
    let state = { bills: 0, queuedUplinks: -1, dead: -1 };
    while (Date.now() < deadline) {
      state = {
        bills: await db.supplierBill.count({ where: { worldId } }),
        queuedUplinks: await db.dccMessage.count({ where: { worldId, direction: 'uplink', state: 'queued' } }),
        dead: await db.dccMessage.count({ where: { worldId, state: 'dead' } }),
      };
      // The DNO's feeder shares go out with its collects like everything else: a feeder of five or
      // more meters must have some half hour recovered before the run is over (how many depends on
      // when the kills let its roster out; the last month's shares leave at the meters' next wake).
      const feederReported = HOMES < 5 || (await db.dnoFeederLoad.count({ where: { worldId, totalWh: { not: null } } })) > 0;
      const complete = state.bills === HOMES * MONTHS && (await db.dnoPowerQualityEvent.count({ where: { worldId } })) >= expectedEvents.length && feederReported;
      if (complete && state.queuedUplinks === 0) break;
      // A statement or event still in a meter's outbox goes out at its next wake. Once every bill
      // and event is in, the meters are left alone — each wake answers the re-armed collects with
      // fresh uplinks — and the relay must deliver everything it accepted (a delivery a kill
      // interrupted is retried once its lease runs out).
      if (!complete) {
        await retrying('drain settle', async () => {
          const p = await advanceMeters(date);
          if (process.env.HYDRA_FAULT_DEBUG) console.log(`[debug] drain settle ${JSON.stringify(state)} uplinks=${p.uplinks}`);
        });
      } else if (process.env.HYDRA_FAULT_DEBUG) {
        console.log(`[debug] waiting for the relay ${JSON.stringify(state)}`);
      }
      await sleep(500);
    }
    if (process.env.HYDRA_FAULT_DEBUG) {
      const { openKey } = await import('@hydra/suppliers');
      const kek = Buffer.from(secrets.env.HYDRA_SUPPLIER_KEK ?? '', 'hex');
      for (const row of await db.supplierSession.findMany({ orderBy: { meterId: 'asc' } })) {
        const s = JSON.parse(Buffer.from(openKey(kek, `supplier-session|${row.meterId}`, Uint8Array.from(row.sealedState))).toString('utf8'));
        const bills = (await db.supplierBill.findMany({ where: { meterId: row.meterId }, select: { period: true } })).map((b) => b.period).join('+');
        const msgs = await db.dccMessage.groupBy({ by: ['direction', 'messageClass', 'state'], where: { meterId: row.meterId }, _count: { _all: true } });
        console.log(`[debug] ${row.meterId} bills=${bills} phase=${s.phase} inFlight=${s.inFlight?.step}/${s.inFlight?.command?.messageClass}/${s.inFlight?.messageId?.slice(0, 8)} queue=${s.queue.map((q: { messageClass: string }) => q.messageClass).join(',')} reopens=${s.reopens}`);
        console.log(`[debug]   ${msgs.map((m) => `${m.direction}:${m.messageClass}:${m.state}=${m._count._all}`).join(' ')}`);
        const last = await db.dccMessage.findMany({ where: { meterId: row.meterId }, orderBy: { receivedAt: 'desc' }, take: 4, select: { id: true, direction: true, messageClass: true, state: true, lastError: true, attempts: true } });
        for (const m of last) console.log(`[debug]     ${m.id.slice(0, 8)} ${m.direction} ${m.messageClass} ${m.state} attempts=${m.attempts} ${m.lastError?.slice(0, 160) ?? ''}`);
      }
      console.log(log.join('\n'));
      const woke = await transport().wake(worldId, ['crash-m0006', 'crash-m0007']);
      console.log(`[debug] wake now: ${woke.length} ${woke.map((w) => w.meterId).join(',')}`);
      const refusals = await db.dccRefusal.findMany({ take: 20 });
      for (const r of refusals) console.log(`[debug] refusal ${JSON.stringify(r).slice(0, 300)}`);
      const outcomes = await db.supplierReceipt.groupBy({ by: ['outcome'], _count: { _all: true } });
      console.log(`[debug] receipts ${JSON.stringify(outcomes)}`);
    }
    const report = `${kills} kills; ${log.filter((l) => l.includes('failed')).length} failed steps retried; final ${JSON.stringify(state)}`;
    console.log(`[fault] ${report}`);

    const perMeterMonth = await db.supplierBill.groupBy({ by: ['meterId', 'period'], where: { worldId }, _count: { _all: true }, orderBy: [{ meterId: 'asc' }, { period: 'asc' }] });
    expect(perMeterMonth.filter((group) => group._count._all !== 1), report).toEqual([]);
    expect(perMeterMonth, report).toHaveLength(HOMES * MONTHS);
    expect(new Set(perMeterMonth.map((group) => group.period))).toEqual(new Set(periods));
    expect(state.queuedUplinks, report).toBe(0);
    expect(state.dead, report).toBe(0);
    // Every uplink the relay accepted was delivered exactly once as far as its party can tell (the
    // meters' DNO domains are announced to the DNO too, which opens its own sessions with them).
    const delivered = (partyId: string) => db.dccMessage.count({ where: { worldId, partyId, direction: 'uplink', state: 'delivered' } });
    expect(await db.supplierReceipt.count()).toBe(await delivered('supplier'));
    expect(await db.dnoReceipt.count()).toBe(await delivered('dno'));
    expect(await db.telecareReceipt.count()).toBe(await delivered('telecare'));
    expect(await db.dccMessage.count({ where: { worldId, direction: 'uplink', state: 'delivered' } })).toBe((await delivered('supplier')) + (await delivered('dno')) + (await delivered('telecare')));

    // What the DNO and the telecare provider hold, each row once, checked against the household model.
    const events = await db.dnoPowerQualityEvent.findMany({ where: { worldId } });
    expect(events.map((e) => `${e.meterId}|${e.type}|${e.start.getTime()}|${e.durationSeconds}`).sort(), report).toEqual(expectedEvents.sort());
    const homes = await db.home.findMany({ where: { worldId } });
    const loads = await db.dnoFeederLoad.findMany({ where: { worldId, totalWh: { not: null } } });
    for (const load of loads) {
      const truth = homes.filter((home) => home.feederId === load.feederId).reduce((sum, home) => sum + (model(home.index, load.date).importWh[load.period] ?? Number.NaN), 0);
      expect(load.totalWh, `${load.feederId} ${load.date} period ${load.period}`).toBe(truth);
    }
    if (homes.length >= 5) expect(loads.length, report).toBeGreaterThan(0);
    const consenting = TELECARE_HOMES.map((index) => meterIdOf(worldId, index)).sort();
    expect((await db.telecareHome.findMany({ where: { worldId, withdrawnAt: null }, orderBy: { meterId: 'asc' } })).map((home) => home.meterId)).toEqual(consenting);
    const routed = await db.dccMessage.groupBy({ by: ['meterId'], where: { worldId, partyId: 'telecare', direction: 'uplink' }, orderBy: { meterId: 'asc' } });
    expect(routed.map((row) => row.meterId)).toEqual(consenting);
    const alerts = await db.telecareAlert.findMany({ where: { worldId } });
    expect(alerts.every((alert) => consenting.includes(alert.meterId))).toBe(true);
    console.log(`[fault] dno: ${events.length} power-quality events, ${loads.length} feeder half hours recovered; telecare: ${consenting.length} homes, ${alerts.length} alerts`);
  });
});
