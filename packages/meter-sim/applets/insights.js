// @ts-check
/** @import { AppletCapabilities, AppletCommand, AppletInstance, AppletManifest, AppletResponse, Json, MetrologyDay } from '../src/secure-element/applet' */
/**
 * Insights applet — the householder's own; it sends NOTHING off the meter (no outbox capability,
 * `sends` is empty). It keeps a month-to-date budget, a usage breakdown and tips for the in-home
 * display, which reads them locally with the 'view' command. It lives in the householder's own
 * domain, which no party's secure channel reaches.
 *
 * The cost shown is an estimate at the unit rate and standing charge the householder enters (the
 * supplier's tariff stays inside the billing applet; the firewall keeps the two apart). Money in
 * the integer units of DESIGN.md Decision 9.
 *
 * Commands (local display only):
 *   set-budget { monthlyBudgetPence?, unitRate?, standingCharge?, exportRate? } → { result, reason }
 *   view       → { result, period, importWh, exportWh, estimatedPence, budgetPence, projectedPence,
 *                  onTrack, breakdown: { baseloadWh, eveningPeakWh, nightWh, otherWh }, recent: [...], tips }
 *
 * @typedef {{ monthlyBudgetPence: number, unitRate: number, standingCharge: number, exportRate: number }} Settings
 * @typedef {{ date: string, importWh: number, exportWh: number, baseloadWh: number, eveningPeakWh: number, nightWh: number }} DaySummary
 * @typedef {{ period: string, days: number, daysInMonth: number, importWh: number, exportWh: number, microPence: number }} MonthToDate
 */

/** @type {AppletManifest} */
export const manifest = {
  id: 'insights',
  version: '1.0.2',
  owner: 'householder',
  capabilities: ['metrology', 'storage'],
  sends: [],
  description: 'Budget, usage breakdown and tips for the in-home display. Sends nothing off the meter.',
};

const OK = 0x9000;
const WRONG_DATA = 0x6a80;
const INS_NOT_SUPPORTED = 0x6d00;
const KEPT_DAYS = 35;

/** Indicative defaults: GB price cap Oct–Dec 2024, direct debit, VAT inclusive (Ofgem). */
/** @type {Settings} */
const DEFAULTS = { monthlyBudgetPence: 6000, unitRate: 24_500, standingCharge: 60_990, exportRate: 0 };

