// A host keeps one copy of each loaded package's source however many meters hold it; sharing must
// never hand a meter any text other than the one it loaded (strings compare by content, so what is
// checked is that no other text is ever substituted, whatever a stored state claims).
import { describe, expect, it } from 'vitest';
import { sharedSource } from '../../src/secure-element/load-file';

describe('sharedSource', () => {
  it('returns the text it is given, for a known hash and for one claimed with other text', () => {
    const text = 'export const manifest = {};'.repeat(3);
    expect(sharedSource('aa'.repeat(32), text)).toBe(text);
    expect(sharedSource('aa'.repeat(32), `${text}`)).toBe(text);
    expect(sharedSource('aa'.repeat(32), 'tampered')).toBe('tampered');
    expect(sharedSource('bb'.repeat(32), 'other')).toBe('other');
  });

  it('keeps a bounded number of packages', () => {
    for (let i = 0; i < 200; i++) expect(sharedSource(i.toString(16).padStart(64, '0'), `source ${i}`)).toBe(`source ${i}`);
  });
});
