'use client';

// Hosts the world's meters in this tab: one Web Worker runs every meter core (DESIGN.md
// Decision 1). A Web Lock on the world id makes this tab the host; another tab joins as an
// observer and takes over when the host lets go. The world clock lives on the server: "Run one month" (or a day, on pages that offer it)
// advances it, then the worker advances the meters to it and the comms hub answers the parties'
// commands. The world page and the meter inspector both host through this component.
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Button } from '@/components/button';
import { Progress } from '@/components/progress';
import type { FromMeterHost, ToMeterHost } from '@/worker/protocol';

export interface WorldHostProps {
  worldId: string;
  seed: string;
  startDate: string;
  homeCount: number;
  epoch: string;
  clockDate: string;
  hostDate: string;
  mode: 'hydra' | 'conventional';
  /** Clock steps offered as buttons, in order (default: a month). */
  steps?: readonly ClockStep[];
  sharingPreset: 'hydra' | 'gb-licence';
}

/** A step of the world clock a host page can offer. */
export type ClockStep = 'day' | 'week' | 'month';

type Status =
  | { kind: 'starting' }
  | { kind: 'observer' }
  | { kind: 'ready'; nextDate: string }
  | { kind: 'running'; label: string; fraction: number; detail: string }
  | { kind: 'error'; message: string };

export function WorldHost({ worldId, seed, startDate, homeCount, epoch, clockDate, hostDate, mode, sharingPreset, steps = ['month'] }: WorldHostProps) {
  const router = useRouter();
  const worker = useRef<Worker | null>(null);
  const [status, setStatus] = useState<Status>({ kind: 'starting' });
  const [lastRun, setLastRun] = useState<string | null>(null);
  const catchUp = useRef<string | null>(hostDate < clockDate ? clockDate : null);
  // The latest world clock the server rendered (an observer that takes over may be behind it).
  const clock = useRef(clockDate);
  clock.current = clockDate;

  const advance = useCallback((untilDate: string) => {
    setStatus({ kind: 'running', label: `Advancing meters to ${untilDate}`, fraction: 0, detail: 'waking meters…' });
    worker.current?.postMessage({ type: 'advance', untilDate } satisfies ToMeterHost);
  }, []);

  useEffect(() => {
    let release: (() => void) | null = null;
    let cancelled = false;
    const waiting = new AbortController();
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    const host = () => {
      const w = new Worker(new URL('../../../../worker/meter-host.worker.ts', import.meta.url), { type: 'module', name: `meters-${worldId}` });
      worker.current = w;
      w.onmessage = (event: MessageEvent<FromMeterHost>) => {
        const message = event.data;
        if (message.type === 'opened') {
          setStatus({ kind: 'ready', nextDate: message.nextDate });
          // Catch up to the world clock: after an interrupted run, or in a browser whose meters
          // were just manufactured (a new profile keeps no IndexedDB state from another).
          const target = catchUp.current ?? (message.nextDate < clock.current ? clock.current : null);
          catchUp.current = null;
          if (target) advance(target);
        } else if (message.type === 'progress') {
          setStatus({
            kind: 'running',
            label: `Advancing meters to ${message.target}`,
            fraction: message.fraction,
            detail: `reached ${message.reached} · ${message.homeDays} home-days · ${message.uplinks} responses sent`,
          });
        } else if (message.type === 'advanced') {
          setStatus({ kind: 'ready', nextDate: message.reached });
          setLastRun(`${message.homeDays} home-days simulated, ${message.uplinks} sealed responses (${message.uplinkBytes} bytes) sent through the relay.`);
          router.refresh();
          // The relay accepts an uplink once it is stored and delivers it straight after: refresh
          // again shortly so statements still in flight to the supplier appear without a reload.
          for (const delay of [1500, 4000, 8000]) setTimeout(() => router.refresh(), delay);
        } else {
          setStatus({ kind: 'error', message: message.message });
        }
      };
      w.onerror = (event) => setStatus({ kind: 'error', message: event.message || 'the meter worker failed to start' });
      w.postMessage({ type: 'open', worldId, seed, startDate, homeCount, epoch, mode, sharingPreset } satisfies ToMeterHost);
    };
    if (!locks) {
      host();
    } else {
      const hold = async () => {
        if (cancelled) return;
        setStatus({ kind: 'starting' });
        host();
        // Hold the lock while this page hosts the world.
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      };
      const name = `hydra-world-${worldId}`;
      void locks.request(name, { ifAvailable: true }, async (lock) => {
        if (cancelled) return;
        if (lock) return hold();
        setStatus({ kind: 'observer' });
        // Take over when the host goes: its tab closes, or it navigates (say from the world page
        // to a meter inspector, which hosts too) and releases the lock a moment after this asked.
        locks.request(name, { signal: waiting.signal }, hold).catch(() => undefined);
      });
    }
    return () => {
      cancelled = true;
      waiting.abort();
      worker.current?.terminate();
      worker.current = null;
      release?.();
    };
  }, [worldId, seed, startDate, homeCount, epoch, mode, sharingPreset, router, advance]);

  useEffect(() => {
    if (status.kind !== 'observer') return;
    const timer = setInterval(() => router.refresh(), 4000);
    return () => clearInterval(timer);
  }, [status.kind, router]);

  const run = async (step: ClockStep) => {
    setStatus({ kind: 'running', label: 'Advancing the world clock', fraction: 0, detail: 'asking the server…' });
    const response = await fetch(`/api/worlds/${worldId}/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance: step }) });
    const body = (await response.json().catch(() => ({}))) as { clockDate?: string; error?: { message: string } };
    if (!response.ok || !body.clockDate) {
      setStatus({ kind: 'error', message: body.error?.message ?? `the clock could not be advanced (HTTP ${response.status})` });
      return;
    }
    advance(body.clockDate);
  };

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
          {status.kind === 'ready' && `Meters have run to ${status.nextDate}. This tab hosts ${homeCount} meters in one worker.`}
          {status.kind === 'error' && <span className="text-danger">Error: {status.message}</span>}
        </span>
      </div>
      {status.kind === 'running' && <Progress label={status.label} value={Math.round(status.fraction * 100)} valueText={status.detail} />}
      {lastRun && status.kind === 'ready' && <p className="text-sm text-muted-foreground">{lastRun}</p>}
    </div>
  );
}
