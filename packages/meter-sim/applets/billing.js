// @ts-check
/** @import { AppletCapabilities, AppletCommand, AppletInstance, AppletManifest, AppletResponse, MetrologyDay } from '../src/secure-element/applet' */
/**
 * Billing applet — owned by the energy supplier, published for anyone to read.
 *
 * Inside the meter it prices every half hour of the home's consumption against the tariff the
 * supplier set, and at the end of each calendar month (Europe/London) it puts one bill statement in
 * its outbox: period, amount due, and the month's import and export register totals. Nothing else
 * leaves the meter.
 *
 * Money is exact (DESIGN.md Decision 9): energy in Wh, prices in 1/1000 p per kWh, standing charge
 * in 1/1000 p per day. Energy × price accumulates in micro-pence (1e-6 p) as an integer and the
 * statement's amount is rounded once, half-up, to whole pence.
 *
 *
 * @typedef {object} FlatTariff
 * @property {string} id
 * @property {'flat'} kind
 * @property {number} unitRate           1/1000 p per kWh, VAT inclusive
 * @property {number} standingCharge     1/1000 p per day, VAT inclusive
 *
 * @typedef {object} MonthRegister
 * @property {string} period             YYYY-MM
 * @property {string} tariffId
 * @property {number} days
 * @property {number} importWh
 * @property {number} exportWh
 * @property {number} energyMicroPence   Σ Wh × (1/1000 p per kWh) = 1e-6 p
 * @property {number} standingMicroPence
 */

/** @type {AppletManifest} */
export const manifest = {
  id: 'billing',
  version: '1.0.0',
  owner: 'supplier',
  capabilities: ['metrology', 'storage', 'outbox'],
  sends: ['bill-statement'],
  description: 'Prices each half hour against the supplier tariff and sends one monthly bill statement: period, amount, register totals.',
};

const OK = 0x9000;
const WRONG_DATA = 0x6a80;
const CONDITIONS_NOT_SATISFIED = 0x6985;
const INS_NOT_SUPPORTED = 0x6d00;

/**
 * Rounds micro-pence to whole pence, half-up (toward +∞), once per statement.
 * @param {number} microPence
 */
function toPence(microPence) {
  return Math.floor((microPence + 500_000) / 1_000_000);
}

/** @param {unknown} value @returns {value is FlatTariff} */
function isFlatTariff(value) {
  if (!value || typeof value !== 'object') return false;
  const t = /** @type {Record<string, unknown>} */ (value);
  return (
    typeof t.id === 'string' &&
    t.kind === 'flat' &&
    Number.isSafeInteger(t.unitRate) &&
    Number.isSafeInteger(t.standingCharge) &&
    /** @type {number} */ (t.standingCharge) >= 0
  );
}

/**
 * @param {AppletCapabilities} caps
 * @returns {AppletInstance}
 */
export default function createBillingApplet(caps) {
  const storage = caps.storage;
  const outbox = caps.outbox;
  if (!storage || !outbox) throw new Error('billing: needs storage and outbox');

  /** @returns {FlatTariff | undefined} */
  const tariff = () => {
    const value = storage.get('tariff');
    return isFlatTariff(value) ? value : undefined;
  };

  /** @param {MonthRegister} month */
  const closeMonth = (month) => {
    const amountPence = toPence(month.energyMicroPence + month.standingMicroPence);
    outbox.put('bill-statement', {
      statementId: `${month.period}/${month.tariffId}`,
      period: month.period,
      amountPence,
      importWh: month.importWh,
      exportWh: month.exportWh,
    });
  };

  return {
    /** @param {MetrologyDay} day */
    onMetrology(day) {
      const current = tariff();
      if (!current) return; // not yet personalised: nothing to bill against
      const period = day.date.slice(0, 7);
      // Storage hands out frozen copies: work on a fresh object and store it back.
      const stored = /** @type {MonthRegister | undefined} */ (/** @type {unknown} */ (storage.get('month')));
      /** @type {MonthRegister | undefined} */
      let month = stored ? { ...stored } : undefined;
      if (month && month.period !== period) {
        closeMonth(month);
        month = undefined;
      }
      if (!month) {
        month = { period, tariffId: current.id, days: 0, importWh: 0, exportWh: 0, energyMicroPence: 0, standingMicroPence: 0 };
      }
      let importWh = 0;
      let energy = 0;
      for (let i = 0; i < day.halfHours; i++) {
        const wh = day.importWh[i] ?? 0;
        importWh += wh;
        energy += wh * current.unitRate;
      }
      let exportWh = 0;
      for (let i = 0; i < day.halfHours; i++) exportWh += day.exportWh[i] ?? 0;
      month.days += 1;
      month.importWh += importWh;
      month.exportWh += exportWh;
      month.energyMicroPence += energy;
      month.standingMicroPence += current.standingCharge * 1000;
      // A month closes on its last day, so the statement is ready when the next month begins.
      const [y, m, d] = day.date.split('-').map(Number);
      const lastDay = new Date(Date.UTC(/** @type {number} */ (y), /** @type {number} */ (m), 0)).getUTCDate();
      if (d === lastDay) {
        closeMonth(month);
        storage.delete('month');
      } else {
        storage.set('month', /** @type {any} */ (month));
      }
    },

    /** @param {AppletCommand} command @returns {AppletResponse} */
    process(command) {
      if (command.name === 'set-tariff') {
        const next = command.body.tariff;
        if (!isFlatTariff(next)) return { status: WRONG_DATA, body: { error: 'tariff: expected a flat tariff with integer unitRate and standingCharge' } };
        if (storage.get('month')) return { status: CONDITIONS_NOT_SATISFIED, body: { error: 'tariff: a change mid-month is not supported by this version' } };
        storage.set('tariff', /** @type {any} */ (next));
        return { status: OK, body: { tariffId: next.id } };
      }
      return { status: INS_NOT_SUPPORTED, body: { error: `billing: unknown command ${command.name}` } };
    },
  };
}
