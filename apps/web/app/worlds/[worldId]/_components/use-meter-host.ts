'use client';

// Hosts a world's meters in this tab: one Web Worker runs every meter core (DESIGN.md Decision 1).
// A Web Lock on the world id makes this tab the host; another tab joins as an observer. The world
// clock lives on the server: the worker advances the meters to it (catching up on open) and the
// comms hub answers the parties' commands. The world page and each home's in-home display use it.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DisplayView, FromMeterHost, HouseholderAction, ToMeterHost } from '@/worker/protocol';

/** The world facts a host needs. */
export interface MeterHostWorld {
  worldId: string;
  seed: string;
  startDate: string;
  homeCount: number;
  epoch: string;
  clockDate: string;
  hostDate: string;
  mode: 'hydra' | 'conventional';
  sharingPreset: 'hydra' | 'gb-licence';
}

/** A step of the world clock a host page can offer. */
export type ClockStep = 'day' | 'week' | 'month';

/** What the host is doing. */
export type MeterHostStatus =
  | { kind: 'starting' }
  | { kind: 'observer' }
  | { kind: 'ready'; nextDate: string }
  | { kind: 'running'; label: string; fraction: number; detail: string }
  | { kind: 'error'; message: string };

/** The answer to an in-home display action. */
export type HouseholderAnswer = { ok: true; view: DisplayView; proof: string | null } | { ok: false; code: string; message: string; view: DisplayView | null };

/** The hook's interface. */
export interface MeterHost {
  status: MeterHostStatus;
  /** What the last completed run did, for a line under the controls. */
  lastRun: string | null;
  /** Advances the world clock one step on the server, then the meters to it. */
  run(step: ClockStep): Promise<void>;
  /** `run('month')`. */
  runMonth(): Promise<void>;
  /** Asks a meter in the worker for the in-home display (queued behind any run). */
  householder(meterId: string, action: HouseholderAction): Promise<HouseholderAnswer>;
}

/**
 * Starts (or observes) the world's meter host.
 * @param onAdvanced - called after each run of the meters (e.g. to refresh server data).
 */
export function useMeterHost(world: MeterHostWorld, onAdvanced?: () => void): MeterHost {
  const { worldId, seed, startDate, homeCount, epoch, clockDate, hostDate, mode, sharingPreset } = world;
  const worker = useRef<Worker | null>(null);
  const [status, setStatus] = useState<MeterHostStatus>({ kind: 'starting' });
  const [lastRun, setLastRun] = useState<string | null>(null);
  const catchUp = useRef<string | null>(hostDate < clockDate ? clockDate : null);
  const waiters = useRef(new Map<number, (answer: HouseholderAnswer) => void>());
  const nextRequest = useRef(1);
  const advanced = useRef(onAdvanced);
  // The clock moves on while the worker runs (each run advances it): read it without restarting the worker.
  const clock = useRef(clockDate);
  useEffect(() => {
    advanced.current = onAdvanced;
    clock.current = clockDate;
  });

  const advance = useCallback((untilDate: string) => {
    setStatus({ kind: 'running', label: `Advancing meters to ${untilDate}`, fraction: 0, detail: 'waking meters…' });
    worker.current?.postMessage({ type: 'advance', untilDate } satisfies ToMeterHost);
  }, []);

  useEffect(() => {
    let release: (() => void) | null = null;
    let cancelled = false;
    const pending = waiters.current;
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
          else advanced.current?.();
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
          advanced.current?.();
        } else if (message.type === 'householder' || message.type === 'householder-refused') {
          const resolve = pending.get(message.requestId);
          pending.delete(message.requestId);
          resolve?.(message.type === 'householder' ? { ok: true, view: message.view, proof: message.proof } : { ok: false, code: message.code, message: message.message, view: message.view });
        } else {
          setStatus({ kind: 'error', message: message.message });
          for (const resolve of pending.values()) resolve({ ok: false, code: 'HOST_FAILED', message: message.message, view: null });
          pending.clear();
        }
      };
      w.onerror = (event) => setStatus({ kind: 'error', message: event.message || 'the meter worker failed to start' });
      w.postMessage({ type: 'open', worldId, seed, startDate, homeCount, epoch, mode, sharingPreset } satisfies ToMeterHost);
    };
    const waiting = new AbortController();
    const hostWhileLocked = async () => {
      if (cancelled) return;
      setStatus({ kind: 'starting' });
      host();
      // Hold the lock while this tab hosts the world.
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    };
    if (!locks) {
      host();
    } else {
      const name = `hydra-world-${worldId}`;
      void locks.request(name, { ifAvailable: true }, async (lock) => {
        if (cancelled) return;
        if (lock) return hostWhileLocked();
        setStatus({ kind: 'observer' });
        // Take over as soon as the other host lets go (its tab closed, or this tab's previous page
        // is still releasing the lock after a navigation).
        locks.request(name, { signal: waiting.signal }, hostWhileLocked).catch(() => undefined);
      });
    }
    return () => {
      cancelled = true;
      waiting.abort();
      worker.current?.terminate();
      worker.current = null;
      for (const resolve of pending.values()) resolve({ ok: false, code: 'HOST_CLOSED', message: 'the meter host closed', view: null });
      pending.clear();
      release?.();
    };
  }, [worldId, seed, startDate, homeCount, epoch, mode, sharingPreset, advance]);

  const run = useCallback(async (step: ClockStep) => {
    setStatus({ kind: 'running', label: 'Advancing the world clock', fraction: 0, detail: 'asking the server…' });
    const response = await fetch(`/api/worlds/${worldId}/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance: step }) });
    const body = (await response.json().catch(() => ({}))) as { clockDate?: string; error?: { message: string } };
    if (!response.ok || !body.clockDate) {
      setStatus({ kind: 'error', message: body.error?.message ?? `the clock could not be advanced (HTTP ${response.status})` });
      return;
    }
    advance(body.clockDate);
  }, [worldId, advance]);
  const runMonth = useCallback(() => run('month'), [run]);

  const householder = useCallback((meterId: string, action: HouseholderAction): Promise<HouseholderAnswer> => {
    const w = worker.current;
    if (!w) return Promise.resolve({ ok: false, code: 'NO_HOST', message: 'this tab does not host the world’s meters', view: null });
    const requestId = nextRequest.current++;
    return new Promise((resolve) => {
      waiters.current.set(requestId, resolve);
      w.postMessage({ type: 'householder', requestId, meterId, action } satisfies ToMeterHost);
    });
  }, []);

  return { status, lastRun, run, runMonth, householder };
}
