// The masked-share sum (Decision 13) against masks that cancel by construction, independent of the
// applet; test/dno.test.ts checks it against the published aggregation applet itself.
import { describe, expect, it } from 'vitest';
import { FeederSharesError, recoverFeederTotals, SHARE_MODULUS } from './feeder-totals';

/** Shares of a feeder with random pairwise masks that cancel. */
function maskedFeeder(values: number[][], seed = 1): Map<string, number[]> {
  let x = seed;
  const rnd = () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x;
  };
  const meters = values.map((v) => [...v]);
  for (let i = 0; i < meters.length; i++) {
    for (let j = i + 1; j < meters.length; j++) {
      for (let t = 0; t < meters[i]!.length; t++) {
        const m = rnd();
        meters[i]![t] = (meters[i]![t]! + m) % SHARE_MODULUS;
        meters[j]![t] = (meters[j]![t]! - m + SHARE_MODULUS) % SHARE_MODULUS;
      }
    }
  }
  return new Map(meters.map((v, i) => [`m${i}`, v]));
}

describe('recoverFeederTotals', () => {
  const values = Array.from({ length: 6 }, (_, i) => Array.from({ length: 48 }, (_, t) => 100 * i + t));
  const ids = values.map((_, i) => `m${i}`);
  const truth = Array.from({ length: 48 }, (_, t) => values.reduce((s, v) => s + v[t]!, 0));

  it('sums masked shares to the true per-period totals, while one share is far from its home’s value', () => {
    const shares = maskedFeeder(values);
    expect(recoverFeederTotals(shares, ids)).toEqual(truth);
    expect(shares.get('m0')!.filter((s, t) => s === values[0]![t])).toEqual([]);
  });

  it('reports a period with a missing meter as incomplete, never as a wrong number', () => {
    const shares = maskedFeeder(values);
    shares.get('m3')![7] = null as unknown as number;
    const totals = recoverFeederTotals(shares, ids);
    expect(totals[7]).toBe('incomplete');
    expect(totals.filter((t) => t === 'incomplete')).toHaveLength(1);
    shares.delete('m5');
    expect(recoverFeederTotals(shares, ids).every((t) => t === 'incomplete')).toBe(true);
  });

  it('handles 46- and 50-period days and a meter that sent fewer periods', () => {
    expect(recoverFeederTotals(maskedFeeder(values.map((v) => v.slice(0, 46))), ids)).toEqual(truth.slice(0, 46));
    const long = maskedFeeder(values.map((v) => [...v, 1, 2]));
    long.set('m0', long.get('m0')!.slice(0, 49));
    const totals = recoverFeederTotals(long, ids);
    expect(totals).toHaveLength(50);
    expect(totals[49]).toBe('incomplete');
  });

  it('refuses garbage: shares out of range, strangers, small feeders, wrong types', () => {
    const shares = maskedFeeder(values);
    expect(() => recoverFeederTotals(new Map([...shares, ['intruder', [1]]]), ids)).toThrow(FeederSharesError);
    expect(() => recoverFeederTotals(new Map([['m0', [-1]]]), ids)).toThrow(/integers/);
    expect(() => recoverFeederTotals(new Map([['m0', [SHARE_MODULUS]]]), ids)).toThrow(/integers/);
    expect(() => recoverFeederTotals(new Map([['m0', [1.5]]]), ids)).toThrow(/integers/);
    expect(() => recoverFeederTotals(new Map([['m0', 'abc' as unknown as number[]]]), ids)).toThrow(/array/);
    expect(() => recoverFeederTotals(new Map([['m0', Array(51).fill(0)]]), ids)).toThrow(/at most 50/);
    expect(() => recoverFeederTotals(shares, ids.slice(0, 4))).toThrow(/at least 5/);
    expect(() => recoverFeederTotals(shares, 'm0' as unknown as string[])).toThrow(TypeError);
  });
});
