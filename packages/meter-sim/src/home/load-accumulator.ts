/**
 * Accumulates constant-power intervals into half-hour energy bins (and, on request, per-minute
 * mean power) without allocating: the simulation's inner loop. Times are elapsed minutes of the
 * local day and may be fractional; anything outside [0, minutes) is dropped.
 */

const MAX_HALF_HOURS = 50;
const MAX_MINUTES = MAX_HALF_HOURS * 30;

/** Energy per half hour plus the largest single load seen in each half hour. */
export class LoadAccumulator {
  /** Wh per half hour. */
  readonly wh = new Float64Array(MAX_HALF_HOURS);
  /** Largest single interval's watts touching each half hour (for voltage dips). */
  readonly peakW = new Float64Array(MAX_HALF_HOURS);
  /** Mean W per minute, filled only when minute detail is on. */
  readonly minuteW = new Float64Array(MAX_MINUTES);
  private minutes = 0;
  private halfHours = 0;
  private withMinutes = false;

  /** Clears the bins for a day of `halfHours` periods. */
  reset(halfHours: number, withMinutes: boolean): void {
    this.halfHours = halfHours;
    this.minutes = halfHours * 30;
    this.withMinutes = withMinutes;
    this.wh.fill(0, 0, halfHours);
    this.peakW.fill(0, 0, halfHours);
    if (withMinutes) this.minuteW.fill(0, 0, this.minutes);
  }

  /** Adds `watts` from minute `from` to minute `to`. */
  add(from: number, to: number, watts: number): void {
    let a = from < 0 ? 0 : from;
    const b = to > this.minutes ? this.minutes : to;
    if (b <= a || watts === 0) return;
    if (this.withMinutes) this.addMinutes(a, b, watts);
    let bin = Math.floor(a / 30);
    while (a < b) {
      const end = Math.min(b, (bin + 1) * 30);
      this.wh[bin] = (this.wh[bin] ?? 0) + (watts * (end - a)) / 60;
      if (watts > (this.peakW[bin] ?? 0)) this.peakW[bin] = watts;
      a = end;
      bin++;
    }
  }

  /** Adds `watts` to every minute of the day. */
  addConstant(watts: number): void {
    for (let i = 0; i < this.halfHours; i++) this.wh[i] = (this.wh[i] ?? 0) + watts / 2;
    if (this.withMinutes) {
      const minuteW = this.minuteW;
      for (let m = 0; m < this.minutes; m++) minuteW[m] = (minuteW[m] ?? 0) + watts;
    }
  }

  private addMinutes(a: number, b: number, watts: number): void {
    const minuteW = this.minuteW;
    let m = Math.floor(a);
    let t = a;
    while (t < b) {
      if (t === m && m + 1 <= b) {
        // A run of whole minutes: each adds watts × 1, which is exactly `watts`.
        const last = Math.floor(b);
        for (; m < last; m++) minuteW[m] = (minuteW[m] ?? 0) + watts;
        t = m;
        continue;
      }
      const end = Math.min(b, m + 1);
      minuteW[m] = (minuteW[m] ?? 0) + watts * (end - t);
      t = end;
      m++;
    }
  }
}
