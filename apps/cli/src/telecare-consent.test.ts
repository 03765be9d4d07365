import { createHomeProfile } from '@hydra/meter-sim';
import { describe, expect, it } from 'vitest';
import { consentingHomes, parseTelecareSelection } from './telecare-consent';

describe('telecare consent selection', () => {
  it('parses none, all, single-pensioners and home numbers with ranges (deduplicated, sorted)', () => {
    expect(parseTelecareSelection('none')).toEqual({ kind: 'none' });
    expect(parseTelecareSelection('all')).toEqual({ kind: 'all' });
    expect(parseTelecareSelection('single-pensioners')).toEqual({ kind: 'single-pensioners' });
    expect(parseTelecareSelection('7-9,1,4,8')).toEqual({ kind: 'homes', numbers: [1, 4, 7, 8, 9] });
  });

  it('refuses anything else, saying what it accepts', () => {
    for (const bad of ['', 'some', '0', '3-1', '1,,2', '1;2', ' 1', '-1', '1-', 'pensioners']) {
      expect(() => parseTelecareSelection(bad), bad).toThrow(/none, all, single-pensioners or home numbers|ranges such as 7-9/);
    }
  });

  it('selects the homes: none, every home, the single pensioners of the seed, or the numbers given (0-based)', () => {
    expect(consentingHomes({ kind: 'none' }, 'hydra-demo', 13)).toEqual([]);
    expect(consentingHomes({ kind: 'all' }, 'hydra-demo', 3)).toEqual([0, 1, 2]);
    const pensioners = consentingHomes({ kind: 'single-pensioners' }, 'hydra-demo', 24);
    expect(pensioners.length).toBeGreaterThan(0);
    for (let index = 0; index < 24; index++) expect(pensioners.includes(index)).toBe(createHomeProfile('hydra-demo', index).archetype === 'single-pensioner');
    expect(consentingHomes({ kind: 'homes', numbers: [1, 13] }, 'hydra-demo', 13)).toEqual([0, 12]);
    expect(() => consentingHomes({ kind: 'homes', numbers: [14] }, 'hydra-demo', 13)).toThrow('telecare: home 14 is not in a world of 13 homes');
  });
});
