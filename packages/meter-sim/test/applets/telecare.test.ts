// Telecare applet: consent first, then routine learning and alerts, measured over simulated homes
// with injected incidents ('no-activity-day', 'disturbed-night').
import { describe, expect, it } from 'vitest';
import { addDays, datesBetween, londonDay } from '../../src/calendar';
import { createHomeProfile, simulateHomeDay, type Archetype, type HomeProfile, type Incident } from '../../src/home/index';
import type { Json } from '../../src/secure-element/applet';
import { loadApplet, metrologyFromHomeDay, testSigner, type LoadedApplet } from './harness';

const householder = testSigner(21);
const stranger = testSigner(22);
const SEED = 'telecare-world';

function installed(meterId: string): LoadedApplet {
  const applet = loadApplet('telecare');
  expect(applet.command('personalise', { householderKey: householder.publicKeyHex, meterId }).status).toBe(0x9000);
  return applet;
}
const signedDoc = (field: string, doc: { [key: string]: Json }, signer = householder) => ({ [field]: doc, signature: signer.sign(doc) });

/** Local dates of a profile's holidays in a year. */
function holidayDates(profile: HomeProfile, year: number): Set<string> {
  const out = new Set<string>();
  for (const h of profile.holidays) for (let k = 0; k < h.days; k++) out.add(addDays(`${year}-01-01`, h.startDayOfYear - 1 + k));
  return out;
}

/** Deterministic incident plan: `n` days of each kind, spread over the evaluation period, not on holidays. */
function planIncidents(profile: HomeProfile, days: string[], holidays: Set<string>, n: number): Incident[] {
  const usable = days.filter((d) => !holidays.has(d) && !holidays.has(addDays(d, -1)) && !holidays.has(addDays(d, 1)));
  const out: Incident[] = [];
  const step = Math.floor(usable.length / (2 * n));
  for (let k = 0; k < 2 * n; k++) {
    const date = usable[(k * step + (profile.index % step)) % usable.length]!;
    out.push({ kind: k % 2 === 0 ? 'no-activity-day' : 'disturbed-night', date });
  }
  return out;
}

interface Outcome {
  incidents: number;
  detected: number;
  byKind: Record<Incident['kind'], { incidents: number; detected: number }>;
  falseAlarms: number;
  homeMonths: number;
  falseAlarmsWithoutAway: number;
}

/** Runs homes of one archetype through learning and evaluation, with and without away marking. */
function evaluate(archetype: Archetype, homes: number): Outcome {
  const profiles = Array.from({ length: 400 }, (_, i) => createHomeProfile(SEED, i)).filter((p) => p.archetype === archetype).slice(0, homes);
  const learning = datesBetween('2025-01-06', '2025-01-27');
  const evaluation = datesBetween('2025-01-27', '2025-05-05'); // 14 weeks, spring clock change included
  const outcome: Outcome = {
    incidents: 0,
    detected: 0,
    byKind: { 'no-activity-day': { incidents: 0, detected: 0 }, 'disturbed-night': { incidents: 0, detected: 0 } },
    falseAlarms: 0,
    homeMonths: 0,
    falseAlarmsWithoutAway: 0,
  };
  for (const profile of profiles) {
    const holidays = holidayDates(profile, 2025);
    const incidents = planIncidents(profile, evaluation, holidays, 3);
    for (const markAway of [true, false]) {
      const meterId = `tc-${profile.index}`;
      const applet = installed(meterId);
      applet.command('consent', signedDoc('consent', { service: 'telecare', meterId, sequence: 1, learningWeeks: 3 }));
      if (markAway) {
        let sequence = 2;
        for (const h of profile.holidays) {
          const from = addDays('2025-01-01', h.startDayOfYear - 1);
          applet.command('set-away', signedDoc('away', { service: 'telecare', meterId, sequence: sequence++, from, to: addDays(from, h.days - 1) }));
        }
      }
      for (const date of [...learning, ...evaluation]) {
        const day = simulateHomeDay(profile, date, { incidents });
        applet.feed(metrologyFromHomeDay(day, londonDay(date).weekday));
        const alerts = applet.drain().map((s) => s.body as { type: string; windowStart: number; windowEnd: number });
        if (learning.includes(date)) {
          expect(alerts).toEqual([]);
          continue;
        }
        const incident = incidents.find((i) => i.date === date);
        let applicable = Boolean(incident);
        if (incident?.kind === 'disturbed-night') {
          // A disturbed night needs a night asleep at home to disturb.
          applicable = simulateHomeDay(profile, date).activity.length !== day.activity.length;
        }
        const expectedType = incident?.kind === 'no-activity-day' ? 'no-activity-by-deadline' : 'activity-in-sleep-window';
        if (!markAway) {
          if (!incident) outcome.falseAlarmsWithoutAway += alerts.length;
          continue;
        }
        if (incident && applicable) {
          outcome.incidents++;
          outcome.byKind[incident.kind].incidents++;
          if (alerts.some((a) => a.type === expectedType)) {
            outcome.detected++;
            outcome.byKind[incident.kind].detected++;
          }
        } else if (!incident) {
          outcome.falseAlarms += alerts.length;
        }
        for (const a of alerts) {
          expect(a.windowEnd).toBeGreaterThanOrEqual(a.windowStart);
          expect(a.windowStart).toBeGreaterThanOrEqual(day.startUtc);
          expect(a.windowEnd).toBeLessThanOrEqual(day.startUtc + day.halfHours * 1_800_000 + 3_600_000);
        }
      }
    }
    outcome.homeMonths += evaluation.length / 30.44;
  }
  return outcome;
}

