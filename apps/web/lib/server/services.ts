/**
 * The server's long-lived services, created once per process: the database, the relay (which
 * reaches each party over HTTP at its own inbox and meters routes, under the DCC's credential),
 * and each party's context — the energy supplier, the DNO and the telecare provider — which reaches
 * the relay over HTTP under that party's own credential and holds only that party's KEK. A
 * background timer retries queued uplinks, so a message accepted just before a crash is delivered
 * after the restart.
 */
import { randomBytes } from 'node:crypto';
import { createDb, type Db } from '@hydra/db';
import { createManufacturerCa, DeliveryRefusedError, Relay, type DeliveryOutcome, type PartyTransport } from '@hydra/dcc';
import { hexToBytes, type RandomSource, type TrustAnchor } from '@hydra/globalplatform';
import {
  PartyError,
  registerParties,
  TELECARE_PARTY_ID,
  type DnoContext,
  type EnrollingRelayClient,
  type EnrolmentAcceptance,
  type RelayClient,
  type SupplierContext,
  type TelecareContext,
} from '@hydra/suppliers';
import { serverEnv } from './env';
import { dccToken } from './parties/dcc';
import { dnoKekHex, dnoToken } from './parties/dno';
import { manufacturerCaKeyHex } from './parties/manufacturer';
import { supplierKekHex, supplierToken } from './parties/supplier';
import { telecareKekHex, telecareToken } from './parties/telecare';

/** The process's secure random source. */
export const secureRandom: RandomSource = (length) => new Uint8Array(randomBytes(length));

interface Services {
  db: Db;
  relay: Relay;
  supplier: SupplierContext;
  dno: DnoContext;
  telecare: TelecareContext;
  ready: Promise<void>;
}

/** The parties with a backend here, each reached at `/api/<party>/…`. */
const BACKENDS = ['supplier', 'dno', 'telecare'] as const;

async function post(url: string, token: string, body: Uint8Array | string): Promise<Response> {
  const binary = body instanceof Uint8Array;
  return fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': binary ? 'application/octet-stream' : 'application/json' },
    body: binary ? new Uint8Array(body) : body,
  });
}

async function failure(response: Response): Promise<Error> {
  const text = await response.text().catch(() => '');
  return new Error(`HTTP ${response.status}: ${text.slice(0, 300)}`);
}

/** Exponential back-off for failed deliveries: 1 s, 2 s, 4 s … at most 30 s. */
const backoff = (attempts: number) => Math.min(30_000, 1000 * 2 ** Math.max(0, attempts - 1));

function isBackend(partyId: string): partyId is (typeof BACKENDS)[number] {
  return (BACKENDS as readonly string[]).includes(partyId);
}

/** A party's client of the relay, under that party's own credential. */
function relayClientFor(internalUrl: string, token: () => string): RelayClient {
  return {
    async postDownlink(envelope) {
      const response = await post(`${internalUrl}/api/dcc/downlink`, token(), envelope);
      if (!response.ok) throw await failure(response);
      return (await response.json()) as { messageId: string; status: 'accepted' | 'already-delivered' };
    },
  };
}

function create(): Services {
  const env = serverEnv();
  const db = createDb(env.databaseUrl);
  const transport: PartyTransport = {
    async deliver(partyId, envelope): Promise<DeliveryOutcome> {
      if (!isBackend(partyId)) throw new Error(`no backend for ${partyId}`);
      const response = await post(`${env.internalUrl}/api/${partyId}/inbox`, dccToken(), envelope);
      // 409: the party refused this uplink for good (an answer to nothing it has in flight, or a
      // reused id); retrying it would only hold back the rest of its channel.
      if (response.status === 409) throw new DeliveryRefusedError((await failure(response)).message);
      if (!response.ok) throw await failure(response);
      const result = (await response.json()) as { status: DeliveryOutcome };
      return result.status;
    },
    async announceMeter(partyId, announcement) {
      if (!isBackend(partyId)) return;
      const response = await post(`${env.internalUrl}/api/${partyId}/meters`, dccToken(), JSON.stringify(announcement));
      if (!response.ok) throw await failure(response);
    },
    async withdrawMeter(partyId, withdrawal) {
      if (partyId !== 'telecare') return;
      const response = await post(`${env.internalUrl}/api/telecare/withdrawals`, dccToken(), JSON.stringify(withdrawal));
      if (!response.ok) throw await failure(response);
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
  const trustAnchors: TrustAnchor[] = [manufacturer.anchor];
  const base = { db: db.client, random: secureRandom, trustAnchors, now: () => Date.now() };
  const supplier: SupplierContext = { ...base, kek: hexToBytes(supplierKekHex()), relay: relayClientFor(env.internalUrl, supplierToken) };
  const dno: DnoContext = { ...base, kek: hexToBytes(dnoKekHex()), relay: relayClientFor(env.internalUrl, dnoToken) };
  const telecareRelay: EnrollingRelayClient = {
    ...relayClientFor(env.internalUrl, telecareToken),
    // The telecare provider carries a meter's proof of consent to the relay under its own credential.
    async enrol(proof) {
      const response = await post(`${env.internalUrl}/api/dcc/enrolments`, telecareToken(), JSON.stringify(proof));
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
        throw new PartyError(TELECARE_PARTY_ID, 'REFUSED_BY_RELAY', `the relay refused the proof (${body?.error?.code ?? response.status}): ${body?.error?.message ?? 'no reason given'}`);
      }
      return (await response.json()) as EnrolmentAcceptance;
    },
  };
  const telecare: TelecareContext = { ...base, kek: hexToBytes(telecareKekHex()), relay: telecareRelay };
  // Public keys the relay publishes: the supplier's channel key, the DNO's load-control command key.
  const ready = registerParties({ relay, supplier, dno });
  if (env.drainIntervalMs > 0) {
    // Retries (after back-off) and anything a crash left queued.
    const timer = setInterval(() => void relay.deliverInBackground(), env.drainIntervalMs);
    timer.unref();
  }
  return { db, relay, supplier, dno, telecare, ready };
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
