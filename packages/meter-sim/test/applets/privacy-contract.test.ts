// Property: for every applet and every consent / sharing setting, the message classes and fields
// that leave the meter (outbox items and command responses) are exactly the privacy contract's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, datesBetween, londonDay } from '../../src/calendar';
import { LOCAL_ONLY_APPLETS, permittedClasses, responseFields, UPLINK_CLASSES, type ContractConditions, type SharingSetting } from '../../src/privacy-contract';
import type { ActivityStep, Json } from '../../src/secure-element/applet';
import { aggregationFeeder, APPLET_FILES, loadApplet, metrologyDay, testSigner, type AppletName, type LoadedApplet } from './harness';

const supplier = testSigner(31);
const householder = testSigner(32);
const dno = testSigner(33);

/** Checks what left the meter against the contract; returns the set of classes seen. */
function checkAgainstContract(name: AppletName, applet: LoadedApplet, conditions: ContractConditions): Set<string> {
  const permitted = new Map(permittedClasses(name, conditions).map((c) => [c.messageClass, c]));
  const seen = new Set<string>();
  for (const item of applet.sent) {
    const contract = permitted.get(item.messageClass);
    expect(contract, `${name} sent ${item.messageClass} under ${JSON.stringify(conditions)}`).toBeDefined();
    expect(Object.keys(item.body).sort()).toEqual([...contract!.fields].sort());
    if (item.messageClass === 'consented-reads') expect(item.body.resolution).toBe(conditions.sharing);
    seen.add(item.messageClass);
  }
  if (!LOCAL_ONLY_APPLETS.includes(name)) {
    for (const { command, response } of applet.responses) {
      expect(Object.keys(response.body).sort(), `${name} ${command} response`).toEqual([...responseFields(name, command)].sort());
    }
  }
  return seen;
}

/** Random commands from an attacker or a confused party: any name from the applet's vocabulary, garbage bodies. */
const garbageCommand = fc.record({
  name: fc.constantFrom('set-tariff', 'set-sharing', 'personalise', 'configure', 'load-control', 'consent', 'withdraw', 'set-away', 'view', 'set-budget', 'public-key', 'roster', 'sharing', 'dump', 'read-all'),
  body: fc.dictionary(fc.constantFrom('tariff', 'signature', 'consent', 'command', 'setting', 'preset', 'peers', 'sagBelowV', 'away', 'tariffKey', 'roster', 'dnoKey'), fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, { maxKeys: 3 }),
});

const readings = fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 50, maxLength: 50 });

describe('privacy contract, as data', () => {
  it('names each class once, for a published applet, with its fields', () => {
    const names = UPLINK_CLASSES.map((c) => c.messageClass);
    expect(new Set(names).size).toBe(names.length);
    for (const c of UPLINK_CLASSES) expect(APPLET_FILES).toContain(c.applet);
  });

  it('every manifest declares exactly the classes the contract gives its applet', () => {
    for (const name of APPLET_FILES) {
      const applet = loadApplet(name);
      const contract = UPLINK_CLASSES.filter((c) => c.applet === name).map((c) => c.messageClass);
      expect([...applet.manifest.sends].sort(), name).toEqual(contract.sort());
    }
  });
});

