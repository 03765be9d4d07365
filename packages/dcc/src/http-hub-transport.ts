/**
 * The comms hub's HTTP transport: real requests to the relay's meter-host routes
 * (`/api/dcc/{meters,wake,uplink,ack}`) and one long-lived downlink stream per host
 * (`/api/dcc/downlinks/stream`, DESIGN.md Decision 1) that pushes each party's command as it is
 * queued; a wake reads what the stream holds and asks the relay directly only while the stream is
 * down. Registration answers with the manufacturer CA's
 * certificates (DESIGN.md Decision 3). Used by the browser's meter host (Web Worker), headless
 * fleets that drive a running app, tests and the benchmark. Browser-safe: only `fetch`.
 *
 * A meter host sends no bearer credential: the relay authenticates an uplink by its device
 * signature, and accepts registrations, wakes and acknowledgements only for the world's meters.
 */
import { base64UrlToBytes } from '@hydra/globalplatform';
import type { HubTransport } from './comms-hub';
import type { IssuedCertificates } from './manufacturer-ca';
import { decodeEnvelope } from './envelope';
import { HostDownlinkStream } from './downlink-stream';

/** Options for {@link createHttpHubTransport}. */
export interface HttpHubTransportOptions {
  /** Meters whose uplinks are posted at once (default 4); one meter's go one by one, in order. */
  concurrency?: number;
  /** Meter ids per wake request (default 500). */
  wakeBatch?: number;
  /** Receive downlinks over the relay's stream (default true); false polls with wake requests only. */
  stream?: boolean;
  /** How long a wake waits for a (re)connecting stream before asking the relay directly (default 5 s). */
  streamReadyMs?: number;
}

/** A transport that can also be closed (its downlink stream). */
export type HttpHubTransport = HubTransport & { close(): void };

/** The relay's answer when it is not 2xx: its message, or the status. */
async function json<T>(response: Response): Promise<T> {
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `relay answered HTTP ${response.status}`);
  }
  return (await response.json()) as T;
}

/**
 * The relay at `origin` over HTTP.
 * @param origin - e.g. `http://127.0.0.1:3000` or the page's `location.origin`.
 * @param fetchImpl - `fetch` (injected so a test can count or fail requests).
 * @returns a transport whose `post` reports 4xx refusals per envelope and throws on 5xx or a
 *   network failure (the hub then keeps those uplinks pending and posts them next cycle).
 */
export function createHttpHubTransport(origin: string, fetchImpl: typeof fetch, options: HttpHubTransportOptions = {}): HttpHubTransport {
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const wakeBatch = Math.max(1, options.wakeBatch ?? 500);
  const postJson = (path: string, body: unknown) =>
    fetchImpl(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  const postOne = async (envelope: Uint8Array): Promise<Awaited<ReturnType<HubTransport['post']>>[number]> => {
    const response = await fetchImpl(`${origin}/api/dcc/uplink`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(envelope) });
    const body = (await response.json().catch(() => ({}))) as { status?: string; error?: { code: string; message: string } };
    if (response.ok && (body.status === 'accepted' || body.status === 'already-delivered')) return { status: body.status };
    if (response.status >= 400 && response.status < 500) return { status: 'refused', code: body.error?.code ?? String(response.status), message: body.error?.message ?? 'refused' };
    throw new Error(body.error?.message ?? `relay unavailable (HTTP ${response.status})`);
  };

  // One stream per host, over every meter it has asked about in its world (reopened wider when a
  // wake names a meter it does not cover yet).
  let current: { worldId: string; stream: HostDownlinkStream } | null = null;
  const streamFor = (worldId: string, meterIds: readonly string[]): HostDownlinkStream | null => {
    if (options.stream === false || typeof ReadableStream === 'undefined') return null;
    const covered = current?.worldId === worldId ? new Set(current.stream.meterIds) : new Set<string>();
    if (current && current.worldId === worldId && meterIds.every((id) => covered.has(id))) return current.stream;
    current?.stream.close();
    const all = [...new Set([...covered, ...meterIds])];
    current = { worldId, stream: new HostDownlinkStream({ origin, fetchImpl, worldId, meterIds: all, decode: base64UrlToBytes }) };
    return current.stream;
  };

  return {
    async register(registrations) {
      // Public keys out; the manufacturer CA behind the relay (its key stays on the server)
      // answers with each meter's certificates, in request order.
      const certificates: IssuedCertificates[] = [];
      for (let i = 0; i < registrations.length; i += 1000) {
        const batch = await json<{ certificates: IssuedCertificates[] }>(await postJson('/api/dcc/meters', { registrations: registrations.slice(i, i + 1000) }));
        certificates.push(...batch.certificates);
      }
      return { certificates };
    },
    async wake(worldId, meterIds) {
      const stream = streamFor(worldId, meterIds);
      if (stream && (await stream.ready(options.streamReadyMs ?? 5000))) return stream.take(meterIds);
      const out: { messageId: string; meterId: string; envelope: Uint8Array }[] = [];
      // Bounded batches keep request bodies small for large worlds.
      for (let i = 0; i < meterIds.length; i += wakeBatch) {
        const { downlinks } = await json<{ downlinks: { messageId: string; meterId: string; envelope: string }[] }>(
          await postJson('/api/dcc/wake', { worldId, meterIds: meterIds.slice(i, i + wakeBatch) }),
        );
        for (const d of downlinks) out.push({ messageId: d.messageId, meterId: d.meterId, envelope: base64UrlToBytes(d.envelope) });
      }
      return out;
    },
    async post(envelopes) {
      const results: Awaited<ReturnType<HubTransport['post']>> = new Array(envelopes.length);
      // Per-channel order: a meter's uplinks go one after another; different meters in parallel.
      const byMeter = new Map<string, number[]>();
      envelopes.forEach((envelope, i) => {
        let meterId = '';
        try {
          meterId = decodeEnvelope(envelope).header.meterId;
        } catch {
          // The relay will refuse it with the reason; keep it in a group of its own.
          meterId = `#${i}`;
        }
        byMeter.set(meterId, [...(byMeter.get(meterId) ?? []), i]);
      });
      const groups = [...byMeter.values()];
      let next = 0;
      const worker = async () => {
        while (next < groups.length) {
          for (const i of groups[next++] ?? []) {
            const envelope = envelopes[i];
            if (envelope) results[i] = await postOne(envelope);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, groups.length) }, worker));
      return results;
    },
    async acknowledge(acks) {
      for (let i = 0; i < acks.length; i += 5000) await json(await postJson('/api/dcc/ack', { acks: acks.slice(i, i + 5000) }));
      current?.stream.acknowledged(acks.flatMap((ack) => ack.messageIds));
    },
    async awaitDownlinks(meterIds, timeoutMs) {
      const stream = current?.stream;
      if (stream && (await stream.ready(0))) return stream.awaitNew(meterIds, timeoutMs);
      await new Promise((resolve) => setTimeout(resolve, timeoutMs));
    },
    close() {
      current?.stream.close();
      current = null;
    },
  };
}
