/**
 * The comms hub's HTTP transport in the browser: real requests to the relay's routes.
 */
import type { HubTransport } from '@hydra/dcc';
import { base64UrlToBytes } from '@hydra/globalplatform';

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
  }
  return (await response.json()) as T;
}

/** The relay over HTTP, relative to the page's origin. */
export function createHttpTransport(origin: string): HubTransport {
  const post = (path: string, body: unknown) =>
    fetch(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return {
    async register(registrations) {
      // Public keys out, certificates from the manufacturer CA back (its key stays on the server).
      return json(await post('/api/dcc/meters', { registrations }));
    },
    async wake(worldId, meterIds) {
      const out: { messageId: string; meterId: string; envelope: Uint8Array }[] = [];
      // Bounded batches keep request bodies small for large worlds.
      for (let i = 0; i < meterIds.length; i += 500) {
        const { downlinks } = await json<{ downlinks: { messageId: string; meterId: string; envelope: string }[] }>(
          await post('/api/dcc/wake', { worldId, meterIds: meterIds.slice(i, i + 500) }),
        );
        for (const d of downlinks) out.push({ messageId: d.messageId, meterId: d.meterId, envelope: base64UrlToBytes(d.envelope) });
      }
      return out;
    },
    async post(envelopes) {
      const results: Awaited<ReturnType<HubTransport['post']>> = [];
      for (const envelope of envelopes) {
        const response = await fetch(`${origin}/api/dcc/uplink`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(envelope) });
        const body = (await response.json().catch(() => ({}))) as { status?: string; error?: { code: string; message: string } };
        if (response.ok && (body.status === 'accepted' || body.status === 'already-delivered')) results.push({ status: body.status as 'accepted' | 'already-delivered' });
        else if (response.status >= 400 && response.status < 500) results.push({ status: 'refused' as const, code: body.error?.code ?? String(response.status), message: body.error?.message ?? 'refused' });
        else throw new Error(body.error?.message ?? `relay unavailable (HTTP ${response.status})`);
      }
      return results;
    },
    async acknowledge(acks) {
      await json(await post('/api/dcc/ack', { acks }));
    },
  };
}
