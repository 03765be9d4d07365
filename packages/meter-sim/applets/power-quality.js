// @ts-check
/** @import { AppletCapabilities, AppletCommand, AppletInstance, AppletManifest, AppletResponse, MetrologyDay, VoltageExcursion } from '../src/secure-element/applet' */
/**
 * Power-quality applet — owned by the distribution network operator (DNO).
 *
 * Watches the supply voltage at the home's terminals and reports only events outside the
 * statutory band (ESQCR 2002: 230 V +10 % / −6 %, i.e. 216.2–253 V): a sag below 216.2 V, a swell
 * above 253 V, an outage when the supply is lost (below 5 % of nominal, the EN 50160 definition of
 * an interruption). Each event leaves the meter as one 'power-quality-event' { type, start,
 * durationSeconds, extremeV } and nothing else: no consumption, no steady-state voltage (which
 * follows the home's own load and would reveal it).
 *
 * Sources, best first:
 *   1. `day.voltageExcursions` — the metrology front end's record of each time the RMS voltage
 *      left its normal band (second resolution). Classified and merged here: same-type excursions
 *      less than `mergeGapSeconds` apart are one event; shorter than `minDurationSeconds` is noise.
 *   2. `day.voltage` (per half hour min/max) when no excursion record is fed — the event's start
 *      and duration are then known only to the half hour (start of the first affected half hour,
 *      whole half hours), and an outage is a half hour whose minimum is below the outage level.
 *
 * Commands:
 *   configure { sagBelowV?, swellAboveV?, outageBelowV?, minDurationSeconds?, mergeGapSeconds? }
 *             → { result: 'applied' | 'refused', reason }
 *
 * @typedef {{ sagBelowV: number, swellAboveV: number, outageBelowV: number, minDurationSeconds: number, mergeGapSeconds: number }} Config
 * @typedef {{ type: 'sag' | 'swell' | 'outage', start: number, end: number, extremeV: number }} PqEvent
 */

/** @type {AppletManifest} */
export const manifest = {
  id: 'power-quality',
  version: '1.0.0',
  owner: 'dno',
  capabilities: ['metrology', 'storage', 'outbox'],
  sends: ['power-quality-event'],
  description: 'Reports supply sags (< 216.2 V), swells (> 253 V) and outages: type, start, duration, extreme voltage. Nothing else.',
};

const OK = 0x9000;
const WRONG_DATA = 0x6a80;
const INS_NOT_SUPPORTED = 0x6d00;
const HALF_HOUR_MS = 1_800_000;
const NOMINAL_V = 230;

/** @type {Config} */
const DEFAULTS = { sagBelowV: 216.2, swellAboveV: 253, outageBelowV: 11.5, minDurationSeconds: 1, mergeGapSeconds: 1 };

/** @param {number} v */
const decivolts = (v) => Math.round(v * 10) / 10;

/**
 * @param {Config} config @param {number} v
 * @returns {'sag' | 'swell' | 'outage' | undefined}
 */
function classify(config, v) {
  if (v < config.outageBelowV) return 'outage';
  if (v < config.sagBelowV) return 'sag';
  if (v > config.swellAboveV) return 'swell';
  return undefined;
}

/**
 * Same-type events closer than `gapMs` become one; the extreme is the deepest (or highest).
 * @param {PqEvent[]} events @param {number} gapMs
 */
function merge(events, gapMs) {
  events.sort((a, b) => a.start - b.start);
  /** @type {PqEvent[]} */
  const out = [];
  for (const e of events) {
    const last = out.findLast((o) => o.type === e.type);
    if (last && e.start <= last.end + gapMs) {
      last.end = Math.max(last.end, e.end);
      last.extremeV = e.type === 'swell' ? Math.max(last.extremeV, e.extremeV) : Math.min(last.extremeV, e.extremeV);
    } else {
      out.push({ ...e });
    }
  }
  return out;
}

/** @param {Config} config @param {readonly VoltageExcursion[]} excursions @returns {PqEvent[]} */
function fromExcursions(config, excursions) {
  /** @type {PqEvent[]} */
  const events = [];
  for (const x of excursions) {
    if (!Number.isFinite(x.startUtc) || !Number.isFinite(x.durationSeconds) || !Number.isFinite(x.extremeV) || x.durationSeconds < 0) continue;
    const type = classify(config, x.extremeV);
    if (!type) continue;
    events.push({ type, start: x.startUtc, end: x.startUtc + x.durationSeconds * 1000, extremeV: x.extremeV });
  }
  return merge(events, config.mergeGapSeconds * 1000).filter((e) => e.end - e.start >= config.minDurationSeconds * 1000);
}

/** Half-hour-resolution fallback. @param {Config} config @param {MetrologyDay} day @returns {PqEvent[]} */
function fromHalfHours(config, day) {
  const v = day.voltage;
  if (!v) return [];
  /** @type {PqEvent[]} */
  const events = [];
  for (let i = 0; i < day.halfHours; i++) {
    const start = day.startUtc + i * HALF_HOUR_MS;
    const minV = v.minV[i];
    const maxV = v.maxV[i];
    if (typeof minV === 'number' && Number.isFinite(minV)) {
      const type = classify(config, minV);
      if (type === 'sag' || type === 'outage') events.push({ type, start, end: start + HALF_HOUR_MS, extremeV: minV });
    }
    if (typeof maxV === 'number' && Number.isFinite(maxV) && classify(config, maxV) === 'swell') events.push({ type: 'swell', start, end: start + HALF_HOUR_MS, extremeV: maxV });
  }
  return merge(events, 0);
}

/**
 * @param {AppletCapabilities} caps
 * @returns {AppletInstance}
 */
export default function createPowerQualityApplet(caps) {
  const { storage, outbox } = caps;
  if (!storage || !outbox) throw new Error('power-quality: needs storage and outbox');

  /** @returns {Config} */
  const config = () => {
    const stored = storage.get('config');
    return stored && typeof stored === 'object' && !Array.isArray(stored) ? { ...DEFAULTS, .../** @type {Partial<Config>} */ (stored) } : DEFAULTS;
  };

  return {
    /** @param {MetrologyDay} day */
    onMetrology(day) {
      const c = config();
      const events = day.voltageExcursions ? fromExcursions(c, day.voltageExcursions) : fromHalfHours(c, day);
      for (const e of events) {
        outbox.put('power-quality-event', {
          type: e.type,
          start: e.start,
          durationSeconds: Math.round((e.end - e.start) / 1000),
          extremeV: e.type === 'outage' ? 0 : decivolts(e.extremeV),
        });
      }
    },

    /** @param {AppletCommand} command @returns {AppletResponse} */
    process(command) {
      if (command.name !== 'configure') {
        return { status: INS_NOT_SUPPORTED, body: { result: 'refused', reason: `power-quality: unknown command ${command.name.slice(0, 32)}` } };
      }
      const next = { ...config() };
      for (const key of /** @type {(keyof Config)[]} */ (Object.keys(DEFAULTS))) {
        const value = command.body[key];
        if (value === undefined) continue;
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1000) {
          return { status: WRONG_DATA, body: { result: 'refused', reason: `${key}: expected a number 0…1000` } };
        }
        next[key] = value;
      }
      if (!(next.outageBelowV < next.sagBelowV && next.sagBelowV < NOMINAL_V && NOMINAL_V < next.swellAboveV)) {
        return { status: WRONG_DATA, body: { result: 'refused', reason: 'thresholds: expected outageBelowV < sagBelowV < 230 V < swellAboveV' } };
      }
      storage.set('config', next);
      return { status: OK, body: { result: 'applied', reason: null } };
    },
  };
}
