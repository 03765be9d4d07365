// The downlink stream's parts: the relay's signal, the lines a stream sends (snapshot first, each
// command once, keep-alives, the end) and the host's reader (garbage, split and truncated lines).
import { describe, expect, it } from 'vitest';
import { DownlinkSignal, readDownlinkStream, streamDownlinks, type DownlinkSource } from './downlink-stream';
import type { PendingDownlink } from './relay';

const bytes = (n: number) => new Uint8Array([n, n + 1, n + 2]);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function source(): DownlinkSource & { queue(d: PendingDownlink, worldId?: string): void; ack(id: string): void } {
  const pending: (PendingDownlink & { worldId: string })[] = [];
  const downlinkSignal = new DownlinkSignal();
  return {
    downlinkSignal,
    async pendingDownlinks(worldId, meterIds) {
      return pending.filter((p) => p.worldId === worldId && meterIds.includes(p.meterId));
    },
    queue(d, worldId = 'w') {
      pending.push({ ...d, worldId });
      downlinkSignal.notify(worldId, d.meterId);
    },
    ack(id) {
      pending.splice(pending.findIndex((p) => p.messageId === id), 1);
    },
  };
}

describe('DownlinkSignal', () => {
  it('wakes a subscriber for its meters only, and marks it dirty when nobody waits', async () => {
    const signal = new DownlinkSignal();
    const sub = signal.subscribe('w', new Set(['m1']));
    signal.notify('w', 'm2');
    signal.notify('x', 'm1');
    expect(sub.dirty).toBe(false);
    const waiting = sub.wait(5_000);
    signal.notify('w', 'm1');
    expect(await waiting).toBe(true);
    sub.clear();
    expect(await sub.wait(10)).toBe(false);
    signal.notify('w', 'm1');
    expect(sub.dirty).toBe(true);
    expect(await sub.wait(5_000)).toBe(true); // already dirty: at once
    sub.close();
    expect(signal.size).toBe(0);
  });

  it('gives up on abort', async () => {
    const sub = new DownlinkSignal().subscribe('w', new Set(['m1']));
    const abort = new AbortController();
    const waiting = sub.wait(60_000, abort.signal);
    abort.abort();
    expect(await waiting).toBe(false);
  });
});

describe('streamDownlinks', () => {
  it('sends the snapshot first, then each new command once, a keep-alive in silence, and ends at its maximum', async () => {
    const relay = source();
    relay.queue({ messageId: 'a', meterId: 'm1', envelope: bytes(1) });
    relay.queue({ messageId: 'x', meterId: 'other', envelope: bytes(9) });
    let now = 0;
    const lines = streamDownlinks(relay, 'w', ['m1', 'm2'], { maxMs: 1_000, keepaliveMs: 20, elapsed: () => now, encode: hex });
    expect((await lines.next()).value).toEqual({ type: 'downlinks', downlinks: [{ messageId: 'a', meterId: 'm1', envelope: hex(bytes(1)) }] });
    // Nothing new: a keep-alive after the silence, not the same command again.
    expect((await lines.next()).value).toEqual({ type: 'keepalive' });
    setTimeout(() => relay.queue({ messageId: 'b', meterId: 'm2', envelope: bytes(2) }), 5);
    expect((await lines.next()).value).toEqual({ type: 'downlinks', downlinks: [{ messageId: 'b', meterId: 'm2', envelope: hex(bytes(2)) }] });
    now = 1_000;
    expect((await lines.next()).value).toEqual({ type: 'end', reason: 'max-duration' });
    expect((await lines.next()).done).toBe(true);
    expect(relay.downlinkSignal.size).toBe(0);
  });

  it('sends an empty snapshot when nothing is queued, and stops when the host goes away', async () => {
    const relay = source();
    const abort = new AbortController();
    const lines = streamDownlinks(relay, 'w', ['m1'], { maxMs: 60_000, keepaliveMs: 60_000, elapsed: () => 0, abort: abort.signal, encode: hex });
    expect((await lines.next()).value).toEqual({ type: 'downlinks', downlinks: [] });
    const next = lines.next();
    abort.abort();
    expect((await next).done).toBe(true);
    expect(relay.downlinkSignal.size).toBe(0);
  });
});

describe('readDownlinkStream', () => {
  const body = (...chunks: string[]) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });
  const decode = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));

  it('reads lines split across chunks, the last one without a newline', async () => {
    const lines: unknown[] = [];
    await readDownlinkStream(body('{"type":"downl', 'inks","downlinks":[{"messageId":"a","meterId":"m1","envelope":"0102"}]}\n{"type":"keep', 'alive"}\n{"type":"end","reason":"max-duration"}'), decode, (line) => lines.push(line));
    expect(lines).toEqual([{ type: 'downlinks', downlinks: [{ messageId: 'a', meterId: 'm1', envelope: new Uint8Array([1, 2]) }] }, { type: 'keepalive' }, { type: 'end' }]);
  });

  it('throws on garbage, an unknown line or a truncated one', async () => {
    await expect(readDownlinkStream(body('not json\n'), decode, () => undefined)).rejects.toThrow(SyntaxError);
    await expect(readDownlinkStream(body('{"type":"surprise"}\n'), decode, () => undefined)).rejects.toThrow(/unknown line/);
    await expect(readDownlinkStream(body('{"type":"downlinks","downl'), decode, () => undefined)).rejects.toThrow(SyntaxError);
  });
});
