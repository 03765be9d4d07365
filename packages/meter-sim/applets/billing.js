// @ts-check
/** @import { AppletCapabilities, AppletCommand, AppletInstance, AppletManifest, AppletResponse, Json, MetrologyDay } from '../src/secure-element/applet' */
/**
 * Billing applet — owned by the energy supplier, published for anyone to read.
 *
 * Inside the meter it prices every half hour of the home's consumption against the supplier's
 * signed tariff in force at that half hour, and at the end of each calendar month (Europe/London)
 * puts one bill statement in its outbox: period, amount due, and the month's import and export
 * register totals. Finer reads leave the meter only while the householder's data-sharing setting
 * allows (DESIGN.md Decision 11; SLC 47 under the 'gb-licence' preset).
 *
 * Tariff kinds (all prices VAT inclusive, in 1/1000 p per kWh; standing charge 1/1000 p per day):
 *   flat        unitRate
 *   economy7    dayRate, nightRate, offPeakFromUtcMinute … +7 h (GMT clock, may cross midnight)
 *   time-of-use defaultRate, bands [{ days: 'all'|'weekday'|'weekend', fromMinute, toMinute, rate }]
 *               on the local wall clock (first matching band wins)
 *   dynamic     fallbackRate, prices [{ date, rates }] — one rate per half hour of the local day
 *               (46/48/50), published a day ahead, may be negative
 *   tiered      tierWh, tier1Rate, tier2Rate — the first tierWh imported in a calendar month at
 *               tier1Rate, the rest at tier2Rate
 * Every kind: id, kind, standingCharge, optional exportRate (SEG credit per exported kWh) and
 * optional effectiveFromUtc (UTC ms; absent = from the next unbilled half hour).
 *
 * Money is exact (DESIGN.md Decision 9): Wh × (1/1000 p per kWh) = 1e-6 p, accumulated as an
 * integer; export credit is subtracted; the statement amount is rounded once, half-up (ties toward
 * +∞), to whole pence. The standing charge of a day is the one in force at local midnight.
 *
 * Signatures: the supplier signs the canonical JSON of a tariff document (object keys sorted by
 * code unit, no whitespace) with ECDSA P-256/SHA-256; the meter checks it through the `crypto`
 * capability against the tariff key personalised with `personalise`. Until a tariff key is
 * personalised an unsigned tariff is accepted (the walking skeleton's enrolment); afterwards an
 * unsigned or badly signed tariff is refused.
 *
 * Commands (every answer is { result: 'applied' | 'refused', reason, … }):
 *   personalise  { tariffKey?, householderKey?, meterId?, preset?: 'hydra' | 'gb-licence' } — each write-once
 *   set-tariff   { tariff, signature? }              → tariffId; also queues 'tariff-ack'
 *   set-sharing  { consent: { kind: 'data-sharing', meterId, setting, sequence }, signature }
 *                signed by the householder; a coarser setting applies to every day not yet sent,
 *                a finer one from the next day that starts after it arrives.
 *   sharing      {} → preset, setting (for the next day to be metered), effectiveFromUtc, sequence
 * 'set-sharing' and 'sharing' are also shareable with the householder's insights applet: the card
 * manager brokers the in-home display's choice to billing without any party's channel.
 *
 * @typedef {'monthly' | 'daily' | 'half-hourly'} Sharing
 * @typedef {{ days: 'all' | 'weekday' | 'weekend', fromMinute: number, toMinute: number, rate: number }} Band
 * @typedef {{ date: string, rates: number[] }} DayPrices
 * @typedef {object} Tariff
 * @property {string} id
 * @property {'flat' | 'economy7' | 'time-of-use' | 'dynamic' | 'tiered'} kind
 * @property {number} standingCharge
 * @property {number} [exportRate]
 * @property {number} [effectiveFromUtc]
 * @property {number} [unitRate]
 * @property {number} [dayRate]
 * @property {number} [nightRate]
 * @property {number} [offPeakFromUtcMinute]
 * @property {number} [defaultRate]
 * @property {Band[]} [bands]
 * @property {number} [fallbackRate]
 * @property {DayPrices[]} [prices]
 * @property {number} [tierWh]
 * @property {number} [tier1Rate]
 * @property {number} [tier2Rate]
 *
 * @typedef {{ fromUtc: number, tariff: Tariff }} ScheduleEntry
 * @typedef {{ period: string, tariffId: string, importWh: number, exportWh: number, microPence: number, tierWh: number }} MonthRegister
 * @typedef {{ fromUtc: number, setting: Sharing }} SharingChoice
 */

