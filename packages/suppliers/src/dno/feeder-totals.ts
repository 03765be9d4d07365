/**
 * The DNO's side of the aggregation applet (DESIGN.md Decision 13): sums the masked half-hourly
 * shares of every meter on a feeder. Each share is the meter's import Wh plus its pairwise masks,
 * mod 2^32; every mask appears once with + and once with −, so over the whole feeder the masks
 * cancel and the sum is the feeder's load. A period for which any expected meter's share is
 * missing is 'incomplete' — a partial sum would be uniformly random, never an underestimate — and
 * a feeder of fewer than 5 meters has no total at all.
 */

/** 2^32: shares are unsigned 32-bit residues. */
export const SHARE_MODULUS = 2 ** 32;

/** The smallest feeder that reports (Decision 13). */
export const MIN_FEEDER_METERS = 5;

/** One period's recovered feeder total in Wh, or 'incomplete' when a meter's share is missing. */
export type FeederPeriodTotal = number | 'incomplete';

/** Shares by meter id: one value per half hour of the day (null or absent = not received). */
export type FeederShares = ReadonlyMap<string, readonly (number | null | undefined)[]>;

/** Error for shares that could not have come from the applet or do not match the feeder. */
export class FeederSharesError extends Error {
  readonly code = 'FEEDER_SHARES_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'FeederSharesError';
  }
}

/**
 * Recovers per-period feeder totals.
 * @param sharesByMeter - the shares received for one feeder and one local day.
 * @param expectedMeters - every meter on the feeder (its pairwise masks involve all of them).
 * @returns one entry per period (the longest share list received; 46, 48 or 50): the total Wh,
 *   or 'incomplete' if any expected meter's share for that period is missing.
 * @throws {FeederSharesError} when a share is not an integer in [0, 2^32), when shares come from a
 *   meter not on the feeder (its masks could not cancel), or when fewer than 5 meters are expected.
 * @throws {TypeError} when expectedMeters is not an array of strings.
 *
 * Warning: expectedMeters must be the full membership the masks were set up with. A meter left
 * out makes every period incomplete; a meter added that was not in the mask set-up cannot be
 * detected from the shares alone and gives random totals.
 */
export function recoverFeederTotals(sharesByMeter: FeederShares, expectedMeters: readonly string[]): FeederPeriodTotal[] {
  if (!Array.isArray(expectedMeters) || !expectedMeters.every((m) => typeof m === 'string')) {
    throw new TypeError('expected meters: expected an array of meter ids');
  }
  const expected = new Set(expectedMeters);
  if (expected.size < MIN_FEEDER_METERS) throw new FeederSharesError(`feeder: expected at least ${MIN_FEEDER_METERS} distinct meters, got ${expected.size}`);
  let periods = 0;
  for (const [meterId, shares] of sharesByMeter) {
    if (!expected.has(meterId)) throw new FeederSharesError(`shares: meter ${meterId} is not on this feeder`);
    if (!Array.isArray(shares)) throw new FeederSharesError(`shares of ${meterId}: expected an array`);
    if (shares.length > 50) throw new FeederSharesError(`shares of ${meterId}: expected at most 50 periods, got ${shares.length}`);
    for (const s of shares) {
      if (s !== null && s !== undefined && !(Number.isInteger(s) && s >= 0 && s < SHARE_MODULUS)) {
        throw new FeederSharesError(`shares of ${meterId}: expected integers in [0, 2^32), got ${String(s)}`);
      }
    }
    periods = Math.max(periods, shares.length);
  }
  const totals: FeederPeriodTotal[] = [];
  for (let t = 0; t < periods; t++) {
    let sum = 0;
    let complete = true;
    for (const meterId of expected) {
      const share = sharesByMeter.get(meterId)?.[t];
      if (share === null || share === undefined) {
        complete = false;
        break;
      }
      sum = (sum + share) % SHARE_MODULUS;
    }
    totals.push(complete ? sum : 'incomplete');
  }
  return totals;
}
