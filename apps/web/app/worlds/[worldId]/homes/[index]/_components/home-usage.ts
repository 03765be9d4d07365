// Usage series for one home, computed in the browser from the household model — the home's own
// readings never come from a server. Day: half hours; week: hours; month: days; year: months.
import { addDays, londonDay, type LocalDate } from '@hydra/meter-sim/calendar';
import { simulateHomeDay, type HomeProfile, type OccupancyInterval } from '@hydra/meter-sim/home';

/** A zoom level of the usage charts. */
export type Span = 'day' | 'week' | 'month' | 'year';

/** One row of the usage charts, in kWh. */
export interface UsageRow {
  label: string;
  importKwh: number;
  exportKwh: number;
  pvKwh: number;
  evKwh: number;
  heatPumpKwh: number;
}

/** Totals over the span, in kWh. */
export interface UsageTotals {
  importKwh: number;
  exportKwh: number;
  pvKwh: number;
  evKwh: number;
}

const kwh = (wh: number) => Math.round(wh) / 1000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function sum(values: ArrayLike<number>, from = 0, to = values.length): number {
  let total = 0;
  for (let i = from; i < to; i++) total += values[i] ?? 0;
  return total;
}

/** First date of the span containing `date`. */
export function spanStart(span: Span, date: LocalDate): LocalDate {
  if (span === 'day') return date;
  if (span === 'week') {
    const weekday = londonDay(date).weekday; // 0 = Sunday
    return addDays(date, -((weekday + 6) % 7));
  }
  if (span === 'month') return `${date.slice(0, 7)}-01`;
  return `${date.slice(0, 4)}-01-01`;
}

/** The span after (+1) or before (−1) the one starting at `start`. */
export function shiftSpan(span: Span, start: LocalDate, direction: 1 | -1): LocalDate {
  if (span === 'day') return addDays(start, direction);
  if (span === 'week') return addDays(start, 7 * direction);
  const [y, m] = start.split('-').map(Number) as [number, number];
  if (span === 'month') return new Date(Date.UTC(y, m - 1 + direction, 1)).toISOString().slice(0, 10);
  return `${y + direction}-01-01`;
}

function spanEnd(span: Span, start: LocalDate): LocalDate {
  return shiftSpan(span, start, 1);
}

/** Computes the usage rows of a span. */
export function usageFor(profile: HomeProfile, span: Span, start: LocalDate): { rows: UsageRow[]; totals: UsageTotals; occupancy: OccupancyInterval[] | null } {
  const rows: UsageRow[] = [];
  const totals: UsageTotals = { importKwh: 0, exportKwh: 0, pvKwh: 0, evKwh: 0 };
  let occupancy: OccupancyInterval[] | null = null;
  const end = spanEnd(span, start);
  const monthly = new Map<string, UsageRow>();
  for (let date = start; date < end; date = addDays(date, 1)) {
    const day = simulateHomeDay(profile, date);
    totals.importKwh += kwh(sum(day.importWh));
    totals.exportKwh += kwh(sum(day.exportWh));
    totals.pvKwh += kwh(sum(day.pvWh));
    totals.evKwh += kwh(sum(day.evWh));
    if (span === 'day') {
      occupancy = day.occupancy;
      for (let i = 0; i < day.halfHours; i++) {
        const minutes = i * 30;
        rows.push({
          label: `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`,
          importKwh: kwh(day.importWh[i] ?? 0),
          exportKwh: kwh(day.exportWh[i] ?? 0),
          pvKwh: kwh(day.pvWh[i] ?? 0),
          evKwh: kwh(day.evWh[i] ?? 0),
          heatPumpKwh: kwh(day.heatPumpWh[i] ?? 0),
        });
      }
    } else if (span === 'week') {
      const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][londonDay(date).weekday];
      for (let h = 0; h * 2 < day.halfHours; h++) {
        const from = h * 2;
        const to = Math.min(day.halfHours, from + 2);
        rows.push({
          label: `${weekday} ${String(h).padStart(2, '0')}h`,
          importKwh: kwh(sum(day.importWh, from, to)),
          exportKwh: kwh(sum(day.exportWh, from, to)),
          pvKwh: kwh(sum(day.pvWh, from, to)),
          evKwh: kwh(sum(day.evWh, from, to)),
          heatPumpKwh: kwh(sum(day.heatPumpWh, from, to)),
        });
      }
    } else {
      const row = {
        label: span === 'month' ? String(Number(date.slice(8, 10))) : (MONTHS[Number(date.slice(5, 7)) - 1] ?? date.slice(5, 7)),
        importKwh: kwh(sum(day.importWh)),
        exportKwh: kwh(sum(day.exportWh)),
        pvKwh: kwh(sum(day.pvWh)),
        evKwh: kwh(sum(day.evWh)),
        heatPumpKwh: kwh(sum(day.heatPumpWh)),
      };
      if (span === 'month') rows.push(row);
      else {
        const key = row.label;
        const existing = monthly.get(key);
        if (!existing) monthly.set(key, row);
        else {
          existing.importKwh += row.importKwh;
          existing.exportKwh += row.exportKwh;
          existing.pvKwh += row.pvKwh;
          existing.evKwh += row.evKwh;
          existing.heatPumpKwh += row.heatPumpKwh;
        }
      }
    }
  }
  if (span === 'year') {
    for (const row of monthly.values()) {
      rows.push({
        ...row,
        importKwh: Math.round(row.importKwh * 10) / 10,
        exportKwh: Math.round(row.exportKwh * 10) / 10,
        pvKwh: Math.round(row.pvKwh * 10) / 10,
        evKwh: Math.round(row.evKwh * 10) / 10,
        heatPumpKwh: Math.round(row.heatPumpKwh * 10) / 10,
      });
    }
  }
  return { rows, totals, occupancy };
}
