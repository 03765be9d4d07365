/**
 * A meter-host worker thread: hosts many meter cores, each applet in its own SES compartment
 * (lockdown happens here, never in the main thread that runs the database). It reaches the relay
 * through the main thread over the worker's message port. For the homes whose householders
 * consent to telecare it does what the in-home display does: the card installs telecare under the
 * signed consent, and the meter signs a proof of it with its device key for the provider to carry.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ConsentProof, HubTransport } from '@hydra/dcc';
import type { HomeDay } from '@hydra/meter-sim';
// Before SES: a spec-exact Object.freeze that keeps typed-array stores fast after lockdown in Node.
import { lockedDown } from '@hydra/meter-sim/node/spec-freeze';
import 'ses';
import type { FromHost, HostInit, HostRpcMethod, ToHost } from './host-protocol';

// The module parser (Babel) is host code, loaded before lockdown; applets are evaluated after it.
const { ModuleSource } = await import('@endo/module-source');
lockdown({ errorTaming: 'unsafe', overrideTaming: 'severe', reporting: 'none' });
lockedDown();

const { CommsHub, advanceHost, createConsentProof } = await import('@hydra/dcc');
const { MeterFleet, createMemoryStateStore, meterIdOf, parseAppletModule, signHouseholderDocument } = await import('@hydra/meter-sim');
const { secureRandom } = await import('./secure-random');
const { nodeCryptoPrimitives } = await import('@hydra/meter-sim/node');

const port = parentPort;
if (!port) throw new Error('host-worker: must run as a worker thread');
const init = workerData as HostInit;
const send = (message: FromHost) => port.postMessage(message);

let nextRpc = 1;
const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
const rpc = <T>(method: HostRpcMethod, ...args: unknown[]): Promise<T> =>
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

/** Conventional mode: the raw reads of every day metered since the last send, as the meters metered them. */
type RawRead = { meterId: string; date: string; importWh: number[]; exportWh: number[] };
const metered: RawRead[] = [];

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
    // The day as metered, under whatever load-control windows the meter applied.
    ...(init.mode === 'conventional' ? { onMetered: (meterId: string, day: HomeDay) => void metered.push({ meterId, date: day.date, importWh: Array.from(day.importWh), exportWh: Array.from(day.exportWh) }) } : {}),
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
  for (const index of init.telecareHomes ?? []) await consentToTelecare(fleet, meterIdOf(init.worldId, index));
  send({ type: 'ready', meters: fleet.meters().length });
  return { fleet, hub };
}

/**
 * The householder consents to telecare, as on the in-home display (apps/web/worker/meter-host.ts):
 * the consent is signed with the householder key this host keeps, the card manager installs the
 * telecare applet under it, and the meter signs a statement of the decision with its device key —
 * the proof the telecare provider carries to the relay, which then announces the home to it.
 */
async function consentToTelecare(fleet: Awaited<ReturnType<typeof MeterFleet.open>>, meterId: string): Promise<void> {
  const core = fleet.meter(meterId);
  const display = fleet.householder(meterId);
  if (!core || !display) throw new Error(`telecare consent: this host has no meter ${meterId}`);
  display.consentToTelecare(signHouseholderDocument(core.state, { decision: 'consent', service: 'telecare' }));
  await fleet.persist([meterId]);
  const proof: ConsentProof = createConsentProof(
    { worldId: core.state.worldId, meterId, partyId: 'telecare', appletId: 'telecare', sequence: core.state.householder.sequence, admitted: true },
    (bytes) => core.sign(bytes),
  );
  await rpc('enrol', proof);
}

/** Conventional mode: every meter's raw half-hourly reads of the days just run, in plain, to the DCC. */
async function sendConventionalReads(): Promise<void> {
  while (metered.length > 0) await rpc('conventional', init.worldId, metered.splice(0, 1000));
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
      const progress = await advanceHost({ fleet, hub, untilDate: message.untilDate, onProgress: (p) => send({ type: 'progress', progress: p }) });
      if (init.mode === 'conventional') await sendConventionalReads();
      send({ type: 'advanced', requestId: message.requestId, progress });
    } catch (error) {
      send({ type: 'failed', requestId: message.requestId, message: error instanceof Error ? error.message : String(error) });
    }
  });
});

const opened = open();
opened.catch((error: unknown) => send({ type: 'failed', requestId: null, message: error instanceof Error ? error.message : String(error) }));
