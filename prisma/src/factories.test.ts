import { describe, expect, it } from 'vitest';
import { homeRowsFor, londonMidnight, makeWorld, placeholderArchetypes } from './factories';

describe('makeWorld', () => {
  it('builds the demo world as the seed describes it', () => {
    const { world, homes } = makeWorld({ id: 'demo', seed: 'hydra-demo', homeCount: 24, startDate: '2025-01-01' });
    expect(world).toMatchObject({ id: 'demo', name: 'demo', mode: 'hydra', sharingPreset: 'hydra', homeCount: 24 });
    expect(world.clock.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(world.hostProgress.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(homes.map((home) => home.id).slice(0, 2)).toEqual(['demo-h0001', 'demo-h0002']);
    expect(homes.at(-1)).toMatchObject({ id: 'demo-h0024', meterId: 'demo-m0024', index: 23, feederId: 'demo-f03' });
    expect(new Set(homes.map((home) => home.meterId)).size).toBe(24);
  });

  it('is deterministic and copies the dates it is given', () => {
    const clock = new Date('2025-03-01T10:00:00Z');
    const a = makeWorld({ seed: 's', homeCount: 7, clock });
    clock.setTime(0);
    expect(a).toEqual(makeWorld({ seed: 's', homeCount: 7, clock: new Date('2025-03-01T10:00:00Z') }));
    expect(a.world.clock.toISOString()).toBe('2025-03-01T10:00:00.000Z');
  });

  it('puts every feeder at or above the 5-meter aggregation floor when homes divide evenly', () => {
    const perFeeder = new Map<string, number>();
    for (const home of homeRowsFor({ id: 'w', seed: 's', homeCount: 24 })) perFeeder.set(home.feederId, (perFeeder.get(home.feederId) ?? 0) + 1);
    expect([...perFeeder.values()]).toEqual([8, 8, 8]);
    expect(homeRowsFor({ id: 'w', seed: 's', homeCount: 5 }).map((home) => home.archetype)).toEqual([...placeholderArchetypes]);
  });

  it('refuses bad options, naming the field', () => {
    expect(() => makeWorld({ seed: 's', homeCount: 0 })).toThrow(new RangeError('homeCount: expected an integer 1–9999, got 0'));
    expect(() => makeWorld({ seed: 's', homeCount: 10_000 })).toThrow(RangeError);
    expect(() => makeWorld({ seed: 's', homeCount: 1.5 })).toThrow(RangeError);
    expect(() => makeWorld({ seed: 's', homeCount: '3' as unknown as number })).toThrow(new TypeError('homeCount: expected a number, got string'));
    expect(() => makeWorld({ seed: '', homeCount: 1 })).toThrow('seed: expected a non-empty string, got ""');
    expect(() => makeWorld({ seed: 1 as unknown as string, homeCount: 1 })).toThrow(TypeError);
    expect(() => makeWorld({ id: 'Demo', seed: 's', homeCount: 1 })).toThrow(/^id: expected lower-case/);
    expect(() => makeWorld({ id: 'x'.repeat(41), seed: 's', homeCount: 1 })).toThrow(RangeError);
    expect(() => makeWorld({ seed: 's', homeCount: 1, startDate: '2025-02-30' })).toThrow('startDate: expected a calendar date YYYY-MM-DD, got "2025-02-30"');
    expect(() => makeWorld({ seed: 's', homeCount: 1, startDate: '1/1/2025' })).toThrow(RangeError);
    expect(() => makeWorld({ seed: 's', homeCount: 1, mode: 'central' as 'hydra' })).toThrow(/^mode:/);
    expect(() => makeWorld({ seed: 's', homeCount: 1, sharingPreset: 'daily' as 'hydra' })).toThrow(/^sharingPreset:/);
    expect(() => makeWorld({ seed: 's', homeCount: 1, clock: new Date(Number.NaN) })).toThrow('clock: expected a valid Date, got Invalid Date');
    expect(() => makeWorld({ seed: 's', homeCount: 1, hostProgress: '2025-01-01' as unknown as Date })).toThrow(TypeError);
  });
});

describe('londonMidnight', () => {
  it('is 00:00Z in GMT and 23:00Z the day before in BST, including clock-change days', () => {
    expect(londonMidnight('2025-01-01').toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(londonMidnight('2025-06-01').toISOString()).toBe('2025-05-31T23:00:00.000Z');
    expect(londonMidnight('2025-03-30').toISOString()).toBe('2025-03-30T00:00:00.000Z'); // spring forward at 01:00Z
    expect(londonMidnight('2025-10-26').toISOString()).toBe('2025-10-25T23:00:00.000Z'); // fall back at 01:00Z
  });

  it('refuses a non-date', () => {
    expect(() => londonMidnight('2025-13-01')).toThrow(RangeError);
  });
});
