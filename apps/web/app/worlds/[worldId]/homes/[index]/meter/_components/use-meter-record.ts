'use client';

// Reads one meter's state and APDU trace from this browser's IndexedDB (where the world's meter
// host keeps them) and reads them again whenever a host in any tab announces it saved this meter.
// The full state (keys included) stays in a ref for the probes; what is rendered is derived from
// it without keys (`describeSecureElement`).
import { describeSecureElement, type MeterState, type SecureElementView, type SeEvent, type TracedExchange } from '@hydra/meter-sim';
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { METER_HOST_CHANNEL, openIndexedDbStore, type BrowserMeterStore, type MeterHostAnnouncement } from '@/worker/indexeddb-store';

/** What the inspector shows of a meter, without keys. */
export interface MeterSnapshot {
  view: SecureElementView;
  trace: TracedExchange[];
  events: SeEvent[];
  refusals: MeterState['refusals'];
  nextDate: string;
  certified: boolean;
}

/** The loading state of the record. */
export type MeterRecord =
  | { kind: 'loading' }
  | { kind: 'missing' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; snapshot: MeterSnapshot; loads: number };

let store: Promise<BrowserMeterStore> | null = null;
function meterStore(): Promise<BrowserMeterStore> {
  store ??= openIndexedDbStore();
  return store;
}

/**
 * The meter's record, live.
 * @param signatures - published DAP signatures by applet id, to redo each load file's DAP check.
 * @returns the record and a ref to the full state (for probes on a copy; never render it).
 */
export function useMeterRecord(worldId: string, meterId: string, signatures: Readonly<Record<string, string>>): { record: MeterRecord; state: RefObject<MeterState | null> } {
  const state = useRef<MeterState | null>(null);
  const [loaded, setLoaded] = useState<{ kind: 'loading' | 'missing' } | { kind: 'error'; message: string } | { kind: 'ready'; trace: TracedExchange[]; loads: number }>({ kind: 'loading' });
  const signaturesKey = JSON.stringify(signatures);

  useEffect(() => {
    let cancelled = false;
    let running = false;
    let again = false;
    let loads = 0;
    const load = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          const db = await meterStore();
          const [meter, trace] = await Promise.all([db.load(worldId, meterId), db.loadTrace(worldId, meterId)]);
          if (cancelled) return;
          state.current = meter;
          setLoaded(meter ? { kind: 'ready', trace, loads: ++loads } : { kind: 'missing' });
        } while (again && !cancelled);
      } catch (error) {
        // Open the database afresh next time (e.g. another tab upgraded it and this connection closed).
        store = null;
        if (!cancelled) setLoaded({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
      } finally {
        running = false;
      }
    };
    void load();
    const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(METER_HOST_CHANNEL);
    if (channel) {
      channel.onmessage = (event: MessageEvent<MeterHostAnnouncement>) => {
        const message = event.data;
        if (message?.type === 'saved' && message.worldId === worldId && message.meterIds.includes(meterId)) void load();
      };
    }
    return () => {
      cancelled = true;
      channel?.close();
    };
  }, [worldId, meterId]);

  const record = useMemo<MeterRecord>(() => {
    if (loaded.kind !== 'ready') return loaded;
    const meter = state.current;
    if (!meter) return { kind: 'missing' };
    try {
      const view = describeSecureElement(meter.se, { signatures: JSON.parse(signaturesKey) as Record<string, string> });
      const certified = meter.device.certificate !== null && view.domains.every((domain) => domain.certificates > 0);
      return { kind: 'ready', loads: loaded.loads, snapshot: { view, trace: loaded.trace, events: meter.se.events, refusals: meter.refusals, nextDate: meter.nextDate, certified } };
    } catch (error) {
      return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
    }
  }, [loaded, signaturesKey]);

  return { record, state };
}