describe('telecare: detection and false-alarm rates over simulated homes', () => {
  it('single pensioners (the service\'s users): detects ≥ 80 % of incidents with ≤ 1 false alarm per home-month', () => {
    const o = evaluate('single-pensioner', 24);
    const rate = o.detected / o.incidents;
    const falsePerMonth = o.falseAlarms / o.homeMonths;
    console.info(
      `telecare single-pensioner: ${o.detected}/${o.incidents} incidents detected (${(100 * rate).toFixed(1)} %; no-activity ${o.byKind['no-activity-day'].detected}/${o.byKind['no-activity-day'].incidents}, disturbed-night ${o.byKind['disturbed-night'].detected}/${o.byKind['disturbed-night'].incidents}); ` +
        `${o.falseAlarms} false alarms over ${o.homeMonths.toFixed(1)} home-months (${falsePerMonth.toFixed(2)} per home-month); without away marking ${(o.falseAlarmsWithoutAway / o.homeMonths).toFixed(2)} per home-month`,
    );
    expect(o.incidents).toBeGreaterThan(100);
    expect(rate).toBeGreaterThanOrEqual(0.8);
    expect(falsePerMonth).toBeLessThanOrEqual(1);
  });

  it('other households: rates measured and bounded more loosely (multi-occupant routines are noisier)', () => {
    for (const archetype of ['working-couple', 'family', 'home-worker'] as const) {
      const o = evaluate(archetype, 8);
      const rate = o.detected / o.incidents;
      const falsePerMonth = o.falseAlarms / o.homeMonths;
      console.info(`telecare ${archetype}: ${o.detected}/${o.incidents} detected (${(100 * rate).toFixed(1)} %), ${falsePerMonth.toFixed(2)} false alarms per home-month`);
      expect(rate).toBeGreaterThanOrEqual(0.6);
      expect(falsePerMonth).toBeLessThanOrEqual(2);
    }
  });
});

