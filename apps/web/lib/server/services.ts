/**
 * The server's long-lived services, created once per process: the database, the relay (which
 * reaches parties over HTTP, under the DCC's credential), and the supplier's context (which
 * reaches the relay over HTTP, under the supplier's credential). Each party's backend is reached
 * only through its own routes and credential. A background timer retries queued uplinks, so a
 * message accepted just before a crash is delivered after the restart.
 */
import { randomBytes } from 'node:crypto';
import { createDb, type Db } from '@hydra/db';
import { createManufacturerCa, DeliveryRefusedError, Relay, type DeliveryOutcome, type PartyTransport } from '@hydra/dcc';
import { hexToBytes, type RandomSource } from '@hydra/globalplatform';
import { loadChannelKey, PARTIES, SUPPLIER_PARTY_ID, type RelayClient, type SupplierContext } from '@hydra/suppliers';
import { serverEnv } from './env';
import { dccToken } from './parties/dcc';
import { supplierKekHex, supplierToken } from './parties/supplier';
import { manufacturerCaKeyHex } from './parties/manufacturer';

/** The process's secure random source. */
export const secureRandom: RandomSource = (length) => new Uint8Array(randomBytes(length));


interface Services {
  db: Db;
  relay: Relay;
  supplier: SupplierContext;
  ready: Promise<void>;
}

async function postBytes(url: string, token: string, body: Uint8Array): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, body: new Uint8Array(body) });
}

async function failure(response: Response): Promise<Error> {
  const text = await response.text().catch(() => '');
  return new Error(`HTTP ${response.status}: ${text.slice(0, 300)}`);
}

/** Exponential back-off for failed deliveries: 1 s, 2 s, 4 s … at most 30 s. */
const backoff = (attempts: number) => Math.min(30_000, 1000 * 2 ** Math.max(0, attempts - 1));

function create(): Services {
  const env = serverEnv();
  const db = createDb(env.databaseUrl);
  const transport: PartyTransport = {
    async deliver(partyId, envelope): Promise<DeliveryOutcome> {
      if (partyId !== SUPPLIER_PARTY_ID) throw new Error(`no backend for ${partyId} yet`);
      const response = await postBytes(`${env.internalUrl}/api/supplier/inbox`, dccToken(), envelope);
      // 409: the party refused this uplink for good (an answer to nothing it has in flight, or a
      // reused id); retrying it would only hold back the rest of its channel.
      if (response.status === 409) throw new DeliveryRefusedError((await failure(response)).message);
      if (!response.ok) throw await failure(response);
      const result = (await response.json()) as { status: DeliveryOutcome };
      return result.status;
    },
    async announceMeter(partyId, announcement) {
      if (partyId !== SUPPLIER_PARTY_ID) return;
      const response = await fetch(`${env.internalUrl}/api/supplier/meters`, {
        method: 'POST',
        headers: { authorization: `Bearer ${dccToken()}`, 'content-type': 'application/json' },
        body: JSON.stringify(announcement),
      });
      if (!response.ok) throw await failure(response);
    },
  };
  const relayClient: RelayClient = {
    async postDownlink(envelope) {
      const response = await postBytes(`${env.internalUrl}/api/dcc/downlink`, supplierToken(), envelope);
      if (!response.ok) throw await failure(response);
      return (await response.json()) as { messageId: string; status: 'accepted' | 'already-delivered' };
    },
  };
  // The manufacturer CA's registration service runs here, server-side: meter hosts send public keys only.
  const manufacturer = createManufacturerCa({ privateKeyHex: manufacturerCaKeyHex(), random: secureRandom });
  const relay = new Relay({
    db: db.client,
    transport,
    random: secureRandom,
    now: () => new Date(),
    limits: env.rateLimits,
    retryDelayMs: backoff,
    leaseMs: env.leaseMs,
    // Answer the meter once its envelope is stored; delivery to the party follows at once.
    delivery: env.delivery,
    onBackgroundError: (error) => console.error('[hydra] relay delivery round failed', error instanceof Error ? error.message : 'unknown'),
    manufacturer,
  });
  const supplier: SupplierContext = {
    db: db.client,
    kek: hexToBytes(supplierKekHex()),
    random: secureRandom,
    relay: relayClient,
    trustAnchors: [manufacturer.anchor],
    now: () => Date.now(),
  };
  const ready = (async () => {
    const key = await loadChannelKey(supplier);
    for (const party of PARTIES) await relay.registerParty({ ...party, publicKey: party.id === SUPPLIER_PARTY_ID ? key.publicKey : null });
  })();
  if (env.drainIntervalMs > 0) {
    // Retries (after back-off) and anything a crash left queued.
    const timer = setInterval(() => void relay.deliverInBackground(), env.drainIntervalMs);
    timer.unref();
  }
  return { db, relay, supplier, ready };
}

const globalKey = Symbol.for('hydra.services');

/** The process-wide services (created on first use, reused across requests and hot reloads). */
export async function services(): Promise<Omit<Services, 'ready'>> {
  const holder = globalThis as unknown as { [globalKey]?: Services };
  holder[globalKey] ??= create();
  const current = holder[globalKey];
  await current.ready;
  return current;
}
