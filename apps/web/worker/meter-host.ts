/**
 * The browser meter host: every meter of the world in this one worker (DESIGN.md Decision 1),
 * each applet in its own SES compartment, secure-element state in IndexedDB, and the comms hub
 * talking to the relay over HTTP. Loaded by `meter-host.worker.ts` after lockdown.
 */
import { advanceHost, CommsHub, createConsentProof, createHttpHubTransport } from '@hydra/dcc';
import { ApduTrace, HouseholderError, MeterFleet, meterIdOf, parseAppletModule, signHouseholderDocument, type HomeDay } from '@hydra/meter-sim';
import type { RandomSource } from '@hydra/globalplatform';
import { METER_HOST_CHANNEL, openIndexedDbStore, type MeterHostAnnouncement } from './indexeddb-store';
import type { DisplayView, FromMeterHost, HouseholderAction, ToMeterHost } from './protocol';

const scope = self as unknown as { postMessage(message: FromMeterHost): void; onmessage: ((event: MessageEvent<ToMeterHost>) => void) | null; location: Location };
const secureRandom: RandomSource = (length) => crypto.getRandomValues(new Uint8Array(length));
/**
 * Pauses before looking again for a party's next command after the meters answered (ms, about
 * 6 s in all). Only meters mid-exchange (SCP11 set-up, tariff) wait: after a collect the party
 * re-arms the next one, so a settled meter hears back at once. A busy server can take seconds per
 * round for a street of meters, and a tariff that arrives after the month ran bills nothing.
 */
const REPLY_WAIT_MS = [20, 50, 100, 200, 400, 800, 1600, 1600, 1600] as const;

/** Conventional mode: one meter-day of raw reads, waiting to be sent to the DCC's central store. */
type RawRead = { meterId: string; date: string; importWh: number[]; exportWh: number[] };

/** Starts handling the page's messages. */
export function start(ModuleSourceCtor: unknown): void {
  let opened: Promise<{ fleet: MeterFleet; hub: CommsHub; worldId: string; mode: 'hydra' | 'conventional'; metered: RawRead[] }> | null = null;
  let queue: Promise<void> = Promise.resolve();
  const origin = scope.location.origin;
  const send = (message: FromMeterHost) => scope.postMessage(message);

  scope.onmessage = (event) => {
    const message = event.data;
    queue = queue.then(async () => {
      try {
        if (message.type === 'open') {
          opened = open(message, ModuleSourceCtor, origin);
          const { fleet } = await opened;
          send({ type: 'opened', meters: fleet.meters().length, nextDate: fleet.nextDate() });
          return;
        }
        if (!opened) throw new Error('meter host: open a world first');
        const { fleet, hub, worldId, mode, metered } = await opened;
        if (message.type === 'householder') {
          send(await householder(fleet, message.requestId, message.meterId, message.action));
          return;
        }
        const result = await advanceHost({
          fleet,
          hub,
          untilDate: message.untilDate,
          wakeDaily: false,
          onProgress: (p) => send({ type: 'progress', reached: p.reached, target: p.target, fraction: p.fraction, homeDays: p.homeDays, uplinks: p.uplinks }),
        });
        if (mode === 'conventional') await sendConventionalReads(origin, worldId, metered);
        await fetch(`${origin}/api/worlds/${worldId}/progress`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reached: result.reached }) });
        send({ type: 'advanced', reached: result.reached, homeDays: result.homeDays, uplinks: result.uplinks, uplinkBytes: result.uplinkBytes });
      } catch (error) {
        send({ type: 'error', message: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) });
      }
    });
  };
}

/** The in-home display's view of one meter, read locally from the card. */
function displayView(fleet: MeterFleet, meterId: string): DisplayView {
  const core = fleet.meter(meterId);
  const display = fleet.householder(meterId);
  if (!core || !display) throw new HouseholderError('NOT_AVAILABLE', `this world has no meter ${meterId}`);
  return { meterId, nextDate: core.state.nextDate, commissioned: core.commissioned, insights: display.insights(), sharing: display.sharing(), telecare: display.telecare() };
}

/**
 * Carries out one in-home display action on the meter in this worker: documents are signed here with
 * the householder key this host keeps, the card checks them, and the meter's state is saved to
 * IndexedDB whatever the outcome (the householder's sequence moves on either way).
 */