describe('telecare: consent', () => {
  const profile = Array.from({ length: 50 }, (_, i) => createHomeProfile(SEED, i)).find((p) => p.archetype === 'single-pensioner')!;
  const feedDays = (applet: LoadedApplet, from: string, to: string, incidents: Incident[] = []) => {
    for (const date of datesBetween(from, to)) applet.feed(metrologyFromHomeDay(simulateHomeDay(profile, date, { incidents }), londonDay(date).weekday));
  };

  it('without a householder-signed consent it learns nothing and sends nothing, whatever happens', () => {
    const applet = installed('m1');
    const forged = applet.command('consent', signedDoc('consent', { service: 'telecare', meterId: 'm1', sequence: 1 }, stranger));
    expect(forged).toEqual({ status: 0x6982, body: { result: 'refused', reason: 'signature: not signed by the householder' } });
    expect(applet.command('consent', signedDoc('consent', { service: 'telecare', meterId: 'other', sequence: 1 })).body.reason).toMatch(/another/);
    expect(applet.command('consent', { consent: { service: 'telecare', meterId: 'm1', sequence: 1 } }).body.result).toBe('refused');
    feedDays(applet, '2025-01-06', '2025-03-01', [{ kind: 'no-activity-day', date: '2025-02-20' }]);
    expect(applet.sent).toEqual([]);
    expect([...applet.storage.keys()].sort()).toEqual(['householderKey', 'meterId']);
  });

  it('an uninstalled-then-unpersonalised applet refuses consent', () => {
    const applet = loadApplet('telecare');
    expect(applet.command('consent', signedDoc('consent', { service: 'telecare', meterId: 'm1', sequence: 1 })).status).toBe(0x6985);
  });

  it('a signed withdrawal wipes the learned routine; a replayed consent is refused', () => {
    const applet = installed('m1');
    const consent = signedDoc('consent', { service: 'telecare', meterId: 'm1', sequence: 1 });
    expect(applet.command('consent', consent).body.result).toBe('applied');
    feedDays(applet, '2025-01-06', '2025-02-10');
    expect(applet.storage.get('reference')).toBeDefined();
    applet.drain();
    expect(applet.command('withdraw', signedDoc('withdrawal', { service: 'telecare', meterId: 'm1', sequence: 2 })).body.result).toBe('applied');
    expect([...applet.storage.keys()].sort()).toEqual(['householderKey', 'meterId', 'sequence']);
    expect(applet.command('consent', consent).body.reason).toMatch(/replayed/);
    feedDays(applet, '2025-02-10', '2025-02-20', [{ kind: 'no-activity-day', date: '2025-02-15' }]);
    expect(applet.sent).toEqual([]);
  });

  it('keeps its per-slot counts equal to a recount of the reference days as days enter and leave it', () => {
    const applet = installed('m1');
    applet.command('consent', signedDoc('consent', { service: 'telecare', meterId: 'm1', sequence: 1 }));
    feedDays(applet, '2025-01-06', '2025-03-20'); // 73 days: the 28-day reference has slid many times
    const reference = applet.storage.get('reference') as { slots: number[] }[];
    expect(reference).toHaveLength(28);
    const recount = Array.from({ length: 96 }, (_, slot) => reference.filter((day) => day.slots.includes(slot)).length);
    expect(applet.storage.get('slotCounts')).toEqual(recount);
  });

  it('sends only wellbeing-alert { type, windowStart, windowEnd }', () => {
    const applet = installed('m1');
    applet.command('consent', signedDoc('consent', { service: 'telecare', meterId: 'm1', sequence: 1 }));
    feedDays(applet, '2025-01-06', '2025-02-20', [{ kind: 'no-activity-day', date: '2025-02-18' }]);
    expect(applet.sent.length).toBeGreaterThan(0);
    for (const item of applet.sent) {
      expect(item.messageClass).toBe('wellbeing-alert');
      expect(Object.keys(item.body).sort()).toEqual(['type', 'windowEnd', 'windowStart']);
    }
    const day = londonDay('2025-02-18');
    expect(applet.sent).toContainEqual({ messageClass: 'wellbeing-alert', body: { type: 'no-activity-by-deadline', windowStart: expect.any(Number), windowEnd: expect.any(Number) } });
    const alert = applet.sent.find((s) => s.body.type === 'no-activity-by-deadline')!.body as { windowStart: number; windowEnd: number };
    expect(alert.windowStart).toBeGreaterThanOrEqual(day.startUtc);
    expect(alert.windowEnd).toBeLessThan(day.endUtc);
  });
});
