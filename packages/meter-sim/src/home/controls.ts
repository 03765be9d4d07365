/**
 * Load-control windows as power caps: a device's demand is capped at the lowest limit of every
 * window in force (0 = switched off). Windows arrive as UTC instants; here they become pieces of
 * the local day in elapsed minutes.
 */
import type { ControlWindow } from './types';

/** A cap in force over [from, to), in whatever time unit the caller works in. */
export interface CapWindow {
  from: number;
  to: number;
  capW: number;
}

/**
 * Checks one control window.
 * @throws TypeError on an unknown device or non-finite times; RangeError if toUtc < fromUtc or limitKw < 0
 */
export function assertControlWindow(c: ControlWindow): void {
  if (c.device !== 'ev' && c.device !== 'heat-pump') throw new TypeError(`control window: expected device 'ev' or 'heat-pump', got ${JSON.stringify(c.device)}`);
  if (!Number.isFinite(c.fromUtc) || !Number.isFinite(c.toUtc)) throw new TypeError('control window: expected finite fromUtc and toUtc');
  if (c.toUtc < c.fromUtc) throw new RangeError(`control window: toUtc ${c.toUtc} is before fromUtc ${c.fromUtc}`);
  if (!(c.limitKw >= 0)) throw new RangeError(`control window: expected limitKw ≥ 0, got ${String(c.limitKw)}`);
}

/** Most days have no windows: one shared empty list rather than a new one per device per home-day. */
const NO_WINDOWS: readonly CapWindow[] = Object.freeze([]);

/**
 * The windows for `device`, converted to elapsed minutes after `originUtc`.
 * @throws TypeError/RangeError on a malformed window (non-finite times, to < from, negative limit)
 */
export function deviceWindows(controls: readonly ControlWindow[] | undefined, device: ControlWindow['device'], originUtc: number): readonly CapWindow[] {
  if (!controls || controls.length === 0) return NO_WINDOWS;
  const out: CapWindow[] = [];
  for (const c of controls) {
    if (c.device !== device) continue;
    assertControlWindow(c);
    out.push({ from: (c.fromUtc - originUtc) / 60_000, to: (c.toUtc - originUtc) / 60_000, capW: c.limitKw * 1000 });
  }
  return out;
}

/**
 * Splits [from, to) at every window edge and calls `piece` with each part's cap
 * (`maxW` where no window is in force).
 */
export function forEachCappedPiece(
  from: number,
  to: number,
  windows: readonly CapWindow[],
  maxW: number,
  piece: (from: number, to: number, capW: number) => void,
): void {
  if (windows.length === 0) {
    piece(from, to, maxW);
    return;
  }
  const edges = [from, to];
  for (const w of windows) {
    if (w.from > from && w.from < to) edges.push(w.from);
    if (w.to > from && w.to < to) edges.push(w.to);
  }
  edges.sort((a, b) => a - b);
  for (let k = 0; k + 1 < edges.length; k++) {
    const a = edges[k] ?? 0;
    const b = edges[k + 1] ?? 0;
    if (b <= a) continue;
    const mid = (a + b) / 2;
    let cap = maxW;
    for (const w of windows) if (mid >= w.from && mid < w.to && w.capW < cap) cap = w.capW;
    piece(a, b, cap);
  }
}
