// @ts-check
/** @import { AppletCapabilities, AppletCommand, AppletInstance, ActivityStep, AppletManifest, AppletResponse, Json, MetrologyDay } from '../src/secure-element/applet' */
/**
 * Telecare applet — owned by the telecare provider; runs only in homes whose householder signed a
 * consent on the in-home display. The card manager loads and installs it only with that signed
 * consent (manifest `consent: 'householder'`), personalises it and hands it the consent, which it
 * checks again here against the householder key, through the `crypto` capability. Without a
 * verified consent it learns nothing and sends nothing; a signed withdrawal wipes everything it
 * learned, and revoking the consent deletes it from the card.
 *
 * It watches occupant activity (the metrology front end's load steps: kettle, lights, cooking…),
 * learns the household's routine, and raises one kind of message, 'wellbeing-alert' { type,
 * windowStart, windowEnd } (UTC ms), of two types (below).
 *
 * Learning: per local day the applet keeps two features — the wall-clock minute of the first
 * activity after the middle of the night, and which 15-minute wall-clock slots had an occupant's
 * appliance running (with a per-slot count over the reference, updated as days enter and leave
 * it). The reference is the last 28 ordinary days (not away, not alerted); alerts
 * start once `learningWeeks` (default 3) of reference days exist. The sleep window is the run of
 * slots (circular, so it may cross midnight) holding 03:00 in which activity ran on at most 10 %
 * of reference days, trimmed by 30 minutes at each end; the deadline is the latest first-activity
 * time of the reference days plus 90 minutes.
 *   no-activity-by-deadline   nothing from the middle of the night until the deadline
 *   activity-in-sleep-window  a burst of ≥ 2 load steps (gaps < 20 min) that begins and ends
 *                             inside the sleep window — up in the night and back to bed
 *
 * Alerts are raised when the day's metrology is fed (daily), so they reach the provider at the next
 * collect; an intraday feed would be needed for minutes-scale response.
 *
 * Commands (householder documents are signed canonical JSON; `sequence` strictly increases):
 *   personalise { householderKey, meterId }                          write-once (the card manager, at install)
 *   consent     { consent: { service: 'telecare', meterId, sequence, learningWeeks? }, signature }
 *   withdraw    { withdrawal: { service: 'telecare', meterId, sequence }, signature }
 *   set-away    { away: { service: 'telecare', meterId, sequence, from, to }, signature }   dates inclusive
 * Every answer is { result: 'applied' | 'refused', reason }.
 *
 * @typedef {{ date: string, first: number | null, slots: number[] }} DayFeatures
 * @typedef {{ sleepFrom: number, sleepTo: number, middle: number, deadline: number, quiet: boolean[] }} Routine
 */

/** @type {AppletManifest} */
export const manifest = {
  id: 'telecare',
  version: '1.1.2',
  owner: 'telecare',
  capabilities: ['metrology', 'storage', 'outbox', 'crypto'],
  sends: ['wellbeing-alert'],
  // Optional: the card manager loads and installs it only with the householder's signed consent.
  consent: 'householder',
  description: 'With the householder\'s signed consent, learns the daily routine from appliance activity and alerts only on no activity by the usual time or activity in the usual sleep hours.',
};

const OK = 0x9000;
const SECURITY_NOT_SATISFIED = 0x6982;
const CONDITIONS_NOT_SATISFIED = 0x6985;
const WRONG_DATA = 0x6a80;
const INS_NOT_SUPPORTED = 0x6d00;

const SLOT_MIN = 15;
const SLOTS = 96;
const REFERENCE_DAYS = 28;
const QUIET_SHARE = 0.1;
const TRIM_SLOTS = 2;
const DEADLINE_MARGIN_MIN = 90;
const CLUSTER_GAP_MIN = 20;
const NIGHT_SLOT = 12; // 03:00

/** @param {unknown} v */
const isHex = (v) => typeof v === 'string' && v.length > 0 && v.length <= 256 && /^(?:[0-9a-f]{2})+$/i.test(v);
/** @param {unknown} v @param {number} min @param {number} max */
const isInt = (v, min, max) => Number.isSafeInteger(v) && /** @type {number} */ (v) >= min && /** @type {number} */ (v) <= max;
/** @param {unknown} v */
const isDate = (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);

