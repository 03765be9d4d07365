/**
 * Messages between the dashboard page and its meter-host Web Worker.
 */
import type { InsightsView, SharingSetting, SharingView, TelecareView } from '@hydra/meter-sim';

/** What the in-home display asks of its own meter (answered locally by the worker, never relayed). */
export type HouseholderAction =
  | { kind: 'view' }
  | { kind: 'set-sharing'; setting: SharingSetting }
  | { kind: 'consent-telecare' }
  | { kind: 'revoke-telecare' };

/** Everything the in-home display shows of its meter. */
export interface DisplayView {
  meterId: string;
  /** The first day the meter has not metered yet. */
  nextDate: string;
  /** Whether the supplier has commissioned the meter (it meters only then). */
  commissioned: boolean;
  insights: InsightsView;
  sharing: SharingView;
  telecare: TelecareView;
}

/** Page → worker. */
export type ToMeterHost =
  | { type: 'open'; worldId: string; seed: string; startDate: string; homeCount: number; epoch: string; mode: 'hydra' | 'conventional'; sharingPreset: 'hydra' | 'gb-licence' }
  | { type: 'advance'; untilDate: string }
  | { type: 'householder'; requestId: number; meterId: string; action: HouseholderAction };

/** Worker → page. */
export type FromMeterHost =
  | { type: 'opened'; meters: number; nextDate: string }
  | { type: 'progress'; reached: string; target: string; fraction: number; homeDays: number; uplinks: number }
  | { type: 'advanced'; reached: string; homeDays: number; uplinks: number; uplinkBytes: number }
  /** `proof`: after a telecare consent or withdrawal, the meter's device-signed statement of it (JSON) for the provider to carry to the relay. */
  | { type: 'householder'; requestId: number; view: DisplayView; proof: string | null }
  | { type: 'householder-refused'; requestId: number; code: string; message: string; view: DisplayView | null }
  | { type: 'error'; message: string };
