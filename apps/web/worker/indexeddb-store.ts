/**
 * The browser's meter-state store: each meter's secure-element state in IndexedDB, so it survives
 * a page reload and never leaves the browser. One record per meter, plus the world's epoch (its
 * creation time on the server) so a re-created world starts from fresh meters, plus each meter's
 * APDU trace (`@hydra/meter-sim` `ApduTrace`) in its own object store next to the state: one record
 * per exchange, the newest `APDU_TRACE_LIMIT` kept, written in the same transaction as the state.
 *
 * The meter host (the worker) writes; the meter inspector page reads the same database.
 */
import { APDU_TRACE_LIMIT, type MeterState, type MeterStateStore, type TracedExchange } from '@hydra/meter-sim';

const DB_NAME = 'hydra-meter-host';
const DB_VERSION = 2;
const STATES = 'meter-states';
const WORLDS = 'worlds';
const TRACES = 'apdu-traces';

/** Where a host's unsaved trace entries come from (the worker's per-meter `ApduTrace`s). */
export interface TraceSource {
  unsaved(meterId: string): readonly TracedExchange[];
  markSaved(meterId: string, seq: number): void;
}

/** The meter-state store of a browser. */
export interface BrowserMeterStore extends MeterStateStore {
  epoch(worldId: string): Promise<string | null>;
  setEpoch(worldId: string, epoch: string): Promise<void>;
  /** A meter's stored trace, oldest first. */
  loadTrace(worldId: string, meterId: string): Promise<TracedExchange[]>;
  /** The newest stored trace sequence number of a meter (0 when none). */
  lastTraceSeq(worldId: string, meterId: string): Promise<number>;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

const traceKey = (worldId: string, meterId: string, seq: number) => `${worldId}/${meterId}/${String(seq).padStart(12, '0')}`;
const traceRange = (worldId: string, meterId: string) => IDBKeyRange.bound(`${worldId}/${meterId}/`, `${worldId}/${meterId}/\uffff`);

/**
 * Opens the store.
 * @param options.traces - the host's trace buffers: their unsaved entries are written with each state.
 * @param options.onSaved - called after each committed save with the meters it saved.
 */
export async function openIndexedDbStore(options: { traces?: TraceSource; onSaved?: (worldId: string, meterIds: string[]) => void } = {}): Promise<BrowserMeterStore> {
  const open = indexedDB.open(DB_NAME, DB_VERSION);
  open.onupgradeneeded = (event) => {
    const db = open.result;
    if (event.oldVersion < 1) {
      db.createObjectStore(STATES);
      db.createObjectStore(WORLDS);
    }
    if (event.oldVersion < 2) db.createObjectStore(TRACES);
  };
  const db = await request(open);
  // Another tab opening a newer version must not be blocked by this connection.
  db.onversionchange = () => db.close();
  return {
    async load(worldId, meterId) {
      const tx = db.transaction(STATES, 'readonly');
      const text = (await request(tx.objectStore(STATES).get(`${worldId}/${meterId}`))) as string | undefined;
      return text ? (JSON.parse(text) as MeterState) : null;
    },
    async save(states) {
      if (states.length === 0) return;
      // One transaction for the batch: a meter's outbox, counters and applet state change together,
      // and its trace entries are stored with the state they led to.
      const tx = db.transaction([STATES, TRACES], 'readwrite');
      const store = tx.objectStore(STATES);
      const traces = tx.objectStore(TRACES);
      const written: { meterId: string; seq: number }[] = [];
      for (const state of states) {
        store.put(JSON.stringify(state), `${state.worldId}/${state.meterId}`);
        const entries = options.traces?.unsaved(state.meterId) ?? [];
        const last = entries.at(-1);
        if (!last) continue;
        for (const entry of entries) traces.put(JSON.stringify(entry), traceKey(state.worldId, state.meterId, entry.seq));
        if (last.seq > APDU_TRACE_LIMIT) traces.delete(IDBKeyRange.bound(`${state.worldId}/${state.meterId}/`, traceKey(state.worldId, state.meterId, last.seq - APDU_TRACE_LIMIT)));
        written.push({ meterId: state.meterId, seq: last.seq });
      }
      await done(tx);
      for (const { meterId, seq } of written) options.traces?.markSaved(meterId, seq);
      const worldId = states[0]?.worldId;
      if (worldId !== undefined) options.onSaved?.(worldId, states.map((state) => state.meterId));
    },
    async clear(worldId) {
      const tx = db.transaction([STATES, WORLDS, TRACES], 'readwrite');
      tx.objectStore(STATES).delete(IDBKeyRange.bound(`${worldId}/`, `${worldId}/\uffff`));
      tx.objectStore(TRACES).delete(IDBKeyRange.bound(`${worldId}/`, `${worldId}/\uffff`));
      tx.objectStore(WORLDS).delete(worldId);
      await done(tx);
    },
    async epoch(worldId) {
      const tx = db.transaction(WORLDS, 'readonly');
      return ((await request(tx.objectStore(WORLDS).get(worldId))) as string | undefined) ?? null;
    },
    async setEpoch(worldId, epoch) {
      const tx = db.transaction(WORLDS, 'readwrite');
      tx.objectStore(WORLDS).put(epoch, worldId);
      await done(tx);
    },
    async loadTrace(worldId, meterId) {
      const tx = db.transaction(TRACES, 'readonly');
      const texts = (await request(tx.objectStore(TRACES).getAll(traceRange(worldId, meterId)))) as string[];
      return texts.map((text) => JSON.parse(text) as TracedExchange);
    },
    async lastTraceSeq(worldId, meterId) {
      const tx = db.transaction(TRACES, 'readonly');
      const cursor = await request(tx.objectStore(TRACES).openKeyCursor(traceRange(worldId, meterId), 'prev'));
      const key = cursor?.key;
      return typeof key === 'string' ? Number(key.slice(key.lastIndexOf('/') + 1)) : 0;
    },
  };
}

/** The channel on which a meter host announces saved meters (to inspector pages in any tab). */
export const METER_HOST_CHANNEL = 'hydra-meter-host';

/** What a meter host announces on {@link METER_HOST_CHANNEL}. */
export interface MeterHostAnnouncement {
  type: 'saved';
  worldId: string;
  meterIds: string[];
}
