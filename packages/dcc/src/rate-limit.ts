/**
 * Token-bucket rate limits for the relay: per meter (uplinks) and per party (downlinks), so one
 * noisy meter or party cannot crowd out the rest. A bucket holds at most `burst` tokens and refills
 * at `perSecond`; each message takes one. Time is injected (STYLE.md rule 6).
 *
 * The buckets live in the relay process's memory: with several relay processes, each limits its
 * own share (a broker-backed deployment would keep them beside the queue).
 */

/** One limit: sustained rate and burst. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** The outcome of taking a token. */
export type TakeResult = { ok: true } | { ok: false; retryAfterMs: number };

/** Options for {@link TokenBuckets}. */
export interface TokenBucketsOptions {
  limit: RateLimit;
  /** Milliseconds, monotonic enough for rate limiting. */
  now: () => number;
  /** Buckets kept before idle (full) ones are forgotten (default 100 000). */
  maxKeys?: number;
}

/** Buckets keyed by meter or party id. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly limit: RateLimit;
  private readonly now: () => number;
  private readonly maxKeys: number;

  /** @throws {RangeError} when the rate or burst is not a positive number. */
  constructor(options: TokenBucketsOptions) {
    const { perSecond, burst } = options.limit;
    if (!(perSecond > 0) || !Number.isFinite(perSecond)) throw new RangeError(`rate limit: perSecond must be a positive number, got ${perSecond}`);
    if (!(burst >= 1) || !Number.isFinite(burst)) throw new RangeError(`rate limit: burst must be at least 1, got ${burst}`);
    this.limit = options.limit;
    this.now = options.now;
    this.maxKeys = options.maxKeys ?? 100_000;
  }

  /** Takes one token for `key`, or says how long until one is available. */
  take(key: string): TakeResult {
    const at = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at };
    const refilled = Math.min(this.limit.burst, bucket.tokens + ((at - bucket.at) / 1000) * this.limit.perSecond);
    if (refilled < 1) {
      this.buckets.set(key, { tokens: refilled, at });
      return { ok: false, retryAfterMs: Math.ceil(((1 - refilled) / this.limit.perSecond) * 1000) };
    }
    if (!this.buckets.has(key) && this.buckets.size >= this.maxKeys) this.evict(at);
    this.buckets.set(key, { tokens: refilled - 1, at });
    return { ok: true };
  }

  private evict(at: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((at - bucket.at) / 1000) * this.limit.perSecond >= this.limit.burst) this.buckets.delete(key);
    }
    // Still full of busy keys: forget the oldest quarter rather than grow without bound.
    if (this.buckets.size >= this.maxKeys) {
      let drop = Math.ceil(this.maxKeys / 4);
      for (const key of this.buckets.keys()) {
        if (drop-- <= 0) break;
        this.buckets.delete(key);
      }
    }
  }
}
