import { describe, expect, it } from 'vitest';
import { datesBetween } from '../calendar';
import { createHomeProfile, simulateHomeDay } from '../home/index';
import { inferActive, scoreOccupancyInference } from './occupancy-inference';

describe('occupancy inference from half-hourly reads', () => {
  it('reads occupancy from raw half-hourly data far better than guessing', () => {
    const days = [];
    for (let index = 0; index < 8; index++) {
      const profile = createHomeProfile('inference-test', index);
      for (const date of datesBetween('2025-03-03', '2025-03-17')) {
        const day = simulateHomeDay(profile, date);
        days.push({ importWh: Array.from(day.importWh), occupancy: day.occupancy });
      }
    }
    const score = scoreOccupancyInference(days);
    expect(score.halfHours).toBe(8 * 14 * 48);
    expect(score.accuracy).toBeGreaterThan(score.baseline + 0.05);
    expect(score.daysWithWake).toBeGreaterThan(50);
    expect(score.wakeWithin30).toBeGreaterThan(0.3);
  });

  it('finds nothing to infer from a flat profile', () => {
    expect(inferActive(new Array(48).fill(100)).some(Boolean)).toBe(false);
  });
});
