// Load-control applet: signed commands only, no replays, randomised start ≤ 600 s, and the home's
// demand follows the windows the actuator receives.
import { describe, expect, it } from 'vitest';
import { datesBetween, londonDay } from '../../src/calendar';
import { createHomeProfile, simulateHomeDay, type ControlWindow, type HomeProfile } from '../../src/home/index';
import type { Json } from '../../src/secure-element/applet';
import { loadApplet, testSigner, type LoadedApplet } from './harness';

const dno = testSigner(3);
const impostor = testSigner(4);
const HH = 1_800_000;

function meter(secretByte = 0x5a): LoadedApplet {
  const applet = loadApplet('load-control');
  expect(applet.command('personalise', { dnoKey: dno.publicKeyHex, offsetSecret: secretByte.toString(16).padStart(2, '0').repeat(32) }).status).toBe(0x9000);
  return applet;
}

const base = { device: 'ev', action: 'off', limitKw: 0, durationSeconds: 3600, randomisationSeconds: 600 };
const signed = (command: { [key: string]: Json }, signer = dno) => ({ command, signature: signer.sign(command) });

describe('load-control: signed commands and replay protection', () => {
  const start = londonDay('2025-01-10').startUtc + 36 * HH;

  it('applies a signed command with a start offset in [0, 600] s, schedules the actuator and acks', () => {
    const applet = meter();
    applet.clock.now = start - HH;
    const r = applet.command('load-control', signed({ ...base, commandId: 'c1', sequence: 1, start }));
    expect(r.status).toBe(0x9000);
    const { appliedStart, appliedEnd } = r.body as { appliedStart: number; appliedEnd: number };
    expect(appliedStart - start).toBeGreaterThanOrEqual(0);
    expect(appliedStart - start).toBeLessThanOrEqual(600_000);
    expect((appliedStart - start) % 1000).toBe(0);
    expect(appliedEnd - appliedStart).toBe(3_600_000);
    expect(applet.sent).toEqual([{ messageClass: 'load-control-ack', body: { commandId: 'c1', result: 'applied', appliedStart, appliedEnd, reason: null } }]);
    expect([...applet.windows.values()]).toEqual([{ commandId: 'c1', device: 'ev', fromUtc: appliedStart, toUtc: appliedEnd, limitKw: 0 }]);
  });

  it('refuses unsigned, badly signed, replayed, stale-sequence, expired and malformed commands — and schedules nothing', () => {
    const applet = meter();
    applet.clock.now = start - HH;
    const cmd = { ...base, commandId: 'c1', sequence: 5, start };
    const refusals: [{ [key: string]: Json }, RegExp][] = [
      [{ command: cmd }, /signature/],
      [signed(cmd, impostor), /signature/],
      [{ command: { ...cmd, limitKw: 0, durationSeconds: 7200 }, signature: dno.sign(cmd) }, /signature/],
      [signed({ ...cmd, randomisationSeconds: 601 }), /randomisationSeconds/],
      [signed({ ...cmd, action: 'limit', limitKw: 0 }), /limitKw/],
      [signed({ ...cmd, device: 'kettle' }), /device/],
      [signed({ ...cmd, commandId: 'old', start: start - 3 * HH }), /expired/],
    ];
    for (const [body, reason] of refusals) {
      const r = applet.command('load-control', body);
      expect(r.body.result).toBe('refused');
      expect(String(r.body.reason)).toMatch(reason);
      expect(r.body.appliedStart).toBeNull();
    }
    expect(applet.windows.size).toBe(0);
    expect(applet.command('load-control', signed(cmd)).body.result).toBe('applied');
    expect(applet.command('load-control', signed(cmd)).body.reason).toMatch(/already seen/);
    expect(applet.command('load-control', signed({ ...cmd, commandId: 'c0', sequence: 4 })).body.reason).toMatch(/sequence 4 is not above 5/);
    expect(applet.command('load-control', signed({ ...cmd, commandId: 'c2', sequence: 5 })).body.reason).toMatch(/sequence/);
    expect(applet.windows.size).toBe(1);
    expect(applet.sent.every((s) => s.messageClass === 'load-control-ack')).toBe(true);
  });

  it('refuses everything until personalised, and keys are write-once', () => {
    const applet = loadApplet('load-control');
    expect(applet.command('load-control', signed({ ...base, commandId: 'x', sequence: 1, start })).body.reason).toMatch(/not personalised/);
    applet.command('personalise', { dnoKey: dno.publicKeyHex, offsetSecret: 'ab'.repeat(32) });
    expect(applet.command('personalise', { dnoKey: impostor.publicKeyHex }).status).toBe(0x6985);
  });

  it('randomisation: deterministic per meter and command, spread over the whole window, different between meters', () => {
    const a = meter(0x11);
    const b = meter(0x22);
    const offsets: number[] = [];
    let differ = 0;
    for (let k = 1; k <= 400; k++) {
      const command = { ...base, commandId: `cmd-${k}`, sequence: k, start };
      const ra = a.command('load-control', signed(command)).body.appliedStart as number;
      const rb = b.command('load-control', signed(command)).body.appliedStart as number;
      offsets.push((ra - start) / 1000);
      if (ra !== rb) differ++;
    }
    const again = meter(0x11).command('load-control', signed({ ...base, commandId: 'cmd-1', sequence: 1, start })).body.appliedStart as number;
    expect((again - start) / 1000).toBe(offsets[0]);
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...offsets)).toBeLessThanOrEqual(600);
    const mean = offsets.reduce((s, x) => s + x, 0) / offsets.length;
    expect(mean).toBeGreaterThan(300 - 35); // uniform on 0…600: mean 300, sd of the mean ≈ 8.7
    expect(mean).toBeLessThan(300 + 35);
    const quarters = [0, 0, 0, 0];
    for (const o of offsets) quarters[Math.min(3, Math.floor(o / 150.25))]!++;
    for (const q of quarters) expect(q).toBeGreaterThan(60);
    expect(differ).toBeGreaterThan(390);
  });
});