/** @param {number} y @param {number} m */
function daysInMonth(y, m) {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Wall-clock minute of half hour i (46/50-period days, see billing). @param {number} halfHours @param {number} i */
function wallMinute(halfHours, i) {
  if (halfHours === 46 && i >= 2) return (i + 2) * 30;
  if (halfHours === 50 && i >= 4) return (i - 2) * 30;
  return i * 30;
}

/** Half-up to whole pence. @param {number} micro */
const toPence = (micro) => {
  const shifted = micro + 500_000;
  return (shifted - (((shifted % 1_000_000) + 1_000_000) % 1_000_000)) / 1_000_000;
};

/**
 * @param {AppletCapabilities} caps
 * @returns {AppletInstance}
 */
export default function createInsightsApplet(caps) {
  const { storage } = caps;
  if (!storage) throw new Error('insights: needs storage');

  /** @returns {Settings} */
  const settings = () => {
    const stored = /** @type {Partial<Settings>} */ (storage.get('settings') ?? {});
    // Field by field, not a spread (an object spread takes a slow path in a locked-down realm).
    return {
      monthlyBudgetPence: stored.monthlyBudgetPence ?? DEFAULTS.monthlyBudgetPence,
      unitRate: stored.unitRate ?? DEFAULTS.unitRate,
      standingCharge: stored.standingCharge ?? DEFAULTS.standingCharge,
      exportRate: stored.exportRate ?? DEFAULTS.exportRate,
    };
  };

  /** @returns {AppletResponse} */
  const view = () => {
    const s = settings();
    const month = /** @type {MonthToDate | undefined} */ (/** @type {unknown} */ (storage.get('month')));
    const recent = /** @type {DaySummary[]} */ (/** @type {unknown} */ (storage.get('days') ?? [])).slice(-7);
    const estimatedPence = month ? toPence(month.microPence) : 0;
    const projectedPence = month && month.days > 0 ? Math.round((estimatedPence * month.daysInMonth) / month.days) : 0;
    const sum = (/** @type {(d: DaySummary) => number} */ f) => recent.reduce((acc, d) => acc + f(d), 0);
    const importWh = sum((d) => d.importWh);
    const breakdown = {
      baseloadWh: sum((d) => d.baseloadWh),
      eveningPeakWh: sum((d) => d.eveningPeakWh),
      nightWh: sum((d) => d.nightWh),
      otherWh: 0,
    };
    breakdown.otherWh = Math.max(0, importWh - breakdown.eveningPeakWh - breakdown.nightWh);
    /** @type {string[]} */
    const tips = [];
    if (importWh > 0 && breakdown.baseloadWh / importWh > 0.35) {
      tips.push(`Always-on devices use ${Math.round((100 * breakdown.baseloadWh) / importWh)} % of your electricity: switch off standby and old fridges.`);
    }
    if (importWh > 0 && breakdown.eveningPeakWh / importWh > 0.3) {
      tips.push('Over 30 % of your use is between 16:00 and 19:00, the costliest time on time-of-use tariffs: run the washing and dishwasher later.');
    }
    const exported = sum((d) => d.exportWh);
    if (exported > 0.5 * importWh && exported > 0) tips.push('You export more solar than half what you import: run appliances at midday to use it yourself.');
    if (month && projectedPence > s.monthlyBudgetPence) tips.push(`At this rate the month costs about £${(projectedPence / 100).toFixed(2)}, over your £${(s.monthlyBudgetPence / 100).toFixed(2)} budget.`);
    return {
      status: OK,
      body: {
        result: 'applied',
        period: month ? month.period : null,
        importWh: month ? month.importWh : 0,
        exportWh: month ? month.exportWh : 0,
        estimatedPence,
        budgetPence: s.monthlyBudgetPence,
        projectedPence,
        onTrack: projectedPence <= s.monthlyBudgetPence,
        breakdown,
        recent: /** @type {Json} */ (recent.map((d) => ({ date: d.date, importWh: d.importWh, exportWh: d.exportWh }))),
        tips,
      },
    };
  };

  return {
    /** @param {MetrologyDay} day */
    onMetrology(day) {
      const s = settings();
      let importWh = 0;
      let exportWh = 0;
      let minWh = Infinity;
      let eveningPeakWh = 0;
      let nightWh = 0;
      for (let i = 0; i < day.halfHours; i++) {
        const wh = day.importWh[i] ?? 0;
        importWh += wh;
        exportWh += day.exportWh[i] ?? 0;
        minWh = Math.min(minWh, wh);
        const w = wallMinute(day.halfHours, i);
        if (w >= 960 && w < 1140) eveningPeakWh += wh;
        if (w < 420) nightWh += wh;
      }
      const summary = { date: day.date, importWh, exportWh, baseloadWh: Number.isFinite(minWh) ? minWh * day.halfHours : 0, eveningPeakWh, nightWh };
      const days = /** @type {DaySummary[]} */ (/** @type {unknown} */ (storage.get('days') ?? []));
      // Copied element by element: spreading or slicing a stored (frozen) array takes V8's slow path.
      /** @type {DaySummary[]} */
      const kept = [];
      for (let k = Math.max(0, days.length + 1 - KEPT_DAYS); k < days.length; k++) kept.push(/** @type {DaySummary} */ (days[k]));
      kept.push(summary);
      storage.set('days', /** @type {Json} */ (kept));
      const period = day.date.slice(0, 7);
      let month = /** @type {MonthToDate | undefined} */ (/** @type {unknown} */ (storage.get('month')));
      if (!month || month.period !== period) {
        month = { period, days: 0, daysInMonth: daysInMonth(Number(period.slice(0, 4)), Number(period.slice(5, 7))), importWh: 0, exportWh: 0, microPence: 0 };
      } else {
        month = { period: month.period, days: month.days, daysInMonth: month.daysInMonth, importWh: month.importWh, exportWh: month.exportWh, microPence: month.microPence };
      }
      month.days += 1;
      month.importWh += importWh;
      month.exportWh += exportWh;
      month.microPence += importWh * s.unitRate - exportWh * s.exportRate + s.standingCharge * 1000;
      storage.set('month', /** @type {Json} */ (month));
    },

    /** @param {AppletCommand} command @returns {AppletResponse} */
    process(command) {
      if (command.name === 'view') return view();
      if (command.name === 'set-budget') {
        const next = settings();
        for (const key of /** @type {(keyof Settings)[]} */ (Object.keys(DEFAULTS))) {
          const value = command.body[key];
          if (value === undefined) continue;
          if (!Number.isSafeInteger(value) || /** @type {number} */ (value) < 0 || /** @type {number} */ (value) > 100_000_000) {
            return { status: WRONG_DATA, body: { result: 'refused', reason: `${key}: expected a non-negative integer` } };
          }
          next[key] = /** @type {number} */ (value);
        }
        storage.set('settings', next);
        return { status: OK, body: { result: 'applied', reason: null } };
      }
      return { status: INS_NOT_SUPPORTED, body: { result: 'refused', reason: `insights: unknown command ${command.name.slice(0, 32)}` } };
    },
  };
}
