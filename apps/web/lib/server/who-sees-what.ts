/**
 * Who sees what: for a world, what is actually in each party's store — counted from each party's
 * own tables — and what a party could infer about the people in a home from what it holds,
 * scored against the simulation's ground truth.
 */
import { queryConventionalReads } from '@hydra/dcc';
import { addDays } from '@hydra/meter-sim/calendar';
import { createHomeProfile, simulateHomeDay } from '@hydra/meter-sim/home';
import { scoreOccupancyInference, type InferenceScore } from '@hydra/meter-sim/inference';
import { services } from './services';
import { readWorld } from './worlds';

/** One cell: what the party holds of one kind of data. */
export interface Holding {
  count: number;
  what: string;
}

/** The matrix of one world. */
export interface WhoSeesWhat {
  worldId: string;
  name: string;
  mode: string;
  clockDate: string;
  rows: { item: string; dcc: Holding | null; supplier: Holding | null; dno: Holding | null; telecare: Holding | null }[];
  /** Occupancy inference by any party holding the half-hourly reads, or null when no party holds them. */
  inference: (InferenceScore & { homes: number; days: number }) | null;
}

const none = null;

/** Builds the matrix for one world. */
export async function whoSeesWhat(worldId: string): Promise<WhoSeesWhat | null> {
  const world = await readWorld(worldId);
  if (!world) return null;
  const { db } = await services();
  const c = db.client;
  const [metadata, conventionalReads, bills, accounts, tariffs, events, feederDays, shares, acks, alerts, enrolled, enrolments, sharedDaily, sharedHalfHourly] = await Promise.all([
    c.dccMessage.count({ where: { worldId } }),
    c.conventionalRead.count({ where: { worldId } }),
    c.supplierBill.count({ where: { worldId } }),
    c.supplierAccount.count({ where: { worldId } }),
    c.supplierTariff.count({ where: { worldId } }),
    c.dnoPowerQualityEvent.count({ where: { worldId } }),
    c.dnoFeederLoad.groupBy({ by: ['feederId', 'date'], where: { worldId, totalWh: { not: null } }, orderBy: { date: 'asc' } }),
    c.dnoFeederShare.count({ where: { worldId } }),
    c.dnoCampaignTarget.count({ where: { campaign: { worldId }, state: { not: 'queued' } } }),
    c.telecareAlert.count({ where: { worldId } }),
    c.telecareHome.count({ where: { worldId, withdrawnAt: null } }),
    c.dccEnrolment.count({ where: { worldId, state: 'admitted' } }),
    // Reads householders chose to share (DESIGN.md Decision 11): the supplier's own table.
    c.supplierConsentedRead.count({ where: { worldId, resolution: 'daily' } }),
    c.supplierConsentedRead.count({ where: { worldId, resolution: 'half-hourly' } }),
  ]);
  const central: Holding | null = conventionalReads > 0 ? { count: conventionalReads * 48, what: `${conventionalReads.toLocaleString('en-GB')} meter-days in the central store` } : none;
  // In conventional mode every party may query the central store.
  const queryable = (party: string): Holding | null => (central ? { count: central.count, what: `queryable from the DCC store (${party})` } : none);
  const shared = (days: number, what: string): Holding | null => (days > 0 ? { count: days, what: `${days.toLocaleString('en-GB')} meter-days ${what}, shared by householders' choice` } : none);
  const rows: WhoSeesWhat['rows'] = [
    { item: 'Half-hourly reads', dcc: central, supplier: queryable('supplier') ?? shared(sharedHalfHourly, 'of half-hourly reads'), dno: queryable('DNO'), telecare: queryable('telecare') },
    { item: 'Daily totals', dcc: none, supplier: shared(sharedDaily, 'of daily totals'), dno: none, telecare: none },
    { item: 'Monthly bill amount and register totals', dcc: none, supplier: bills ? { count: bills, what: `${bills} statements (period, amount, import/export totals)` } : none, dno: none, telecare: none },
    { item: 'Accounts and tariffs', dcc: none, supplier: accounts ? { count: accounts, what: `${accounts} accounts, ${tariffs} tariff(s)` } : none, dno: none, telecare: none },
    { item: 'Routing metadata (meter, party, applet, class, size, time)', dcc: metadata ? { count: metadata, what: `${metadata.toLocaleString('en-GB')} messages` } : none, supplier: none, dno: none, telecare: none },
    { item: 'Power-quality events', dcc: none, supplier: none, dno: events ? { count: events, what: `${events} events (type, start, duration, extreme voltage)` } : none, telecare: none },
    {
      item: 'Feeder aggregates',
      dcc: none,
      supplier: none,
      dno: shares ? { count: feederDays.length, what: `${feederDays.length} feeder-day(s) of recovered load, from ${shares} masked share message(s) — no home's own reading` } : none,
      telecare: none,
    },
    { item: 'Load-control acknowledgements', dcc: none, supplier: none, dno: acks ? { count: acks, what: `${acks} acknowledgement(s): command id, applied start and end` } : none, telecare: none },
    { item: 'Wellbeing alerts', dcc: none, supplier: none, dno: none, telecare: alerts ? { count: alerts, what: `${alerts} alert(s) (type, time window) from ${enrolled} consenting home(s)` } : none },
    { item: 'Which homes admitted telecare', dcc: enrolments ? { count: enrolments, what: `${enrolments} enrolment(s): the residual metadata leak` } : none, supplier: none, dno: none, telecare: enrolled ? { count: enrolled, what: `${enrolled} enrolled home(s)` } : none },
  ];
  let inference: WhoSeesWhat['inference'] = null;
  if (conventionalReads > 0) {
    // Score the last fortnight the store holds for up to 8 homes.
    const to = world.clockDate;
    const from = addDays(to, -14);
    const homes = world.homes.slice(0, 8);
    const days = [];
    for (const home of homes) {
      const profile = createHomeProfile(world.seed, home.index);
      for (const read of await queryConventionalReads(c, { worldId, meterId: home.meterId, from, to })) {
        days.push({ importWh: read.importWh, occupancy: simulateHomeDay(profile, read.date).occupancy });
      }
    }
    if (days.length > 0) inference = { ...scoreOccupancyInference(days), homes: homes.length, days: days.length };
  }
  return { worldId, name: world.name, mode: world.mode, clockDate: world.clockDate, rows, inference };
}