/** @type {AppletManifest} */
export const manifest = {
  id: 'billing',
  version: '2.1.2',
  owner: 'supplier',
  capabilities: ['metrology', 'storage', 'outbox', 'clock', 'crypto'],
  sends: ['bill-statement', 'consented-reads', 'tariff-ack'],
  shareable: { 'set-sharing': ['insights'], sharing: ['insights'] },
  description:
    'Prices each half hour against the signed supplier tariff in force and sends one monthly bill statement (period, amount, register totals); daily or half-hourly reads only while the householder allows.',
};

const OK = 0x9000;
const SECURITY_NOT_SATISFIED = 0x6982;
const CONDITIONS_NOT_SATISFIED = 0x6985;
const WRONG_DATA = 0x6a80;
const INS_NOT_SUPPORTED = 0x6d00;

const HALF_HOUR_MS = 1_800_000;
const DAY_MS = 86_400_000;
const MICRO = 1_000_000;
/** Largest |price| accepted: £10 per kWh (dynamic prices are capped far below; Agile cap 100 p). */
const MAX_RATE = 1_000_000;
const KINDS = ['flat', 'economy7', 'time-of-use', 'dynamic', 'tiered'];
/** @type {Sharing[]} coarsest first */
const SHARING = ['monthly', 'daily', 'half-hourly'];

