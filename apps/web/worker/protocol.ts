/**
 * Messages between the dashboard page and its meter-host Web Worker.
 */

/** Page → worker. */
export type ToMeterHost =
  | { type: 'open'; worldId: string; seed: string; startDate: string; homeCount: number; epoch: string; mode: 'hydra' | 'conventional'; sharingPreset: 'hydra' | 'gb-licence' }
  | { type: 'advance'; untilDate: string };

/** Worker → page. */
export type FromMeterHost =
  | { type: 'opened'; meters: number; nextDate: string }
  | { type: 'progress'; reached: string; target: string; fraction: number; homeDays: number; uplinks: number }
  | { type: 'advanced'; reached: string; homeDays: number; uplinks: number; uplinkBytes: number }
  | { type: 'error'; message: string };