describe('property: what leaves the meter equals the privacy contract', () => {
  const sharingCases: [preset: 'hydra' | 'gb-licence', choice: SharingSetting | null, effective: SharingSetting][] = [
    ['hydra', null, 'monthly'],
    ['hydra', 'monthly', 'monthly'],
    ['hydra', 'daily', 'daily'],
    ['hydra', 'half-hourly', 'half-hourly'],
    ['gb-licence', null, 'daily'],
    ['gb-licence', 'monthly', 'monthly'],
    ['gb-licence', 'half-hourly', 'half-hourly'],
  ];
  for (const [preset, choice, sharing] of sharingCases) {
    it(`billing, preset ${preset}, householder choice ${choice ?? 'none'} → ${sharing}`, () => {
      fc.assert(
        fc.property(
          fc.constantFrom('flat', 'economy7', 'tiered', 'time-of-use'),
          fc.integer({ min: 1, max: 27 }),
          readings,
          readings,
          fc.array(garbageCommand, { maxLength: 4 }),
          (kind, startDay, imports, exports, garbage) => {
            const applet = loadApplet('billing');
            applet.command('personalise', { tariffKey: supplier.publicKeyHex, householderKey: householder.publicKeyHex, meterId: 'm', preset });
            const from = `2025-01-${String(startDay).padStart(2, '0')}`;
            applet.clock.now = londonDay(from).startUtc;
            if (choice) {
              const consent = { kind: 'data-sharing', meterId: 'm', setting: choice, sequence: 1 };
              applet.command('set-sharing', { consent, signature: householder.sign(consent) });
            }
            const terms = { flat: { unitRate: 24_500 }, economy7: { dayRate: 30_000, nightRate: 12_000, offPeakFromUtcMinute: 30 }, tiered: { tierWh: 100_000, tier1Rate: 20_000, tier2Rate: 30_000 }, 'time-of-use': { defaultRate: 20_000, bands: [{ days: 'weekday', fromMinute: 960, toMinute: 1140, rate: 40_000 }] } }[kind];
            const tariff: { [key: string]: Json } = { id: `t-${kind}`, kind, standingCharge: 60_990, exportRate: 4_100, ...(terms as unknown as { [key: string]: Json }) };
            applet.command('set-tariff', { tariff, signature: supplier.sign(tariff) });
            for (const g of garbage) applet.command(g.name, g.body);
            for (const date of datesBetween(from, '2025-02-03')) {
              applet.clock.now = londonDay(date).startUtc;
              applet.feed(metrologyDay(date, { importWh: (i) => imports[i]!, exportWh: (i) => exports[i]! }));
            }
            const seen = checkAgainstContract('billing', applet, { sharing });
            expect([...seen].sort()).toEqual(permittedClasses('billing', { sharing }).map((c) => c.messageClass).sort());
          },
        ),
        { numRuns: 15 },
      );
    });
  }

  it('power-quality: only events, whatever the voltage does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ offsetS: fc.integer({ min: 0, max: 86_000 }), durationSeconds: fc.integer({ min: 0, max: 7200 }), extremeV: fc.double({ min: 0, max: 300, noNaN: true }) }), { maxLength: 8 }),
        fc.array(garbageCommand, { maxLength: 3 }),
        (excursions, garbage) => {
          const applet = loadApplet('power-quality');
          for (const g of garbage) applet.command(g.name, g.body);
          const day = metrologyDay('2025-02-10', { importWh: 400 });
          applet.feed({
            ...day,
            voltageExcursions: [{ startUtc: day.startUtc + 3_600_000, durationSeconds: 60, extremeV: 190 }, ...excursions.map((x) => ({ startUtc: day.startUtc + x.offsetS * 1000, durationSeconds: x.durationSeconds, extremeV: x.extremeV }))],
          });
          const seen = checkAgainstContract('power-quality', applet, {});
          expect([...seen]).toEqual(['power-quality-event']);
          for (const s of applet.sent) expect(['sag', 'swell', 'outage']).toContain(s.body.type);
        },
      ),
      { numRuns: 40 },
    );
  });

  for (const feederSize of [2, 4, 5, 9]) {
    it(`aggregation on a feeder of ${feederSize}: ${feederSize >= 5 ? 'one shares message a day' : 'nothing'}`, () => {
      fc.assert(
        fc.property(readings, fc.array(garbageCommand, { maxLength: 3 }), (imports, garbage) => {
          const ids = Array.from({ length: feederSize }, (_, j) => (j === 0 ? 'self' : `p${j}`));
          const [applet] = aggregationFeeder(ids, 'f1', dno, (a, i) => {
            if (i === 0) for (const g of garbage) a.command(g.name, g.body);
          });
          if (!applet) throw new Error('no applet');
          for (const date of ['2025-03-29', '2025-03-30']) applet.feed(metrologyDay(date, { importWh: (i) => imports[i]! }));
          const seen = checkAgainstContract('aggregation', applet, {});
          expect([...seen]).toEqual(feederSize >= 5 ? ['feeder-shares'] : []);
          if (feederSize >= 5) expect(applet.sent.map((s) => (s.body.shares as number[]).length)).toEqual([48, 46]);
        }),
        { numRuns: feederSize > 5 ? 4 : 10 },
      );
    });
  }

  it('load-control: only acks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 600 }), fc.constantFrom('ev', 'heat-pump'), fc.array(garbageCommand, { maxLength: 4 }), (randomisationSeconds, device, garbage) => {
        const applet = loadApplet('load-control');
        applet.command('personalise', { dnoKey: dno.publicKeyHex, offsetSecret: 'cd'.repeat(32) });
        for (const g of garbage) applet.command(g.name, g.body);
        const command = { commandId: 'c1', sequence: 1, device, action: 'off', limitKw: 0, start: 1_800_000_000_000, durationSeconds: 1800, randomisationSeconds };
        applet.command('load-control', { command, signature: dno.sign(command) });
        const seen = checkAgainstContract('load-control', applet, {});
        expect([...seen]).toEqual(['load-control-ack']);
      }),
      { numRuns: 20 },
    );
  });

  for (const consent of [false, true]) {
    it(`telecare ${consent ? 'with' : 'without'} the householder's consent: ${consent ? 'only wellbeing alerts' : 'nothing at all'}`, () => {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: -40, max: 40 }), { minLength: 40, maxLength: 40 }), fc.integer({ min: 0, max: 9 }), fc.array(garbageCommand, { maxLength: 3 }), (jitter, incidentDay, garbage) => {
          const applet = loadApplet('telecare');
          applet.command('personalise', { householderKey: householder.publicKeyHex, meterId: 'm' });
          for (const g of garbage) applet.command(g.name, g.body);
          if (consent) {
            const doc = { service: 'telecare', meterId: 'm', sequence: 1 };
            applet.command('consent', { consent: doc, signature: householder.sign(doc) });
          }
          const dates = datesBetween('2025-01-06', addDays('2025-01-06', 40));
          dates.forEach((date, k) => {
            const wake = 420 + jitter[k]!;
            const routine: ActivityStep[] = [
              { minute: wake, durationMinutes: 60, watts: 60 },
              { minute: wake + 10, durationMinutes: 3, watts: 3000 },
              { minute: 720, durationMinutes: 5, watts: 800 },
              { minute: 1020, durationMinutes: 240, watts: 90 },
              { minute: 1200, durationMinutes: 3, watts: 3000 },
            ];
            applet.feed({ ...metrologyDay(date, { importWh: 300 }), activity: k === 30 + incidentDay ? [] : routine });
          });
          const seen = checkAgainstContract('telecare', applet, { consent });
          expect([...seen]).toEqual(consent ? ['wellbeing-alert'] : []);
        }),
        { numRuns: 10 },
      );
    });
  }

  it('insights: nothing, ever', () => {
    fc.assert(
      fc.property(readings, fc.array(garbageCommand, { maxLength: 5 }), (imports, garbage) => {
        const applet = loadApplet('insights');
        for (const g of garbage) applet.command(g.name, g.body);
        for (const date of ['2025-01-30', '2025-01-31', '2025-02-01']) applet.feed(metrologyDay(date, { importWh: (i) => imports[i]! }));
        applet.command('view', {});
        expect(checkAgainstContract('insights', applet, {}).size).toBe(0);
        expect(applet.sent).toEqual([]);
      }),
      { numRuns: 20 },
    );
  });
});
