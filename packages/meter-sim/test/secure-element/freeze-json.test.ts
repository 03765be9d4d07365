// What the card keeps of the values an applet stores or sends: plain JSON is frozen in place and
// kept (marked as checked, so storing it again costs no second check); anything else is kept as
// its JSON round trip, so no getter, class instance or foreign frozen object survives into a record.
import { describe, expect, it } from 'vitest';
import { adoptJson, freezeChecked, freezeJson } from '../../src/secure-element/freeze-json';
import type { Json } from '@hydra/globalplatform';

const deepFrozen = (value: unknown): boolean =>
  value === null || typeof value !== 'object' || (Object.isFrozen(value) && Object.values(value).every((item) => deepFrozen(item)));

describe('adoptJson', () => {
  it('keeps plain JSON itself, frozen all the way down', () => {
    const value = { date: '2025-01-01', shares: [1, 2, 3], nested: { ok: true, none: null } };
    const adopted = adoptJson(value);
    expect(adopted).toBe(value);
    expect(deepFrozen(adopted)).toBe(true);
    expect(() => {
      (adopted.shares as number[]).push(4);
    }).toThrow(TypeError);
  });

  it('keeps values it adopted before by identity inside a new value (no copy, no second check)', () => {
    const days = [adoptJson({ date: '2025-01-01', wh: 1 }), adoptJson({ date: '2025-01-02', wh: 2 })];
    const next = adoptJson([...days, { date: '2025-01-03', wh: 3 }]);
    expect(next[0]).toBe(days[0]);
    expect(next[1]).toBe(days[1]);
    expect(deepFrozen(next)).toBe(true);
  });

  it('copies a value with a getter: the copy holds the value read once, and the getter never runs again', () => {
    let reads = 0;
    const tricky = {
      get wh() {
        reads += 1;
        return reads === 1 ? 10 : 999;
      },
    };
    const adopted = adoptJson({ day: tricky } as unknown as Json) as { day: { wh: number } };
    // (Compared as a boolean: the matcher would read the getter itself.)
    expect(adopted.day === (tricky as unknown)).toBe(false);
    expect(Object.getOwnPropertyDescriptor(adopted.day, 'wh')).toMatchObject({ value: 10, writable: false });
    expect(adopted.day.wh).toBe(10);
    expect(reads).toBe(1);
  });

  it('copies an object someone else froze (it carries no mark), even one holding a getter among adopted values', () => {
    const foreign = Object.freeze({ wh: 5 });
    const adopted = adoptJson([foreign] as Json) as { wh: number }[];
    expect(adopted[0]).not.toBe(foreign);
    expect(adopted[0]).toEqual({ wh: 5 });
    expect(deepFrozen(adopted)).toBe(true);

    const frozenGetter = Object.freeze(Object.defineProperty({}, 'wh', { get: () => 7, enumerable: true }));
    const mixed = adoptJson([adoptJson({ wh: 1 }), frozenGetter] as Json) as { wh: number }[];
    expect(Object.getOwnPropertyDescriptor(mixed[1], 'wh')).toMatchObject({ value: 7 });
  });

  it('turns what JSON cannot hold into what JSON keeps (class instances, NaN, undefined) and refuses cycles', () => {
    class Reading {
      wh = 3;
    }
    const adopted = adoptJson({ reading: new Reading(), bad: Number.NaN, gone: undefined } as unknown as Json) as Record<string, unknown>;
    expect(adopted).toEqual({ reading: { wh: 3 }, bad: null });
    expect(Object.getPrototypeOf(adopted.reading)).toBe(Object.prototype);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => adoptJson(cycle as Json)).toThrow(TypeError);
  });

  it('copies values frozen by freezeJson (the feed) but keeps values restored from JSON and marked by freezeChecked', () => {
    const feedPart = freezeJson({ minute: 1 });
    expect((adoptJson([feedPart] as Json) as Json[])[0]).not.toBe(feedPart);
    const restored = JSON.parse('{"days":[{"date":"2025-01-01"}]}') as { days: Json[] };
    freezeChecked(restored);
    expect(deepFrozen(restored)).toBe(true);
    const again = adoptJson([restored.days[0] as Json]);
    expect((again as Json[])[0]).toBe(restored.days[0]);
  });
});