describe('load-control: demand follows the actuator (host feeds the windows to simulateHomeDay)', () => {
  const profiles = Array.from({ length: 400 }, (_, i) => createHomeProfile('lc-world', i));
  const find = (pred: (p: HomeProfile) => boolean) => profiles.find(pred) ?? (() => { throw new Error('no such home'); })();

  it('an EV charger switched off for two hours draws nothing in the applied window, and charges later instead', () => {
    const home = find((p) => p.ev !== null && p.ev.plugIn === 'overnight' && p.ev.chargeEveryDays === 1);
    // A day where the car charges overnight.
    const date = datesBetween('2025-02-01', '2025-03-01').find((d) => simulateHomeDay(home, d).evWh.some((wh) => wh > 0))!;
    const baseline = simulateHomeDay(home, date);
    const first = baseline.evWh.findIndex((wh) => wh > 0);
    const start = baseline.startUtc + first * HH;
    const applet = meter();
    applet.clock.now = start - HH;
    const ack = applet.command('load-control', signed({ ...base, commandId: 'ev-1', sequence: 1, start, durationSeconds: 7200 })).body as { appliedStart: number; appliedEnd: number };
    const controls: ControlWindow[] = [...applet.windows.values()].map(({ device, fromUtc, toUtc, limitKw }) => ({ device, fromUtc, toUtc, limitKw }));
    const controlled = simulateHomeDay(home, date, { controls });
    let inWindow = 0;
    for (let i = 0; i < controlled.halfHours; i++) {
      const from = controlled.startUtc + i * HH;
      if (from >= ack.appliedStart && from + HH <= ack.appliedEnd) inWindow += controlled.evWh[i]!;
    }
    const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, x) => s + x, 0);
    expect(inWindow).toBe(0);
    expect(sum(baseline.evWh.slice(first, first + 4))).toBeGreaterThan(5000);
    // The battery still fills: the energy moves later rather than disappearing.
    expect(sum(controlled.evWh)).toBeGreaterThan(0.8 * sum(baseline.evWh));
  });

  it('a heat pump limited to 0.2 kW draws at most 100 Wh in each fully covered half hour', () => {
    const home = find((p) => p.heating === 'heat-pump' && p.heatPumpKw > 1.5);
    const date = '2025-01-20';
    const baseline = simulateHomeDay(home, date);
    const busiest = Array.from(baseline.heatPumpWh).indexOf(Math.max(...Array.from(baseline.heatPumpWh.slice(0, 40))));
    const start = baseline.startUtc + busiest * HH;
    const applet = meter();
    applet.clock.now = start - HH;
    const ack = applet.command('load-control', signed({ ...base, device: 'heat-pump', action: 'limit', limitKw: 0.2, commandId: 'hp-1', sequence: 1, start, durationSeconds: 3 * 3600 })).body as { appliedStart: number; appliedEnd: number };
    const controls = [...applet.windows.values()].map(({ device, fromUtc, toUtc, limitKw }) => ({ device, fromUtc, toUtc, limitKw }));
    const controlled = simulateHomeDay(home, date, { controls });
    let covered = 0;
    for (let i = 0; i < controlled.halfHours; i++) {
      const from = controlled.startUtc + i * HH;
      if (from >= ack.appliedStart && from + HH <= ack.appliedEnd) {
        expect(controlled.heatPumpWh[i]).toBeLessThanOrEqual(100);
        covered++;
      }
    }
    expect(covered).toBeGreaterThanOrEqual(5);
    expect(baseline.heatPumpWh[busiest + 1]! + baseline.heatPumpWh[busiest + 2]!).toBeGreaterThan(200);
  });
});
