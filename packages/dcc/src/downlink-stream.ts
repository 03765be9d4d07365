/**
 * Downlink commands pushed to a meter host over one long-lived stream (DESIGN.md Decision 1: one
 * multiplexed downlink stream per host), instead of the host polling for them.
 *
 * - {@link DownlinkSignal}: the relay notes each downlink it queues; subscribers for those meters wake.
 * - {@link streamDownlinks}: what a stream sends — every command still queued for the host's meters
 *   (so a reconnect redelivers whatever was not acknowledged), then each new one as it is queued,
 *   each at most once per stream, with keep-alives in between; it ends after `maxMs` (the host
 *   reconnects) or when the host goes away.
 * - {@link DownlinkStreamReader}: the host's end, reading NDJSON lines from a `fetch` body.
 *
 * Delivery stays at least once with the hub's acknowledgement (`/api/dcc/ack`) as the only thing
 * that removes a command; the meter dedupes commands by message id.
 */
import type { PendingDownlink } from './relay';

/** One host's interest in its meters' downlinks: a flag set by each notification, and a wait on it. */
export interface DownlinkSubscription {
  /** Whether a downlink was queued for these meters since the last {@link DownlinkSubscription.clear}. */
  readonly dirty: boolean;
  clear(): void;
  /** Resolves `true` when dirty (at once if already), `false` after `timeoutMs` or on `abort`. */
  wait(timeoutMs: number, abort?: AbortSignal): Promise<boolean>;
  close(): void;
}

/** Tells subscribers when downlink commands are queued for their meters (in-process; one per relay). */
export class DownlinkSignal {
  private readonly subscribers = new Set<{ worldId: string; meterIds: ReadonlySet<string>; mark: () => void }>();

  /** Notes that a downlink for `meterId` in `worldId` was queued. */
  notify(worldId: string, meterId: string): void {
    for (const subscriber of this.subscribers) {
      if (subscriber.worldId === worldId && subscriber.meterIds.has(meterId)) subscriber.mark();
    }
  }

  /** Subscribes to downlinks queued for `meterIds` of `worldId`; `close` it when done. */
  subscribe(worldId: string, meterIds: ReadonlySet<string>): DownlinkSubscription {
    let dirty = false;
    let wake: (() => void) | null = null;
    const entry = {
      worldId,
      meterIds,
      mark: () => {
        dirty = true;
        wake?.();
      },
    };
    this.subscribers.add(entry);
    return {
      get dirty() {
        return dirty;
      },
      clear: () => {
        dirty = false;
      },
      wait: (timeoutMs, abort) =>
        new Promise<boolean>((resolve) => {
          if (dirty) return resolve(true);
          if (abort?.aborted) return resolve(false);
          const finish = (woken: boolean) => {
            clearTimeout(timer);
            wake = null;
            abort?.removeEventListener('abort', onAbort);
            resolve(woken);
          };
          const onAbort = () => finish(false);
          const timer = setTimeout(() => finish(false), timeoutMs);
          wake = () => finish(true);
          abort?.addEventListener('abort', onAbort, { once: true });
        }),
      close: () => {
        wake?.();
        this.subscribers.delete(entry);
      },
    };
  }

  /** Open subscriptions (for tests and diagnostics). */
  get size(): number {
    return this.subscribers.size;
  }
}

/** One line of a downlink stream (NDJSON). Envelopes travel as base64url. */
export type DownlinkStreamLine =
  | { type: 'downlinks'; downlinks: { messageId: string; meterId: string; envelope: string }[] }
  | { type: 'keepalive' }
  | { type: 'end'; reason: 'max-duration' };

/** Where the stream takes commands from: the relay. */
export interface DownlinkSource {
  pendingDownlinks(worldId: string, meterIds: readonly string[]): Promise<PendingDownlink[]>;
  readonly downlinkSignal: DownlinkSignal;
}

/** Options for {@link streamDownlinks}. */
export interface StreamDownlinksOptions {
  /** Ends the stream (the host reconnects and anything unacknowledged comes again). */
  maxMs: number;
  /** Longest silence before a keep-alive line. */
  keepaliveMs: number;
  /** Elapsed milliseconds (injected: no clock in domain code). */
  elapsed: () => number;
  /** The host went away. */
  abort?: AbortSignal;
  /** Encodes an envelope for the line. */
  encode: (envelope: Uint8Array) => string;
}

