// DCC relay: a meter host's downlink stream (DESIGN.md Decision 1: one multiplexed downlink stream
// per host). NDJSON: every command still queued for the host's meters first (a reconnect gets
// back whatever was not acknowledged), then each new one as a party queues it, keep-alives in
// between. The stream ends after a few minutes; the host reconnects. Commands leave the queue only
// when the host acknowledges them (POST /api/dcc/ack).
import { streamDownlinks, type DownlinkStreamLine } from '@hydra/dcc';
import { bytesToBase64Url } from '@hydra/globalplatform';
import { authorize } from '@/lib/server/auth';
import { hostMetersSchema, readJson, toErrorResponse } from '@/lib/server/http';
import { services } from '@/lib/server/services';

/** How long one stream stays open, and the longest silence before a keep-alive. */
const MAX_MS = 4 * 60_000;
const KEEPALIVE_MS = 15_000;

export async function POST(request: Request) {
  const auth = authorize(request, 'meter-host', 'POST /api/dcc/downlinks/stream');
  if ('refusal' in auth) return auth.refusal;
  try {
    const { worldId, meterIds } = await readJson(request, hostMetersSchema);
    const { relay } = await services();
    await relay.requireRegistered(worldId, meterIds, 'downlink stream');
    const started = performance.now();
    const abort = new AbortController();
    request.signal.addEventListener('abort', () => abort.abort(), { once: true });
    const lines = streamDownlinks(relay, worldId, meterIds, {
      maxMs: MAX_MS,
      keepaliveMs: KEEPALIVE_MS,
      elapsed: () => performance.now() - started,
      abort: abort.signal,
      encode: bytesToBase64Url,
    });
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await lines.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(`${JSON.stringify(next.value satisfies DownlinkStreamLine)}\n`));
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel() {
        abort.abort();
        await lines.return(undefined);
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store, no-transform', 'x-accel-buffering': 'no' } });
  } catch (error) {
    return toErrorResponse(error);
  }
}
