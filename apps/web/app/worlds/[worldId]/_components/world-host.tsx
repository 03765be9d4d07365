'use client';

// The world page's controls for the meters this tab hosts (useMeterHost): "Run one month" advances
// the server's world clock, then the worker advances the meters to it and the comms hub answers
// the parties' commands; the page's panels refresh as the statements reach the supplier.
import { useRouter } from 'next/navigation';
import { useCallback, useEffect } from 'react';
import { Button } from '@/components/button';
import { Progress } from '@/components/progress';
import { useMeterHost, type MeterHostWorld } from './use-meter-host';

export type WorldHostProps = MeterHostWorld;

export function WorldHost(props: WorldHostProps) {
  const router = useRouter();
  const onAdvanced = useCallback(() => {
    router.refresh();
    // The relay accepts an uplink once it is stored and delivers it straight after: refresh
    // again shortly so statements still in flight to the supplier appear without a reload.
    for (const delay of [1500, 4000, 8000]) setTimeout(() => router.refresh(), delay);
  }, [router]);
  const { status, lastRun, runMonth } = useMeterHost(props, onAdvanced);

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
        <Button variant="primary" onClick={() => void runMonth()} disabled={busy || status.kind === 'observer'}>
          Run one month
        </Button>
        <span className="text-sm text-muted-foreground">
          {status.kind === 'starting' && 'Starting the meter host (SES lockdown, applets, keys)…'}
          {status.kind === 'observer' && 'Another tab hosts this world; this tab observes and refreshes.'}
          {status.kind === 'ready' && `Meters have run to ${status.nextDate}. This tab hosts ${props.homeCount} meters in one worker.`}
          {status.kind === 'error' && <span className="text-danger">Error: {status.message}</span>}
        </span>
      </div>
      {status.kind === 'running' && <Progress label={status.label} value={Math.round(status.fraction * 100)} valueText={status.detail} />}
      {lastRun && status.kind === 'ready' && <p className="text-sm text-muted-foreground">{lastRun}</p>}
    </div>
  );
}