/** @param {unknown} value @returns {string} */
function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const record = /** @type {Record<string, unknown>} */ (value);
    return `{${Object.keys(record)
      .sort()
      .filter((k) => record[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Elapsed minute of the local day → wall-clock minute. Spring day (46 half-hours): the clocks jump
 * from 01:00 to 02:00; autumn day (50): 01:00–02:00 happens twice.
 * @param {number} halfHours @param {number} elapsed
 */
function wallOf(halfHours, elapsed) {
  if (halfHours === 46 && elapsed >= 60) return elapsed + 60;
  if (halfHours === 50 && elapsed >= 120) return elapsed - 60;
  return elapsed;
}

/** Wall-clock minute → elapsed minute (the first occurrence on the autumn day). @param {number} halfHours @param {number} wall */
function elapsedOf(halfHours, wall) {
  if (halfHours === 46 && wall >= 60) return Math.max(60, wall - 60);
  if (halfHours === 50 && wall >= 120) return wall + 60;
  return wall;
}

/**
 * How many reference days had activity in each slot.
 * @param {readonly DayFeatures[]} days
 * @returns {number[]}
 */
function slotCounts(days) {
  /** @type {number[]} */
  const counts = [];
  for (let s = 0; s < SLOTS; s++) counts.push(0);
  for (let k = 0; k < days.length; k++) {
    const slots = /** @type {DayFeatures} */ (days[k]).slots;
    for (let j = 0; j < slots.length; j++) {
      const s = /** @type {number} */ (slots[j]);
      counts[s] = /** @type {number} */ (counts[s]) + 1;
    }
  }
  return counts;
}

/**
 * The routine learned from reference days.
 * @param {readonly DayFeatures[]} days
 * @param {readonly number[]} counts  per slot, how many of `days` had activity in it (kept up to date day by day)
 * @returns {Routine | undefined}
 */
function learn(days, counts) {
  if (days.length === 0) return undefined;
  /** @type {boolean[]} */
  const quiet = [];
  for (let s = 0; s < SLOTS; s++) quiet.push(/** @type {number} */ (counts[s]) <= QUIET_SHARE * days.length);
  // The quiet run (circular) holding 03:00, else the longest one (a night-shift sleep by day).
  /** @type {{ start: number, length: number } | undefined} */
  let holds3am;
  /** @type {{ start: number, length: number } | undefined} */
  let longest;
  for (let start = 0; start < SLOTS; start++) {
    if (!quiet[start] || quiet[(start + SLOTS - 1) % SLOTS]) continue;
    let length = 0;
    while (length < SLOTS && quiet[(start + length) % SLOTS]) length++;
    const run = { start, length };
    if (!holds3am && (NIGHT_SLOT - start + SLOTS) % SLOTS < length) holds3am = run;
    if (!longest || length > longest.length) longest = run;
  }
  const run = holds3am ?? longest;
  if (!run || run.length <= 2 * TRIM_SLOTS + 1) return undefined;
  const from = (run.start + TRIM_SLOTS) % SLOTS;
  const length = run.length - 2 * TRIM_SLOTS;
  /** @type {boolean[]} */
  const window = [];
  for (let s = 0; s < SLOTS; s++) window.push((s - from + SLOTS) % SLOTS < length);
  const sleepTo = ((from + length) % SLOTS) * SLOT_MIN;
  const middle = ((from + Math.floor(length / 2)) % SLOTS) * SLOT_MIN;
  let latestFirst = -1;
  for (let k = 0; k < days.length; k++) {
    const first = /** @type {DayFeatures} */ (days[k]).first;
    if (first !== null && first > latestFirst) latestFirst = first;
  }
  if (latestFirst < 0) return undefined;
  const deadline = Math.min(1439, latestFirst + DEADLINE_MARGIN_MIN);
  return { sleepFrom: from * SLOT_MIN, sleepTo, middle, deadline, quiet: window };
}

/**
 * Activity as clusters of covered wall-clock minutes: steps whose running times overlap or lie
 * less than CLUSTER_GAP_MIN apart form one cluster.
 * @param {MetrologyDay} day
 * @returns {{ from: number, to: number, steps: number, startElapsed: number, endElapsed: number }[]}
 */
function clusters(day) {
  const activity = day.activity ?? [];
  /** @type {ActivityStep[]} */
  const steps = [];
  for (let k = 0; k < activity.length; k++) steps.push(/** @type {ActivityStep} */ (activity[k]));
  steps.sort((a, b) => a.minute - b.minute);
  /** @type {{ from: number, to: number, steps: number, startElapsed: number, endElapsed: number }[]} */
  const out = [];
  for (const a of steps) {
    const from = wallOf(day.halfHours, a.minute);
    const to = from + Math.max(1, a.durationMinutes);
    const last = out[out.length - 1];
    if (last && a.minute <= last.endElapsed + CLUSTER_GAP_MIN) {
      last.to = Math.max(last.to, to);
      last.endElapsed = Math.max(last.endElapsed, a.minute + a.durationMinutes);
      last.steps++;
    } else {
      out.push({ from, to, steps: 1, startElapsed: a.minute, endElapsed: a.minute + a.durationMinutes });
    }
  }
  return out;
}

/**
 * @param {AppletCapabilities} caps
 * @returns {AppletInstance}
 */
export default function createTelecareApplet(caps) {
  const { storage, outbox, crypto } = caps;
  if (!storage || !outbox) throw new Error('telecare: needs storage and outbox');

  const consented = () => storage.get('consent') !== undefined;

  /**
   * Checks a householder-signed document for this meter.
   * @param {Json | undefined} doc @param {Json | undefined} signature @param {string} service
   * @returns {string | undefined} why it is refused
   */
  const householderProblem = (doc, signature, service) => {
    const key = storage.get('householderKey');
    const meterId = storage.get('meterId');
    if (typeof key !== 'string' || typeof meterId !== 'string' || !crypto) return 'not personalised: no householder key';
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return 'document: expected an object';
    if (!isHex(signature) || !crypto.verify(/** @type {string} */ (signature), canonicalJson(doc), key)) return 'signature: not signed by the householder';
    if (doc.service !== service || doc.meterId !== meterId) return 'document: issued for another service or meter';
    if (!isInt(doc.sequence, 1, 2 ** 31) || /** @type {number} */ (doc.sequence) <= /** @type {number} */ (storage.get('sequence') ?? 0)) return 'document: replayed or out of order';
    return undefined;
  };

  /** @param {string} reason @param {number} status @returns {AppletResponse} */
  const refuse = (reason, status) => ({ status, body: { result: 'refused', reason } });
  /** @returns {AppletResponse} */
  const applied = () => ({ status: OK, body: { result: 'applied', reason: null } });

  /** @param {string} date */
  const isAway = (date) => {
    const away = /** @type {{ from: string, to: string }[]} */ (storage.get('away') ?? []);
    return away.some((a) => a.from <= date && date <= a.to);
  };

  return {
    /** @param {MetrologyDay} day */
    onMetrology(day) {
      if (!consented() || !day.activity) return;
      if (isAway(day.date)) return; // the householder said nobody is home: neither learn nor alert
      // Plain copies of the stored reference and counts, each stored (frozen) array read once: V8
      // reads a frozen array's elements on a slow path, and `slice` or spread of one is slower still.
      const storedReference = /** @type {DayFeatures[]} */ (/** @type {unknown} */ (storage.get('reference') ?? []));
      /** @type {DayFeatures[]} */
      const reference = [];
      for (let k = 0; k < storedReference.length; k++) reference.push(/** @type {DayFeatures} */ (storedReference[k]));
      // The per-slot counts move with the reference (one day in, at most one out), not recounted daily.
      const storedCounts = /** @type {number[] | undefined} */ (/** @type {unknown} */ (storage.get('slotCounts')));
      /** @type {number[]} */
      let counts = [];
      if (storedCounts && storedCounts.length === SLOTS) for (let s = 0; s < SLOTS; s++) counts.push(/** @type {number} */ (storedCounts[s]));
      else counts = slotCounts(reference);
      const routine = learn(reference, counts);
      // Slots in which an occupant's appliance was running (coverage, not only starts: a television
      // left on through the evening marks the evening as awake).
      const activity = day.activity;
      /** @type {number[]} */
      const covered = [];
      for (let s = 0; s < SLOTS; s++) covered.push(0);
      for (let k = 0; k < activity.length; k++) {
        const a = /** @type {ActivityStep} */ (activity[k]);
        const from = wallOf(day.halfHours, a.minute);
        const to = from + Math.max(1, a.durationMinutes);
        for (let m = from - (from % SLOT_MIN); m < to; m += SLOT_MIN) covered[Math.floor(m / SLOT_MIN) % SLOTS] = 1;
      }
      /** @type {number[]} */
      const slots = [];
      for (let s = 0; s < SLOTS; s++) if (covered[s]) slots.push(s);
      // The morning begins halfway through the night: anyone up after that is up.
      const morningFrom = routine ? routine.middle : 240;
      /** @param {number} w */
      const afterMorning = (w) => (routine && routine.middle > routine.deadline ? w >= morningFrom || w <= routine.deadline : w >= morningFrom);
      let first = null;
      for (let k = 0; k < activity.length; k++) {
        const w = wallOf(day.halfHours, /** @type {ActivityStep} */ (activity[k]).minute);
        if (afterMorning(w) && (first === null || w < first)) first = w;
      }
      const learningWeeks = /** @type {number} */ (storage.get('learningWeeks') ?? 3);
      const dayEnd = day.startUtc + day.halfHours * 1_800_000;
      const at = (/** @type {number} */ wall) => Math.min(dayEnd, day.startUtc + elapsedOf(day.halfHours, wall) * 60_000);
      let alerted = false;
      if (routine && reference.length >= learningWeeks * 7) {
        if (routine.deadline > routine.sleepTo && (first === null || first > routine.deadline)) {
          outbox.put('wellbeing-alert', { type: 'no-activity-by-deadline', windowStart: at(routine.sleepTo), windowEnd: at(routine.deadline) });
          alerted = true;
        }
        // Someone up in the night and back to bed: a cluster of at least two steps that starts and
        // ends inside the quiet hours (an early rise runs on into the morning and is not one).
        for (const c of clusters(day)) {
          const inside = (/** @type {number} */ w) => routine.quiet[Math.floor(w / SLOT_MIN) % SLOTS] === true;
          if (c.steps >= 2 && inside(c.from) && inside(c.to)) {
            outbox.put('wellbeing-alert', {
              type: 'activity-in-sleep-window',
              windowStart: day.startUtc + c.startElapsed * 60_000,
              windowEnd: Math.min(dayEnd, day.startUtc + c.endElapsed * 60_000),
            });
            alerted = true;
            break;
          }
        }
      }
      if (!alerted && day.activity.length > 0) {
        // The plain copies become the new reference and counts (today in, the oldest day out).
        const dropped = reference.length >= REFERENCE_DAYS ? reference[reference.length - REFERENCE_DAYS] : undefined;
        const next = dropped ? reference.slice(reference.length - REFERENCE_DAYS + 1) : reference;
        next.push({ date: day.date, first, slots });
        for (const s of slots) counts[s] = /** @type {number} */ (counts[s]) + 1;
        if (dropped) {
          for (let j = 0; j < dropped.slots.length; j++) {
            const s = /** @type {number} */ (dropped.slots[j]);
            counts[s] = /** @type {number} */ (counts[s]) - 1;
          }
        }
        storage.set('reference', /** @type {Json} */ (next));
        storage.set('slotCounts', counts);
      }
    },

    /** @param {AppletCommand} command @returns {AppletResponse} */
    process(command) {
      const b = command.body;
      switch (command.name) {
        case 'personalise': {
          if (!isHex(b.householderKey) || (String(b.householderKey).length !== 66 && String(b.householderKey).length !== 130)) return refuse('householderKey: expected a SEC 1 P-256 public key in hex', WRONG_DATA);
          if (typeof b.meterId !== 'string' || b.meterId.length === 0 || b.meterId.length > 64) return refuse('meterId: expected a string of 1–64 characters', WRONG_DATA);
          const key = String(b.householderKey).toLowerCase();
          for (const [name, value] of /** @type {[string, string][]} */ ([['householderKey', key], ['meterId', b.meterId]])) {
            const existing = storage.get(name);
            if (existing !== undefined && existing !== value) return refuse(`${name}: already personalised`, CONDITIONS_NOT_SATISFIED);
          }
          storage.set('householderKey', key);
          storage.set('meterId', b.meterId);
          return applied();
        }
        case 'consent': {
          const problem = householderProblem(b.consent, b.signature, 'telecare');
          if (problem) return refuse(problem, problem.startsWith('not personalised') ? CONDITIONS_NOT_SATISFIED : SECURITY_NOT_SATISFIED);
          const doc = /** @type {{ [key: string]: Json }} */ (b.consent);
          const weeks = doc.learningWeeks ?? 3;
          if (!isInt(weeks, 1, 4)) return refuse('consent.learningWeeks: expected 1…4', WRONG_DATA);
          storage.set('sequence', doc.sequence ?? 0);
          storage.set('consent', true);
          storage.set('learningWeeks', weeks);
          return applied();
        }
        case 'withdraw': {
          const problem = householderProblem(b.withdrawal, b.signature, 'telecare');
          if (problem) return refuse(problem, SECURITY_NOT_SATISFIED);
          const keep = new Set(['householderKey', 'meterId']);
          for (const key of storage.keys()) if (!keep.has(key)) storage.delete(key);
          storage.set('sequence', /** @type {{ [key: string]: Json }} */ (b.withdrawal).sequence ?? 0);
          return applied();
        }
        case 'set-away': {
          const problem = householderProblem(b.away, b.signature, 'telecare');
          if (problem) return refuse(problem, SECURITY_NOT_SATISFIED);
          const doc = /** @type {{ [key: string]: Json }} */ (b.away);
          if (!isDate(doc.from) || !isDate(doc.to) || /** @type {string} */ (doc.to) < /** @type {string} */ (doc.from)) return refuse('away: expected from ≤ to as YYYY-MM-DD', WRONG_DATA);
          const away = /** @type {{ from: string, to: string }[]} */ (storage.get('away') ?? []);
          storage.set('away', [...away, { from: /** @type {string} */ (doc.from), to: /** @type {string} */ (doc.to) }].slice(-16));
          storage.set('sequence', doc.sequence ?? 0);
          return applied();
        }
        default:
          return refuse(`telecare: unknown command ${command.name.slice(0, 32)}`, INS_NOT_SUPPORTED);
      }
    },
  };
}
