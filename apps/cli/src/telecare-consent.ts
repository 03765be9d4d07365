/**
 * Which householders of a headless world consent to telecare (DESIGN.md: "Telecare provider — only
 * for homes that consented"; optional applets need the householder's consent). A run has no one at
 * an in-home display, so `hydra run --telecare …` says who would have pressed "consent": nobody,
 * everybody, the homes of single pensioners (the household model's archetype — the usual users of
 * a telecare service, and the default), or given home numbers. Only those meters install the
 * telecare applet and sign a proof of consent; the provider learns of no other home.
 */
import { createHomeProfile } from '@hydra/meter-sim';

/** Who consents. */
export type TelecareSelection =
  | { kind: 'none' }
  | { kind: 'all' }
  | { kind: 'single-pensioners' }
  /** 1-based home numbers, as in the home ids (`<world>-h0001` is home 1). */
  | { kind: 'homes'; numbers: number[] };

/** The default: single pensioners' homes. */
export const DEFAULT_TELECARE: TelecareSelection = { kind: 'single-pensioners' };

/**
 * Parses `none`, `all`, `single-pensioners`, or home numbers such as `1,4,7-9`.
 * @throws {RangeError} saying what is accepted, for anything else.
 */
export function parseTelecareSelection(text: string): TelecareSelection {
  if (text === 'none' || text === 'all' || text === 'single-pensioners') return { kind: text };
  if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(text)) throw new RangeError(`expected none, all, single-pensioners or home numbers such as 1,4,7-9, got ${JSON.stringify(text)}`);
  const numbers = new Set<number>();
  for (const part of text.split(',')) {
    const [from, to = from] = part.split('-').map(Number) as [number, number?];
    if (from < 1 || to < from || to - from > 100_000) throw new RangeError(`home numbers: expected ranges such as 7-9 of numbers from 1, got ${part}`);
    for (let n = from; n <= to; n++) numbers.add(n);
  }
  return { kind: 'homes', numbers: [...numbers].sort((a, b) => a - b) };
}

/**
 * The 0-based indices of the homes whose householders consent, in a world of `homes` homes.
 * @throws {RangeError} for a home number beyond the world.
 */
export function consentingHomes(selection: TelecareSelection, seed: string, homes: number): number[] {
  const all = Array.from({ length: homes }, (_, index) => index);
  switch (selection.kind) {
    case 'none':
      return [];
    case 'all':
      return all;
    case 'single-pensioners':
      return all.filter((index) => createHomeProfile(seed, index).archetype === 'single-pensioner');
    case 'homes': {
      const beyond = selection.numbers.find((n) => n > homes);
      if (beyond !== undefined) throw new RangeError(`telecare: home ${beyond} is not in a world of ${homes} homes`);
      return selection.numbers.map((n) => n - 1);
    }
  }
}
