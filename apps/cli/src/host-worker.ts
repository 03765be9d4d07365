/**
 * A meter-host worker thread: hosts many meter cores, each applet in its own SES compartment
 * (lockdown happens here, never in the main thread that runs the database). It reaches the relay
 * through the main thread over the worker's message port.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { HubTransport } from '@hydra/dcc';
// Before SES: a spec-exact Object.freeze that keeps typed-array stores fast after lockdown in Node.
import { lockedDown } from '@hydra/meter-sim/node/spec-freeze';
import 'ses';
import type { FromHost, HostInit, ToHost } from './host-protocol';

// The module parser (Babel) is host code, loaded before lockdown; applets are evaluated after it.
const { ModuleSource } = await import('@endo/module-source');
lockdown({ errorTaming: 'unsafe', overrideTaming: 'severe', reporting: 'none' });
lockedDown();

const { CommsHub, advanceHost } = await import('@hydra/dcc');
const { MeterFleet, addDays, createMemoryStateStore, parseAppletModule, simulateHomeDay } = await import('@hydra/meter-sim');
const { secureRandom } = await import('./secure-random');
const { nodeCryptoPrimitives } = await import('@hydra/meter-sim/node');

const port = parentPort;
if (!port) throw new Error('host-worker: must run as a worker thread');
const init = workerData as HostInit;
const send = (message: FromHost) => port.postMessage(message);

let nextRpc = 1;
const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
const rpc = <T>(method: 'register' | 'wake' | 'post' | 'acknowledge' | 'conventional', ...args: unknown[]): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const id = nextRpc++;
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    send({ type: 'rpc', id, method, args });
  });

const transport: HubTransport = {
  register: (registrations) => rpc('register', registrations),
  wake: (worldId, meterIds) => rpc('wake', worldId, meterIds),
  post: (envelopes) => rpc('post', envelopes),
  acknowledge: (acks) => rpc('acknowledge', acks),
};

async function open() {
  const fleet = await MeterFleet.open({
    worldId: init.worldId,
    seed: init.seed,
    startDate: init.startDate,
    homeIndices: init.homeIndices,
    catalog: init.catalog,
    ca: init.ca,
    compile: (source) => parseAppletModule(source, ModuleSource as never),
    random: secureRandom,
    store: createMemoryStateStore(),
    sharingPreset: init.sharingPreset ?? 'hydra',
    // node:crypto's ECDH behind the applets' crypto (a feeder roster costs one ECDH per peer).
    primitives: nodeCryptoPrimitives(),
  });
  const hub = new CommsHub({
    worldId: init.worldId,
    transport,
    persist: (ids) => fleet.persist(ids),
    // As in the browser: over HTTP the relay delivers in the background, so a party's next command
    // can lag the post. In-process (delivery before the answer) a settled meter never waits.
    replyWait: { delaysMs: [20, 50, 100, 200, 400, 800, 1600, 1600, 1600], pause: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
  });
  await hub.register(fleet.meters());
  send({ type: 'ready', meters: fleet.meters().length });
  return { fleet, hub };
}

/** Conventional mode: every meter's raw half-hourly reads for the days just run, in plain, to the DCC. */
async function sendConventionalReads(fleet: Awaited<ReturnType<typeof MeterFleet.open>>, from: string, until: string): Promise<void> {
  let batch: { meterId: string; date: string; importWh: number[]; exportWh: number[] }[] = [];
  for (const [meterId, profile] of fleet.profiles) {
    for (let date = from; date < until; date = addDays(date, 1)) {
      const day = simulateHomeDay(profile, date);
      batch.push({ meterId, date, importWh: Array.from(day.importWh), exportWh: Array.from(day.exportWh) });
      if (batch.length >= 1000) {
        await rpc('conventional', init.worldId, batch);
        batch = [];
      }
    }
  }
  if (batch.length > 0) await rpc('conventional', init.worldId, batch);
}

// Listen before awaiting anything else: start-up itself needs RPC answers from the main thread.
let queue: Promise<void> = Promise.resolve();
port.on('message', (message: ToHost) => {
  if (message.type === 'rpc-result') {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiter?.reject(new Error(message.error));
    else waiter?.resolve(message.result);
    return;
  }
  // Advances run one at a time, in order, once the fleet is open.
  queue = queue.then(async () => {
    try {
      const { fleet, hub } = await opened;
      const from = fleet.nextDate();
      const progress = await advanceHost({ fleet, hub, untilDate: message.untilDate, onProgress: (p) => send({ type: 'progress', progress: p }) });
      if (init.mode === 'conventional') await sendConventionalReads(fleet, from, message.untilDate);
      send({ type: 'advanced', requestId: message.requestId, progress });
    } catch (error) {
      send({ type: 'failed', requestId: message.requestId, message: error instanceof Error ? error.message : String(error) });
    }
  });
});

const opened = open();
opened.catch((error: unknown) => send({ type: 'failed', requestId: null, message: error instanceof Error ? error.message : String(error) }));