// ───────────────────────────── calendar (pure integer arithmetic) ─────────────────────────────

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, days_from_civil). @param {number} y @param {number} m @param {number} d */
function daysFromCivil(y, m, d) {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/** @param {number} y @param {number} m */
function daysInMonth(y, m) {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** @param {string} date @returns {[number, number, number] | undefined} */
function parseDate(date) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return [y, m, d];
}

/** Half-hours in a London local day: 46 on the last Sunday of March, 50 on the last Sunday of October. @param {string} date */
function halfHoursOf(date) {
  const ymd = parseDate(date);
  if (!ymd) return 0;
  const [y, m, d] = ymd;
  if (m !== 3 && m !== 10) return 48;
  const last = daysFromCivil(y, m, 31);
  const lastSunday = 31 - ((last + 4) % 7); // 1970-01-01 was a Thursday (weekday 4)
  if (d !== lastSunday) return 48;
  return m === 3 ? 46 : 50;
}

/**
 * Local wall-clock minute at which half hour `i` starts. On the spring day the clocks jump from
 * 01:00 to 02:00 after period 2; on the autumn day 01:00–02:00 happens twice (periods 2–5).
 * @param {number} halfHours @param {number} i
 */
function wallMinute(halfHours, i) {
  if (halfHours === 46 && i >= 2) return (i + 2) * 30;
  if (halfHours === 50 && i >= 4) return (i - 2) * 30;
  return i * 30;
}

/** @param {number} utcMs */
function utcMinuteOfDay(utcMs) {
  return Math.floor((((utcMs % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
}

// ───────────────────────────── money ─────────────────────────────

/**
 * Rounds micro-pence to whole pence, half-up (ties toward +∞), exactly on integers.
 * @param {number} microPence
 */
function toPence(microPence) {
  const shifted = microPence + MICRO / 2;
  const remainder = ((shifted % MICRO) + MICRO) % MICRO;
  return (shifted - remainder) / MICRO;
}

// ───────────────────────────── validation ─────────────────────────────

/** @param {unknown} v @param {number} min @param {number} max */
const isInt = (v, min, max) => Number.isSafeInteger(v) && /** @type {number} */ (v) >= min && /** @type {number} */ (v) <= max;

/**
 * Checks a tariff document; returns a reason when it is not acceptable.
 * @param {unknown} value
 * @returns {string | undefined}
 */
function tariffProblem(value) {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'tariff: expected an object';
  const t = /** @type {Record<string, unknown>} */ (value);
  if (typeof t.id !== 'string' || t.id.length === 0 || t.id.length > 64) return 'tariff.id: expected a string of 1–64 characters';
  if (typeof t.kind !== 'string' || !KINDS.includes(t.kind)) return `tariff.kind: expected one of ${KINDS.join(', ')}`;
  if (!isInt(t.standingCharge, 0, MAX_RATE)) return 'tariff.standingCharge: expected an integer 0…1000000 (1/1000 p per day)';
  if (t.exportRate !== undefined && !isInt(t.exportRate, 0, MAX_RATE)) return 'tariff.exportRate: expected an integer ≥ 0 (1/1000 p per kWh)';
  if (t.effectiveFromUtc !== undefined && !isInt(t.effectiveFromUtc, 0, 8.64e15)) return 'tariff.effectiveFromUtc: expected UTC milliseconds';
  /** @param {string} name */
  const rate = (name) => (isInt(t[name], 0, MAX_RATE) ? undefined : `tariff.${name}: expected an integer 0…1000000 (1/1000 p per kWh)`);
  switch (t.kind) {
    case 'flat':
      return rate('unitRate');
    case 'economy7':
      if (!isInt(t.offPeakFromUtcMinute, 0, 1410) || /** @type {number} */ (t.offPeakFromUtcMinute) % 30 !== 0) {
        return 'tariff.offPeakFromUtcMinute: expected a half-hour boundary 0…1410 (GMT)';
      }
      return rate('dayRate') ?? rate('nightRate');
    case 'time-of-use': {
      const problem = rate('defaultRate');
      if (problem) return problem;
      if (!Array.isArray(t.bands) || t.bands.length > 48) return 'tariff.bands: expected up to 48 bands';
      for (const band of t.bands) {
        if (!band || typeof band !== 'object') return 'tariff.bands: expected objects';
        const b = /** @type {Record<string, unknown>} */ (band);
        if (b.days !== 'all' && b.days !== 'weekday' && b.days !== 'weekend') return "tariff.bands[].days: expected 'all', 'weekday' or 'weekend'";
        if (!isInt(b.fromMinute, 0, 1440) || !isInt(b.toMinute, 0, 1440) || /** @type {number} */ (b.fromMinute) % 30 || /** @type {number} */ (b.toMinute) % 30) {
          return 'tariff.bands[]: expected fromMinute/toMinute on half-hour boundaries 0…1440 (local wall clock)';
        }
        if (!isInt(b.rate, 0, MAX_RATE)) return 'tariff.bands[].rate: expected an integer 0…1000000';
      }
      return undefined;
    }
    case 'dynamic': {
      if (!isInt(t.fallbackRate, 0, MAX_RATE)) return 'tariff.fallbackRate: expected an integer 0…1000000';
      if (!Array.isArray(t.prices) || t.prices.length > 62) return 'tariff.prices: expected up to 62 days of prices';
      for (const day of t.prices) {
        if (!day || typeof day !== 'object') return 'tariff.prices: expected { date, rates }';
        const p = /** @type {Record<string, unknown>} */ (day);
        const expected = typeof p.date === 'string' ? halfHoursOf(p.date) : 0;
        if (expected === 0) return 'tariff.prices[].date: expected YYYY-MM-DD';
        if (!Array.isArray(p.rates) || p.rates.length !== expected) return `tariff.prices[${String(p.date)}].rates: expected ${expected} half-hourly prices, got ${Array.isArray(p.rates) ? p.rates.length : 'none'}`;
        if (!p.rates.every((r) => isInt(r, -MAX_RATE, MAX_RATE))) return `tariff.prices[${String(p.date)}].rates: expected integers within ±1000000`;
      }
      return undefined;
    }
    case 'tiered':
      if (!isInt(t.tierWh, 0, 1e9)) return 'tariff.tierWh: expected an integer Wh per month';
      return rate('tier1Rate') ?? rate('tier2Rate');
  }
  return 'tariff: unknown kind';
}

/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace (what the supplier signs).
 * @param {unknown} value
 * @returns {string}
 */
function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((k) => /** @type {Record<string, unknown>} */ (value)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(/** @type {Record<string, unknown>} */ (value)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** @param {unknown} v */
const isHex = (v) => typeof v === 'string' && v.length > 0 && v.length <= 256 && /^(?:[0-9a-f]{2})+$/i.test(v);

// ───────────────────────────── pricing ─────────────────────────────

/**
 * Price (1/1000 p per kWh) of imported energy in half hour `i` of `day` under `t`, for the tiered
 * kind split across the monthly block boundary.
 * @param {Tariff} t @param {MetrologyDay} day @param {number} i @param {number} wh @param {MonthRegister} month
 * @returns {number} micro-pence for `wh`
 */
function importCost(t, day, i, wh, month) {
  switch (t.kind) {
    case 'flat':
      return wh * (t.unitRate ?? 0);
    case 'economy7': {
      // The E7 window runs on GMT all year (00:30–07:30 GMT is 01:30–08:30 BST).
      const m = utcMinuteOfDay(day.startUtc + i * HALF_HOUR_MS);
      const from = t.offPeakFromUtcMinute ?? 0;
      const to = (from + 420) % 1440;
      const offPeak = from < to ? m >= from && m < to : m >= from || m < to;
      return wh * ((offPeak ? t.nightRate : t.dayRate) ?? 0);
    }
    case 'time-of-use': {
      const m = wallMinute(day.halfHours, i);
      const weekend = day.weekday === 0 || day.weekday === 6;
      for (const b of t.bands ?? []) {
        if (b.days === 'weekday' && weekend) continue;
        if (b.days === 'weekend' && !weekend) continue;
        const inside = b.fromMinute <= b.toMinute ? m >= b.fromMinute && m < b.toMinute : m >= b.fromMinute || m < b.toMinute;
        if (inside) return wh * b.rate;
      }
      return wh * (t.defaultRate ?? 0);
    }
    case 'dynamic': {
      const prices = (t.prices ?? []).find((p) => p.date === day.date);
      const rate = prices && prices.rates.length === day.halfHours ? prices.rates[i] : undefined;
      return wh * (rate ?? t.fallbackRate ?? 0);
    }
    case 'tiered': {
      const tier = t.tierWh ?? 0;
      const inTier1 = Math.max(0, Math.min(wh, tier - month.tierWh));
      month.tierWh += wh;
      return inTier1 * (t.tier1Rate ?? 0) + (wh - inTier1) * (t.tier2Rate ?? 0);
    }
  }
  return 0;
}

/** @param {ScheduleEntry[]} schedule @param {number} utc @returns {Tariff | undefined} */
function tariffAt(schedule, utc) {
  /** @type {Tariff | undefined} */
  let found;
  // Index loops over stored (frozen) arrays: V8 reads a frozen array's elements on a slow path.
  for (let k = 0; k < schedule.length; k++) {
    const entry = /** @type {ScheduleEntry} */ (schedule[k]);
    if (entry.fromUtc <= utc) found = entry.tariff;
    else break;
  }
  return found;
}

// ───────────────────────────── the applet ─────────────────────────────

/**
 * @param {AppletCapabilities} caps
 * @returns {AppletInstance}
 */
export default function createBillingApplet(caps) {
  const { storage, outbox, clock, crypto } = caps;
  if (!storage || !outbox) throw new Error('billing: needs storage and outbox');

  /** A copy of a stored value, to change and save back. @template T @param {string} key @param {T} fallback @returns {T} */
  const load = (key, fallback) => {
    const value = storage.get(key);
    return value === undefined ? fallback : /** @type {T} */ (JSON.parse(JSON.stringify(value)));
  };
  /** A stored value itself, deep-frozen: only to read (no copy on the daily path). @template T @param {string} key @param {T} fallback @returns {T} */
  const read = (key, fallback) => {
    const value = storage.get(key);
    return value === undefined ? fallback : /** @type {T} */ (/** @type {unknown} */ (value));
  };
  /** @param {string} key @param {unknown} value */
  const save = (key, value) => storage.set(key, /** @type {Json} */ (value));

  /** @returns {ScheduleEntry[]} */
  const schedule = () => load('schedule', /** @type {ScheduleEntry[]} */ ([]));
  /** End of the last day billed (UTC ms); 0 before the first. */
  const billedUntil = () => read('billedUntil', 0);

  /** @param {MonthRegister} month */
  const closeMonth = (month) => {
    outbox.put('bill-statement', {
      statementId: `${month.period}/${month.tariffId}`,
      period: month.period,
      amountPence: toPence(month.microPence),
      importWh: month.importWh,
      exportWh: month.exportWh,
    });
  };

  /** Coarsest setting in force at any moment of [fromUtc, toUtc). @param {number} fromUtc @param {number} toUtc @returns {Sharing} */
  const sharingFor = (fromUtc, toUtc) => {
    const preset = read('preset', /** @type {string} */ ('hydra'));
    const choices = read('sharing', /** @type {SharingChoice[]} */ ([]));
    /** @type {Sharing} */
    let current = preset === 'gb-licence' ? 'daily' : 'monthly';
    for (const choice of choices) {
      if (choice.fromUtc <= fromUtc) current = choice.setting;
    }
    let coarsest = SHARING.indexOf(current);
    for (const choice of choices) {
      if (choice.fromUtc > fromUtc && choice.fromUtc < toUtc) coarsest = Math.min(coarsest, SHARING.indexOf(choice.setting));
    }
    return SHARING[coarsest] ?? 'monthly';
  };

  /** @param {string} tariffId @param {'applied' | 'refused'} result @param {string | null} reason @param {number} status */
  const ack = (tariffId, result, reason, status) => {
    const body = { tariffId, result, reason };
    outbox.put('tariff-ack', body);
    return { status, body };
  };

  /** @param {Record<string, Json>} body @returns {AppletResponse} */
  const setTariff = (body) => {
    const tariff = body.tariff;
    const idForAck = tariff && typeof tariff === 'object' && !Array.isArray(tariff) && typeof tariff.id === 'string' ? tariff.id.slice(0, 64) : '';
    const problem = tariffProblem(tariff);
    if (problem) return ack(idForAck, 'refused', `malformed: ${problem}`, WRONG_DATA);
    const t = /** @type {Tariff} */ (/** @type {unknown} */ (tariff));
    const key = storage.get('tariffKey');
    if (typeof key === 'string') {
      if (!crypto) return ack(t.id, 'refused', 'signature: this meter offers no crypto capability', CONDITIONS_NOT_SATISFIED);
      if (!isHex(body.signature) || !crypto.verify(/** @type {string} */ (body.signature), canonicalJson(t), key)) {
        return ack(t.id, 'refused', 'signature: not signed by the supplier tariff key', SECURITY_NOT_SATISFIED);
      }
    }
    const billed = billedUntil();
    const fromUtc = t.effectiveFromUtc ?? Math.max(billed, clock ? clock.now() : 0);
    if (t.effectiveFromUtc !== undefined && t.effectiveFromUtc < billed) {
      return ack(t.id, 'refused', 'effective time: already billed up to that time', CONDITIONS_NOT_SATISFIED);
    }
    const entries = schedule();
    const same = entries.find((e) => e.tariff.id === t.id);
    if (same) {
      if (t.kind === 'dynamic' && same.tariff.kind === 'dynamic') {
        // A day-ahead publication of the same dynamic tariff: add its days of prices.
        const { prices: _a, effectiveFromUtc: _b, ...fixed } = t;
        const { prices: _c, effectiveFromUtc: _d, ...known } = same.tariff;
        if (canonicalJson(fixed) !== canonicalJson(known)) return ack(t.id, 'refused', 'tariff id reused with other terms', CONDITIONS_NOT_SATISFIED);
        const merged = (same.tariff.prices ?? []).filter((p) => !(t.prices ?? []).some((q) => q.date === p.date));
        same.tariff = { ...same.tariff, prices: [...merged, ...(t.prices ?? [])] };
        save('schedule', entries);
        return ack(t.id, 'applied', null, OK);
      }
      if (canonicalJson({ ...same.tariff, effectiveFromUtc: undefined }) === canonicalJson({ ...t, effectiveFromUtc: undefined })) return ack(t.id, 'applied', null, OK);
      return ack(t.id, 'refused', 'tariff id reused with other terms', CONDITIONS_NOT_SATISFIED);
    }
    const next = entries.filter((e) => e.fromUtc !== fromUtc);
    next.push({ fromUtc, tariff: t });
    next.sort((a, b) => a.fromUtc - b.fromUtc);
    save('schedule', next);
    return ack(t.id, 'applied', null, OK);
  };

  /** @param {Record<string, Json>} body @returns {AppletResponse} */
  const setSharing = (body) => {
    /** @param {string} reason @param {number} status */
    const refuse = (reason, status) => ({ status, body: { result: 'refused', reason, setting: null, effectiveFromUtc: null } });
    const consent = body.consent;
    if (!consent || typeof consent !== 'object' || Array.isArray(consent)) return refuse('consent: expected an object', WRONG_DATA);
    const setting = consent.setting;
    if (consent.kind !== 'data-sharing' || typeof setting !== 'string' || !SHARING.includes(/** @type {Sharing} */ (setting)) || !isInt(consent.sequence, 1, 2 ** 31)) {
      return refuse("consent: expected { kind: 'data-sharing', meterId, setting: 'monthly' | 'daily' | 'half-hourly', sequence ≥ 1 }", WRONG_DATA);
    }
    const householderKey = storage.get('householderKey');
    if (typeof householderKey !== 'string' || !crypto) return refuse('consent: no householder key personalised', CONDITIONS_NOT_SATISFIED);
    if (!isHex(body.signature) || !crypto.verify(/** @type {string} */ (body.signature), canonicalJson(consent), householderKey)) {
      return refuse('consent: not signed by the householder', SECURITY_NOT_SATISFIED);
    }
    const meterId = storage.get('meterId');
    if (typeof meterId === 'string' && consent.meterId !== meterId) return refuse('consent: issued for another meter', SECURITY_NOT_SATISFIED);
    if (/** @type {number} */ (consent.sequence) <= load('sharingSequence', 0)) return refuse('consent: replayed or out of order', SECURITY_NOT_SATISFIED);
    const fromUtc = Math.max(billedUntil(), clock ? clock.now() : 0);
    const choices = load('sharing', /** @type {SharingChoice[]} */ ([])).filter((c) => c.fromUtc < fromUtc).slice(-8);
    choices.push({ fromUtc, setting: /** @type {Sharing} */ (setting) });
    save('sharing', choices);
    save('sharingSequence', consent.sequence);
    return { status: OK, body: { result: 'applied', reason: null, setting, effectiveFromUtc: fromUtc } };
  };

  /** The setting for the next day to be metered, as the in-home display shows it. @returns {AppletResponse} */
  const sharingStatus = () => {
    const preset = load('preset', /** @type {string} */ ('hydra'));
    const from = Math.max(billedUntil(), clock ? clock.now() : 0);
    const choice = load('sharing', /** @type {SharingChoice[]} */ ([])).filter((c) => c.fromUtc <= from).at(-1);
    return {
      status: OK,
      body: { result: 'applied', reason: null, preset, setting: choice ? choice.setting : preset === 'gb-licence' ? 'daily' : 'monthly', effectiveFromUtc: choice ? choice.fromUtc : null, sequence: load('sharingSequence', 0) },
    };
  };

  /** @param {Record<string, Json>} body @returns {AppletResponse} */
  const personalise = (body) => {
    /** @param {string} reason @param {number} status */
    const refuse = (reason, status) => ({ status, body: { result: 'refused', reason } });
    /** @type {[string, Json][]} */
    const writes = [];
    for (const name of ['tariffKey', 'householderKey']) {
      const value = body[name];
      if (value === undefined) continue;
      if (!isHex(value) || (/** @type {string} */ (value).length !== 66 && /** @type {string} */ (value).length !== 130)) return refuse(`${name}: expected a SEC 1 P-256 public key in hex`, WRONG_DATA);
      writes.push([name, /** @type {string} */ (value).toLowerCase()]);
    }
    if (body.meterId !== undefined) {
      if (typeof body.meterId !== 'string' || body.meterId.length === 0 || body.meterId.length > 64) return refuse('meterId: expected a string of 1–64 characters', WRONG_DATA);
      writes.push(['meterId', body.meterId]);
    }
    if (body.preset !== undefined) {
      if (body.preset !== 'hydra' && body.preset !== 'gb-licence') return refuse("preset: expected 'hydra' or 'gb-licence'", WRONG_DATA);
      writes.push(['preset', body.preset]);
    }
    // Write-once (STORE DATA at set-up): a later party cannot swap the keys consent is checked against.
    for (const [name, value] of writes) {
      const existing = storage.get(name);
      if (existing !== undefined && existing !== value) return refuse(`${name}: already personalised`, CONDITIONS_NOT_SATISFIED);
    }
    for (const [name, value] of writes) storage.set(name, value);
    return { status: OK, body: { result: 'applied', reason: null } };
  };

  return {
    /** @param {MetrologyDay} day */
    onMetrology(day) {
      const endUtc = day.startUtc + day.halfHours * HALF_HOUR_MS;
      const entries = read('schedule', /** @type {ScheduleEntry[]} */ ([]));
      const first = entries[0];
      if (!first || first.fromUtc >= endUtc) {
        save('billedUntil', Math.max(billedUntil(), endUtc));
        return; // no tariff in force yet: nothing to bill against
      }
      const period = day.date.slice(0, 7);
      // The month register is flat (numbers and strings): a field-by-field copy is a whole copy to change.
      const stored = read('month', /** @type {MonthRegister | undefined} */ (undefined));
      /** @type {MonthRegister | undefined} */
      let month = stored
        ? { period: stored.period, tariffId: stored.tariffId, importWh: stored.importWh, exportWh: stored.exportWh, microPence: stored.microPence, tierWh: stored.tierWh }
        : undefined;
      if (month && month.period !== period) {
        closeMonth(month);
        month = undefined;
      }
      const atMidnight = tariffAt(entries, day.startUtc);
      month ??= { period, tariffId: first.tariff.id, importWh: 0, exportWh: 0, microPence: 0, tierWh: 0 };
      if (atMidnight) month.microPence += atMidnight.standingCharge * 1000;
      let dayImport = 0;
      let dayExport = 0;
      for (let i = 0; i < day.halfHours; i++) {
        const t = tariffAt(entries, day.startUtc + i * HALF_HOUR_MS);
        const importWh = day.importWh[i] ?? 0;
        const exportWh = day.exportWh[i] ?? 0;
        dayImport += importWh;
        dayExport += exportWh;
        if (!t) continue;
        month.tariffId = t.id;
        month.microPence += importCost(t, day, i, importWh, month);
        month.microPence -= exportWh * (t.exportRate ?? 0);
      }
      month.importWh += dayImport;
      month.exportWh += dayExport;

      const sharing = sharingFor(day.startUtc, endUtc);
      if (sharing === 'daily') outbox.put('consented-reads', { date: day.date, resolution: 'daily', importWh: dayImport, exportWh: dayExport });
      if (sharing === 'half-hourly') {
        outbox.put('consented-reads', {
          date: day.date,
          resolution: 'half-hourly',
          importWh: Array.from({ length: day.halfHours }, (_, i) => day.importWh[i] ?? 0),
          exportWh: Array.from({ length: day.halfHours }, (_, i) => day.exportWh[i] ?? 0),
        });
      }

      // A month closes on its last day, so the statement is ready when the next month begins.
      const ymd = parseDate(day.date);
      if (ymd && ymd[2] === daysInMonth(ymd[0], ymd[1])) {
        closeMonth(month);
        storage.delete('month');
      } else {
        save('month', month);
      }
      // Forget tariffs superseded before the end of this day, and dynamic prices already used.
      let inForce = 0;
      let dynamic = false;
      for (let k = 0; k < entries.length; k++) {
        const entry = /** @type {ScheduleEntry} */ (entries[k]);
        if (entry.fromUtc <= endUtc) inForce = k;
        if (entry.tariff.kind === 'dynamic') dynamic = true;
      }
      if (inForce > 0 || dynamic) {
        const kept = entries.slice(inForce).map((e) =>
          e.tariff.kind === 'dynamic' ? { ...e, tariff: { ...e.tariff, prices: (e.tariff.prices ?? []).filter((p) => p.date > day.date) } } : e,
        );
        save('schedule', kept);
      }
      save('billedUntil', Math.max(billedUntil(), endUtc));
    },

    /** @param {AppletCommand} command @returns {AppletResponse} */
    process(command) {
      if (command.name === 'set-tariff') return setTariff(command.body);
      if (command.name === 'set-sharing') return setSharing(command.body);
      if (command.name === 'sharing') return sharingStatus();
      if (command.name === 'personalise') return personalise(command.body);
      return { status: INS_NOT_SUPPORTED, body: { result: 'refused', reason: `billing: unknown command ${command.name.slice(0, 32)}` } };
    },
  };
}
