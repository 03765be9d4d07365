import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './rate-limit';

describe('token buckets', () => {
  it('allows the burst, then refuses with the time until the next token, then refills at the rate', () => {
    let now = 0;
    const buckets = new TokenBuckets({ limit: { perSecond: 2, burst: 3 }, now: () => now });
    expect([buckets.take('m1'), buckets.take('m1'), buckets.take('m1')].every((r) => r.ok)).toBe(true);
    expect(buckets.take('m1')).toEqual({ ok: false, retryAfterMs: 500 });
    // Another key has its own bucket.
    expect(buckets.take('m2').ok).toBe(true);
    now = 499;
    expect(buckets.take('m1').ok).toBe(false);
    now = 1000; // one second at 2/s: two tokens
    expect(buckets.take('m1').ok).toBe(true);
    expect(buckets.take('m1').ok).toBe(true);
    expect(buckets.take('m1').ok).toBe(false);
    // Never more than the burst, however long idle.
    now = 1_000_000;
    for (let i = 0; i < 3; i++) expect(buckets.take('m1').ok).toBe(true);
    expect(buckets.take('m1').ok).toBe(false);
  });

  it('forgets idle keys instead of growing without bound', () => {
    let now = 0;
    const buckets = new TokenBuckets({ limit: { perSecond: 1, burst: 1 }, now: () => now, maxKeys: 10 });
    for (let i = 0; i < 100; i++) {
      now += 10;
      expect(buckets.take(`k${i}`).ok).toBe(true);
    }
    expect((buckets as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThanOrEqual(10);
  });

  it('rejects nonsensical limits', () => {
    expect(() => new TokenBuckets({ limit: { perSecond: 0, burst: 1 }, now: () => 0 })).toThrow(RangeError);
    expect(() => new TokenBuckets({ limit: { perSecond: 1, burst: 0 }, now: () => 0 })).toThrow(/burst/);
  });
});
