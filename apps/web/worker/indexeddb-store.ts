/**
 * The browser's meter-state store: each meter's secure-element state in IndexedDB, so it survives
 * a page reload and never leaves the browser. One record per meter, plus the world's epoch (its
 * creation time on the server) so a re-created world starts from fresh meters.
 */
import type { MeterState, MeterStateStore } from '@hydra/meter-sim';

const DB_NAME = 'hydra-meter-host';
const STATES = 'meter-states';
const WORLDS = 'worlds';

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

/** Opens the store. */
export async function openIndexedDbStore(): Promise<MeterStateStore & { epoch(worldId: string): Promise<string | null>; setEpoch(worldId: string, epoch: string): Promise<void> }> {
  const open = indexedDB.open(DB_NAME, 1);
  open.onupgradeneeded = () => {
    open.result.createObjectStore(STATES);
    open.result.createObjectStore(WORLDS);
  };
  const db = await request(open);
  return {
    async load(worldId, meterId) {
      const tx = db.transaction(STATES, 'readonly');
      const text = (await request(tx.objectStore(STATES).get(`${worldId}/${meterId}`))) as string | undefined;
      return text ? (JSON.parse(text) as MeterState) : null;
    },
    async save(states) {
      if (states.length === 0) return;
      // One transaction for the batch: a meter's outbox, counters and applet state change together.
      const tx = db.transaction(STATES, 'readwrite');
      const store = tx.objectStore(STATES);
      for (const state of states) store.put(JSON.stringify(state), `${state.worldId}/${state.meterId}`);
      await done(tx);
    },
    async clear(worldId) {
      const tx = db.transaction([STATES, WORLDS], 'readwrite');
      tx.objectStore(STATES).delete(IDBKeyRange.bound(`${worldId}/`, `${worldId}/\uffff`));
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
  };
}