async function householder(fleet: MeterFleet, requestId: number, meterId: string, action: HouseholderAction): Promise<FromMeterHost> {
  const core = fleet.meter(meterId);
  const display = fleet.householder(meterId);
  if (!core || !display) return { type: 'householder-refused', requestId, code: 'NOT_AVAILABLE', message: `this world has no meter ${meterId}`, view: null };
  try {
    if (action.kind === 'set-sharing') display.setSharing(signHouseholderDocument(core.state, { kind: 'data-sharing', setting: action.setting }));
    else if (action.kind === 'consent-telecare') display.consentToTelecare(signHouseholderDocument(core.state, { decision: 'consent', service: 'telecare' }));
    else if (action.kind === 'revoke-telecare') display.revokeTelecare(signHouseholderDocument(core.state, { decision: 'withdraw', service: 'telecare' }));
    await fleet.persist([meterId]);
    // The relay admits telecare only on the meter's own word: a statement of the decision signed
    // with its device key (the consent itself stays on the meter), for the provider to carry.
    const decided = action.kind === 'consent-telecare' || action.kind === 'revoke-telecare';
    const proof = decided
      ? JSON.stringify(
          createConsentProof(
            { worldId: core.state.worldId, meterId, partyId: 'telecare', appletId: 'telecare', sequence: core.state.householder.sequence, admitted: action.kind === 'consent-telecare' },
            (bytes) => core.sign(bytes),
          ),
        )
      : null;
    return { type: 'householder', requestId, view: displayView(fleet, meterId), proof };
  } catch (error) {
    await fleet.persist([meterId]);
    if (!(error instanceof HouseholderError)) throw error;
    return { type: 'householder-refused', requestId, code: error.code, message: error.message, view: displayView(fleet, meterId) };
  }
}

async function open(message: Extract<ToMeterHost, { type: 'open' }>, ModuleSourceCtor: unknown, origin: string) {
  const response = await fetch(`${origin}/api/catalog`);
  if (!response.ok) throw new Error(`applet catalog unavailable (HTTP ${response.status})`);
  const catalog = (await response.json()) as {
    publisherPublicKey: string | null;
    manufacturerCa: { id: string; publicKey: string };
    applets: { id: string; source: string; signature: string | null }[];
  };
  // The factory loads only DAP-signed packages; an unsigned catalog means set-up has not run.
  const publisherPublicKey = catalog.publisherPublicKey;
  if (!publisherPublicKey) throw new Error('the applet catalog is not signed: run `npm run setup` on the server (it writes .hydra/catalog.json)');
  const signed = catalog.applets.flatMap(({ id, source, signature }) => (signature ? [{ id, source, signature }] : []));
  // Each meter's APDU trace stays in this browser, saved with its state; inspector pages in any
  // tab hear about every save on a BroadcastChannel and re-read what they show.
  const traces = new Map<string, ApduTrace>();
  const announcer = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(METER_HOST_CHANNEL);
  const store = await openIndexedDbStore({
    traces: { unsaved: (meterId) => traces.get(meterId)?.unsaved() ?? [], markSaved: (meterId, seq) => traces.get(meterId)?.markSaved(seq) },
    onSaved: (worldId, meterIds) => announcer?.postMessage({ type: 'saved', worldId, meterIds } satisfies MeterHostAnnouncement),
  });
  // A world re-created on the server (new epoch) starts from freshly manufactured meters.
  if ((await store.epoch(message.worldId)) !== message.epoch) {
    await store.clear(message.worldId);
    await store.setEpoch(message.worldId, message.epoch);
  }
  for (let index = 0; index < message.homeCount; index++) {
    const meterId = meterIdOf(message.worldId, index);
    traces.set(meterId, new ApduTrace({ lastSeq: await store.lastTraceSeq(message.worldId, meterId), now: () => Date.now() }));
  }
  const metered: RawRead[] = [];
  const fleet = await MeterFleet.open({
    worldId: message.worldId,
    seed: message.seed,
    startDate: message.startDate,
    homeIndices: Array.from({ length: message.homeCount }, (_, i) => i),
    // Each card verifies every package's DAP against the publisher key it is personalised with.
    catalog: { publisherPublicKey, applets: signed },
    ca: catalog.manufacturerCa,
    compile: (source) => parseAppletModule(source, ModuleSourceCtor as new (text: string) => unknown),
    random: secureRandom,
    store,
    onExchange: (exchange) => traces.get(exchange.command.meterId)?.record(exchange),
    sharingPreset: message.sharingPreset,
    // Conventional mode: each day as metered, under the load-control windows the meter applied.
    ...(message.mode === 'conventional' ? { onMetered: (meterId: string, day: HomeDay) => void metered.push({ meterId, date: day.date, importWh: Array.from(day.importWh), exportWh: Array.from(day.exportWh) }) } : {}),
  });
  const hub = new CommsHub({
    worldId: message.worldId,
    transport: createHttpHubTransport(origin, fetch.bind(globalThis)),
    persist: (ids) => fleet.persist(ids),
    // The relay answers an uplink once stored and delivers it right after (background delivery),
    // so a party's next handshake or applet command can lag the post by a few milliseconds.
    replyWait: { delaysMs: REPLY_WAIT_MS, pause: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
  });
  await hub.register(fleet.meters());
  return { fleet, hub, worldId: message.worldId, mode: message.mode, metered };
}

/**
 * Conventional mode only (the comparison world): the meters also send their raw half-hourly reads,
 * in plain, to the DCC's central store — each day as the meter metered it (load-control windows
 * included), from the fleet's `onMetered`. A Hydra world never runs this.
 */
async function sendConventionalReads(origin: string, worldId: string, metered: RawRead[]): Promise<void> {
  while (metered.length > 0) {
    const reads = metered.slice(0, 500);
    const response = await fetch(`${origin}/api/dcc/conventional/reads`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ worldId, reads }) });
    if (!response.ok) throw new Error(`the DCC refused the raw reads (HTTP ${response.status})`);
    metered.splice(0, reads.length);
  }
}