/**
 * The lines of one host's downlink stream.
 * @param source - the relay.
 * @param worldId - the host's world.
 * @param meterIds - the meters the host runs (registered in `worldId`; the caller checks).
 */
export async function* streamDownlinks(source: DownlinkSource, worldId: string, meterIds: readonly string[], options: StreamDownlinksOptions): AsyncGenerator<DownlinkStreamLine> {
  const meters = new Set(meterIds);
  const sent = new Set<string>();
  let first = true;
  // Subscribed before the first look, so a command queued between a look and a wait still counts.
  const subscription = source.downlinkSignal.subscribe(worldId, meters);
  try {
    while (!options.abort?.aborted) {
      const remaining = options.maxMs - options.elapsed();
      if (remaining <= 0) {
        yield { type: 'end', reason: 'max-duration' };
        return;
      }
      subscription.clear();
      const pending = await source.pendingDownlinks(worldId, meterIds);
      // Sent once per stream; forgotten once acknowledged (no longer pending).
      const pendingIds = new Set(pending.map((p) => p.messageId));
      for (const id of [...sent]) if (!pendingIds.has(id)) sent.delete(id);
      const fresh = pending.filter((p) => !sent.has(p.messageId));
      // The first line is always the snapshot (possibly empty): the host knows the stream is live.
      if (fresh.length > 0 || first) {
        first = false;
        for (const p of fresh) sent.add(p.messageId);
        yield { type: 'downlinks', downlinks: fresh.map((p) => ({ messageId: p.messageId, meterId: p.meterId, envelope: options.encode(p.envelope) })) };
        continue;
      }
      const woken = await subscription.wait(Math.min(options.keepaliveMs, remaining), options.abort);
      if (!woken && !options.abort?.aborted && options.elapsed() < options.maxMs) yield { type: 'keepalive' };
    }
  } finally {
    subscription.close();
  }
}

/** A downlink as the host receives it. */
export interface StreamedDownlink {
  messageId: string;
  meterId: string;
  envelope: Uint8Array;
}

/**
 * Reads one stream's NDJSON body into the host's buffer of commands, line by line.
 * @param body - the response body.
 * @param decode - base64url to bytes.
 * @param onLine - called for each parsed line (downlinks decoded).
 * @throws {SyntaxError} for a line that is not JSON of a known type (a broken stream).
 */
