/**
 * Runs a meter host forward to the world clock: advance the meters day by day to each wake point
 * (the first of every month, and the target itself), then let the comms hub answer the parties'
 * commands. Reports progress so a dashboard or a terminal can show it.
 */
import type { CommsHub, HubCycleReport, HubMeter } from './comms-hub';

/** What the runner needs of a fleet of meters. */
export interface HostFleet {
  meters(): HubMeter[];
  nextDate(): string;
  advanceTo(untilDate: string): number;
  persist(meterIds?: readonly string[]): Promise<void>;
}

/** Progress of a run. */
export interface HostProgress {
  /** The date the meters have reached (exclusive). */
  reached: string;
  target: string;
  homeDays: number;
  /** 0..1 */
  fraction: number;
  uplinks: number;
  uplinkBytes: number;
}

/** Options for {@link advanceHost}. */
export interface AdvanceHostOptions {
  fleet: HostFleet;
  hub: CommsHub;
  /** Exclusive end date to advance the meters to. */
  untilDate: string;
  onProgress?: (progress: HostProgress) => void;
  /** Wake every day instead of every month boundary (more messages, finer timing). */
  wakeDaily?: boolean;
}

/** Advances a fleet to `untilDate`, waking the hub at each wake point. */
export async function advanceHost(options: AdvanceHostOptions): Promise<HostProgress> {
  const { fleet, hub, untilDate } = options;
  const from = fleet.nextDate();
  const totalDays = Math.max(0, daysBetween(from, untilDate));
  const progress: HostProgress = { reached: from, target: untilDate, homeDays: 0, fraction: totalDays === 0 ? 1 : 0, uplinks: 0, uplinkBytes: 0 };
  const add = (report: HubCycleReport) => {
    progress.uplinks += report.uplinks;
    progress.uplinkBytes += report.uplinkBytes;
  };
  // Take any commands already waiting (e.g. a tariff) before metering resumes.
  add(await hub.cycle(fleet.meters()));
  let current = from;
  while (current < untilDate) {
    const next = options.wakeDaily ? addDay(current) : minDate(nextMonth(current), untilDate);
    const step = next < untilDate ? next : untilDate;
    progress.homeDays += fleet.advanceTo(step);
    await fleet.persist();
    add(await hub.cycle(fleet.meters()));
    current = step;
    progress.reached = current;
    progress.fraction = totalDays === 0 ? 1 : Math.min(1, daysBetween(from, current) / totalDays);
    options.onProgress?.({ ...progress });
  }
  return progress;
}

function parse(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

function daysBetween(from: string, to: string): number {
  return Math.round((parse(to) - parse(from)) / 86_400_000);
}

function addDay(date: string): string {
  return new Date(parse(date) + 86_400_000).toISOString().slice(0, 10);
}

function nextMonth(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

function minDate(a: string, b: string): string {
  return a < b ? a : b;
}
