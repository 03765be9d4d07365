import { describe, expect, it } from 'vitest';
import { describeStatusWord, isSecuredStatus, statusCategory } from './status-words';

describe('status words (ISO/IEC 7816-4 §5.6, GP Card Specification §11.1.3)', () => {
  it('names the common ones', () => {
    expect(describeStatusWord(0x9000)).toMatchObject({ hex: '9000', category: 'success', name: 'SUCCESS' });
    expect(describeStatusWord(0x6982).name).toBe('SECURITY_STATUS_NOT_SATISFIED');
    expect(describeStatusWord(0x6a88).meaning).toMatch(/referenced data/i);
    expect(describeStatusWord(0x6283).category).toBe('warning');
    for (const sw of [0x6581, 0x6700, 0x6882, 0x6983, 0x6985, 0x6a80, 0x6a82, 0x6a84, 0x6a86, 0x6d00, 0x6e00, 0x6f00, 0x6400, 0x6310]) {
      expect(describeStatusWord(sw).name).not.toBe('UNKNOWN');
    }
  });

  it('decodes the variable ones (61xx, 6Cxx, 63Cx) and groups unknown values by SW1', () => {
    expect(describeStatusWord(0x6110).meaning).toContain('16 response bytes');
    expect(describeStatusWord(0x6c08).meaning).toContain('8 bytes');
    expect(describeStatusWord(0x63c2).meaning).toContain('counter value 2');
    expect(describeStatusWord(0x6a99)).toMatchObject({ name: 'UNKNOWN', category: 'error' });
    expect(describeStatusWord(0x6a99).meaning).toMatch(/wrong parameters/i);
  });

  it('classifies for secure messaging: only 9000, 62xx and 63xx responses are protected', () => {
    expect(isSecuredStatus(0x9000)).toBe(true);
    expect(isSecuredStatus(0x6310)).toBe(true);
    expect(isSecuredStatus(0x6a82)).toBe(false);
    expect(statusCategory(0x6100)).toBe('warning');
    expect(() => describeStatusWord(0x10000)).toThrow(RangeError);
    expect(() => describeStatusWord(1.5)).toThrow(TypeError);
  });
});