export async function readDownlinkStream(
  body: ReadableStream<Uint8Array>,
  decode: (text: string) => Uint8Array,
  onLine: (line: { type: 'downlinks'; downlinks: StreamedDownlink[] } | { type: 'keepalive' } | { type: 'end' }) => void,
): Promise<void> {
  const reader = body.getReader();
  const text = new TextDecoder();
  let buffered = '';
  const take = (line: string) => {
    if (line.trim() === '') return;
    const parsed = JSON.parse(line) as DownlinkStreamLine;
    if (parsed.type === 'downlinks' && Array.isArray(parsed.downlinks)) {
      onLine({ type: 'downlinks', downlinks: parsed.downlinks.map((d) => ({ messageId: String(d.messageId), meterId: String(d.meterId), envelope: decode(String(d.envelope)) })) });
    } else if (parsed.type === 'keepalive' || parsed.type === 'end') {
      onLine({ type: parsed.type });
    } else {
      throw new SyntaxError(`downlink stream: unknown line ${line.slice(0, 60)}`);
    }
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += text.decode(value, { stream: true });
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      take(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
  }
  take(buffered + text.decode());
}

/** Options for {@link HostDownlinkStream}. */
export interface HostDownlinkStreamOptions {
  /** The relay, e.g. `http://127.0.0.1:3000`. */
  origin: string;
  fetchImpl: typeof fetch;
  worldId: string;
  meterIds: readonly string[];
  decode: (text: string) => Uint8Array;
  /** Pause before reconnecting after a failure (default 1 s). */
  retryMs?: number;
}

/**
 * The host's end of its downlink stream: keeps `POST /api/dcc/downlinks/stream` open (reconnecting
 * when it ends or fails) and mirrors what the relay holds for the host's meters — commands arrive
 * as they are queued and leave when the hub acknowledges them, so {@link HostDownlinkStream.take}
 * answers as a wake would, without a request.
 */
export class HostDownlinkStream {
  /** Unacknowledged commands by message id, in arrival order (per channel: the relay's order). */
  private readonly held = new Map<string, StreamedDownlink>();
  /** Arrived since the last {@link HostDownlinkStream.take} that returned them. */
  private readonly unseen = new Set<string>();
  private readonly waiters = new Set<{ satisfied: () => boolean; wake: () => void }>();
  private readonly abort = new AbortController();
  private live = false;
  private liveWaiters: (() => void)[] = [];
  /** Why the stream last failed (null while it is live or before it first fails). */
  lastError: Error | null = null;

  constructor(private readonly options: HostDownlinkStreamOptions) {
    void this.run();
  }

  /** The meters the stream covers. */
  get meterIds(): readonly string[] {
    return this.options.meterIds;
  }

  /**
   * Resolves `true` once the stream has delivered its first snapshot (now or within `timeoutMs`),
   * `false` if it did not — the caller then asks the relay directly.
   */
  ready(timeoutMs: number): Promise<boolean> {
    if (this.live) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.liveWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** The unacknowledged commands for `meterIds`, oldest first. */
  take(meterIds: readonly string[]): StreamedDownlink[] {
    const wanted = new Set(meterIds);
    const taken = [...this.held.values()].filter((d) => wanted.has(d.meterId));
    for (const d of taken) this.unseen.delete(d.messageId);
    return taken;
  }

  /** Forgets acknowledged commands. */
  acknowledged(messageIds: readonly string[]): void {
    for (const id of messageIds) {
      this.held.delete(id);
      this.unseen.delete(id);
    }
  }

  /**
   * Resolves once every one of `meterIds` has a command that no {@link HostDownlinkStream.take}
   * returned yet (at once if they already have), or after `timeoutMs` — so a hub waiting on the
   * parties' next commands takes them together in one round, and never waits longer than it
   * would have paused.
   */
  awaitNew(meterIds: readonly string[], timeoutMs: number): Promise<void> {
    const wanted = new Set(meterIds);
    const satisfied = () => {
      const have = new Set([...this.unseen].map((id) => this.held.get(id)?.meterId));
      return [...wanted].every((id) => have.has(id));
    };
    if (satisfied()) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve();
      };
      const waiter = { satisfied, wake: finish };
      const timer = setTimeout(finish, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Closes the stream for good. */
  close(): void {
    this.abort.abort();
    for (const waiter of [...this.waiters]) waiter.wake();
  }

  private async run(): Promise<void> {
    const { origin, fetchImpl, worldId, meterIds, decode } = this.options;
    while (!this.abort.signal.aborted) {
      let snapshot = true;
      try {
        const response = await fetchImpl(`${origin}/api/dcc/downlinks/stream`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ worldId, meterIds }),
          signal: this.abort.signal,
        });
        if (!response.ok || !response.body) {
          const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
          throw new Error(body?.error?.message ?? `downlink stream: relay answered HTTP ${response.status}`);
        }
        await readDownlinkStream(response.body, decode, (line) => {
          if (line.type !== 'downlinks') return;
          // A (re)connection starts from the relay's snapshot: what it no longer holds is gone.
          if (snapshot) {
            snapshot = false;
            const current = new Set(line.downlinks.map((d) => d.messageId));
            for (const id of [...this.held.keys()]) {
              if (current.has(id)) continue;
              this.held.delete(id);
              this.unseen.delete(id);
            }
          }
          const arrived = new Set<string>();
          for (const d of line.downlinks) {
            if (!this.held.has(d.messageId)) {
              arrived.add(d.meterId);
              this.unseen.add(d.messageId);
            }
            this.held.set(d.messageId, d);
          }
          this.lastError = null;
          this.markLive();
          if (arrived.size > 0) for (const waiter of [...this.waiters]) if (waiter.satisfied()) waiter.wake();
        });
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.lastError = error instanceof Error ? error : new Error(String(error));
      }
      this.live = false;
      if (this.abort.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, this.lastError ? (this.options.retryMs ?? 1000) : 0));
    }
  }

  private markLive(): void {
    this.live = true;
    const waiting = this.liveWaiters;
    this.liveWaiters = [];
    for (const wake of waiting) wake();
  }
}
