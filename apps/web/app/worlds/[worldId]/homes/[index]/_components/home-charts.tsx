'use client';

// The householder's view of their own home: consumption, PV and EV over a day, week, month or
// year, simulated in this browser from the world's seed (nothing about the home's readings comes
// from a server), plus the ground-truth occupancy of the day that the privacy views compare with.
import { createHomeProfile } from '@hydra/meter-sim/home';
import { useMemo, useState } from 'react';
import { Button } from '@/components/button';
import { Card } from '@/components/card';
import { Chart } from '@/components/chart';
import { Stat } from '@/components/stat';
import { shiftSpan, spanStart, usageFor, type Span, type UsageRow } from './home-usage';

export interface HomeChartsProps {
  seed: string;
  index: number;
  /** The date to open on (the last complete day of the world). */
  initialDate: string;
}

const SPANS: { span: Span; label: string }[] = [
  { span: 'day', label: 'Day' },
  { span: 'week', label: 'Week' },
  { span: 'month', label: 'Month' },
  { span: 'year', label: 'Year' },
];

const OCCUPANCY_COLOURS = { home: 'var(--chart-5)', away: 'var(--muted)', asleep: 'var(--chart-1)' } as const;

function describeSpan(span: Span, start: string): string {
  const date = new Date(`${start}T12:00:00Z`);
  if (span === 'day') return date.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  if (span === 'week') return `Week from ${date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })}`;
  if (span === 'month') return date.toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  return start.slice(0, 4);
}

export function HomeCharts({ seed, index, initialDate }: HomeChartsProps) {
  const profile = useMemo(() => createHomeProfile(seed, index), [seed, index]);
  const [span, setSpan] = useState<Span>('day');
  const [start, setStart] = useState(() => spanStart('day', initialDate));
  const usage = useMemo(() => usageFor(profile, span, start), [profile, span, start]);
  const hasPv = profile.pvKwp > 0;
  const hasEv = profile.ev !== null;
  const series = [
    { key: 'importKwh' as const, label: 'Import', colorVar: '--chart-2' as const },
    ...(hasPv ? [{ key: 'pvKwh' as const, label: 'Solar generation', colorVar: '--chart-5' as const }, { key: 'exportKwh' as const, label: 'Export', colorVar: '--chart-4' as const }] : []),
    ...(hasEv ? [{ key: 'evKwh' as const, label: 'EV charging', colorVar: '--chart-3' as const }] : []),
    ...(profile.heating === 'heat-pump' ? [{ key: 'heatPumpKwh' as const, label: 'Heat pump', colorVar: '--chart-1' as const }] : []),
  ];

  const choose = (next: Span) => {
    setSpan(next);
    setStart(spanStart(next, start));
  };

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div role="group" aria-label="Time span" className="inline-flex rounded-lg border border-border p-0.5">
          {SPANS.map((option) => (
            <button
              key={option.span}
              type="button"
              aria-pressed={span === option.span}
              onClick={() => choose(option.span)}
              className={`rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent ${span === option.span ? 'bg-accent text-accent-foreground' : 'text-muted-foreground hover:bg-muted'}`}
            >
              {option.label}
            </button>
          ))}
        </div>
        <div className="flex items-center gap-2">
          <Button variant="secondary" size="sm" onClick={() => setStart(shiftSpan(span, start, -1))} aria-label={`Previous ${span}`}>
            ← Previous
          </Button>
          <span className="min-w-48 text-center text-sm font-medium" aria-live="polite">
            {describeSpan(span, start)}
          </span>
          <Button variant="secondary" size="sm" onClick={() => setStart(shiftSpan(span, start, 1))} aria-label={`Next ${span}`}>
            Next →
          </Button>
        </div>
      </div>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Card>
          <Stat label="Imported" value={usage.totals.importKwh.toFixed(1)} unit="kWh" />
        </Card>
        <Card>
          <Stat label="Solar generated" value={hasPv ? usage.totals.pvKwh.toFixed(1) : '—'} unit={hasPv ? 'kWh' : undefined} hint={hasPv ? `${profile.pvKwp} kWp roof` : 'no panels'} />
        </Card>
        <Card>
          <Stat label="Exported" value={hasPv ? usage.totals.exportKwh.toFixed(1) : '—'} unit={hasPv ? 'kWh' : undefined} />
        </Card>
        <Card>
          <Stat label="EV charging" value={hasEv ? usage.totals.evKwh.toFixed(1) : '—'} unit={hasEv ? 'kWh' : undefined} hint={hasEv ? '7 kW home charger' : 'no EV'} />
        </Card>
      </div>
      <Card title="Energy" description={span === 'day' ? 'kWh per half hour' : span === 'week' ? 'kWh per hour' : span === 'month' ? 'kWh per day' : 'kWh per month'}>
        <Chart<UsageRow>
          kind={span === 'day' || span === 'week' ? 'area' : 'bar'}
          data={usage.rows}
          xKey="label"
          xLabel={span === 'day' ? 'Time' : span === 'year' ? 'Month' : 'Period'}
          series={series}
          label={`Energy use of this home, ${describeSpan(span, start)}`}
          unit="kWh"
          decimals={span === 'year' ? 0 : 2}
          height={300}
        />
      </Card>
      {usage.occupancy && (
        <Card title="Who was home (ground truth)" description="The simulation's truth for this day — what a party holding half-hourly reads could try to infer. In Hydra mode no party receives these reads.">
          <div className="flex h-6 w-full overflow-hidden rounded-md border border-border" role="img" aria-label={usage.occupancy.map((o) => `${o.state} from minute ${o.fromMinute} to ${o.toMinute}`).join('; ')}>
            {usage.occupancy.map((o) => (
              <div key={o.fromMinute} title={`${o.state}`} style={{ flexGrow: o.toMinute - o.fromMinute, background: OCCUPANCY_COLOURS[o.state] }} />
            ))}
          </div>
          <div className="mt-2 flex gap-4 text-xs text-muted-foreground">
            {(['asleep', 'home', 'away'] as const).map((state) => (
              <span key={state} className="inline-flex items-center gap-1.5">
                <span className="size-2.5 rounded-sm" style={{ background: OCCUPANCY_COLOURS[state] }} />
                {state}
              </span>
            ))}
            <span className="ml-auto">00:00 → 24:00</span>
          </div>
        </Card>
      )}
    </div>
  );
}
