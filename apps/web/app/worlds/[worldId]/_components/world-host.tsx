'use client';

// The controls for the meters this tab hosts (useMeterHost): "Run one month" (or a day, on pages
// that offer it) advances the server's world clock, then the worker advances the meters to it and
// the comms hub answers the parties' commands; the page refreshes as the answers reach the parties.
// The world page and the meter inspector both host through this component.
import { useRouter } from 'next/navigation';
import { useCallback, useEffect } from 'react';
import { Button } from '@/components/button';
import { Progress } from '@/components/progress';
import { useMeterHost, type ClockStep, type MeterHostWorld } from './use-meter-host';

export type { ClockStep } from './use-meter-host';

export interface WorldHostProps extends MeterHostWorld {
  /** Clock steps offered as buttons, in order (default: a month). */
  steps?: readonly ClockStep[];
}

export function WorldHost({ steps = ['month'], ...world }: WorldHostProps) {
  const router = useRouter();
  const onAdvanced = useCallback(() => {
    router.refresh();
    // The relay accepts an uplink once it is stored and delivers it straight after: refresh
    // again shortly so statements still in flight to the supplier appear without a reload.
    for (const delay of [1500, 4000, 8000]) setTimeout(() => router.refresh(), delay);
  }, [router]);
  const { status, lastRun, run } = useMeterHost(world, onAdvanced);

  // While another tab hosts the world, this one refreshes its panels every few seconds.
  useEffect(() => {
    if (status.kind !== 'observer') return;
    const timer = setInterval(() => router.refresh(), 4000);
    return () => clearInterval(timer);
  }, [status.kind, router]);

  const busy = status.kind === 'starting' || status.kind === 'running';
  return (
    <div className="flex flex-col gap-3" aria-live="polite">
      <div className="flex flex-wrap items-center gap-3">
        {steps.map((step, i) => (
          <Button key={step} variant={i === steps.length - 1 ? 'primary' : 'secondary'} onClick={() => void run(step)} disabled={busy || status.kind === 'observer'}>
            Run one {step}
          </Button>
        ))}
        <span className="text-sm text-muted-foreground">
          {status.kind === 'starting' && 'Starting the meter host (SES lockdown, applets, keys)…'}
          {status.kind === 'observer' && 'Another tab hosts this world; this tab observes, refreshes, and takes over when that tab lets go.'}
          {status.kind === 'ready' && `Meters have run to ${status.nextDate}. This tab hosts ${world.homeCount} meters in one worker.`}
          {status.kind === 'error' && <span className="text-danger">Error: {status.message}</span>}
        </span>
      </div>
      {status.kind === 'running' && <Progress label={status.label} value={Math.round(status.fraction * 100)} valueText={status.detail} />}
      {lastRun && status.kind === 'ready' && <p className="text-sm text-muted-foreground">{lastRun}</p>}
    </div>
  );
}
