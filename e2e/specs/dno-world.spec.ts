// The DNO's whole path with real meters: the world page hosts a fresh world's meters in a Web
// Worker (SES compartments, the published applets), the relay announces each to the DNO, which
// personalises load-control and aggregation with its command key, asks each aggregation applet for
// the key it generated on the card, and signs each feeder's roster; each meter computes its pair
// secrets itself. The host wakes its meters once a month, so the first month sets all this up and
// the months after it report (the demo seed's first supply events fall in February). Then the DNO
// console shows feeder load recovered from masked shares — every complete half hour equal to the true sum of the feeder's homes, computed here from the same
// household model — and power-quality events from the meters; a campaign pushed to the feeder's
// meters comes back acknowledged with applied windows inside the randomisation window.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createHomeProfile, londonDateOf, simulateHomeDay } from '@hydra/meter-sim';
import { expect, test } from '../fixtures';
import { secret } from '../secrets';

interface World {
  seed: string;
  homes: { index: number; meterId: string; feederId: string }[];
}
interface Feeders {
  feeders: { feederId: string; homes: number; dnoMeters: number; reports: boolean; daysRecovered: number }[];
  dates: string[];
  date: string | null;
  loads: { feederId: string; period: number; totalWh: number | null; reported: number; expected: number }[];
}

test.describe('the DNO with the browser’s meters', () => {
  test('recovers exact feeder load and receives power-quality events from real meters, and its campaign is acknowledged by them', async ({ page, request }) => {
    test.setTimeout(900_000);
    const auth = { authorization: `Bearer ${secret('HYDRA_DNO_TOKEN')}` };
    const dnoGet = async <T,>(path: string): Promise<T> => {
      const response = await request.get(path, { headers: auth });
      expect(response.status(), path).toBe(200);
      return (await response.json()) as T;
    };
    // A fresh world of its own (the demo street's clock belongs to the other specs): the demo's
    // seed, 13 homes — a feeder of 8 and one of 5, both large enough to report.
    const worldId = `dno-e2e-${Date.now().toString(36)}`;
    const root = join(import.meta.dirname, '..', '..');
    execFileSync('npm', ['run', '--silent', 'hydra', '--', 'seed', '--world', worldId, '--seed', 'hydra-demo', '--homes', '13'], { cwd: root, stdio: 'pipe' });
    const world = (await (await request.get(`/api/worlds/${worldId}`)).json()) as World;
    expect(new Set(world.homes.map((h) => h.feederId)).size).toBe(2);

    const runMonth = async () => {
      await page.goto(`/worlds/${worldId}`);
      await expect(page.getByText(/Meters have run to \d{4}-\d{2}-\d{2}/)).toBeVisible({ timeout: 90_000 });
      await page.getByRole('button', { name: 'Run one month' }).click();
      await expect(page.getByText(/home-days simulated, \d+ sealed responses/)).toBeVisible({ timeout: 240_000 });
    };
    const reported = async () => {
      const [feeders, events] = await Promise.all([dnoGet<Feeders>(`/api/dno/feeders?worldId=${worldId}`), dnoGet<{ events: unknown[] }>(`/api/dno/events?worldId=${worldId}`)]);
      // The overview shows the newest day with a recovered (complete) half hour when there is one,
      // else the newest day with shares: only a complete half hour means a whole feeder reported.
      return feeders.loads.some((load) => load.totalWh !== null) && events.events.length > 0;
    };
    for (let month = 0; month < 4 && !(await reported()); month++) await runMonth();

    // Every reporting feeder's roster went out, and its complete half hours are the true feeder sums.
    const overview = await dnoGet<Feeders>(`/api/dno/feeders?worldId=${worldId}`);
    const reporting = overview.feeders.filter((f) => f.reports);
    expect(reporting.length).toBeGreaterThan(0);
    let checked = 0;
    // Every day the DNO holds: a half hour is either incomplete or exactly the feeder's import (the
    // host wakes monthly, so some meters' latest shares may still wait on the card for a collect).
    for (const date of overview.dates) {
      const day = await dnoGet<Feeders>(`/api/dno/feeders?worldId=${worldId}&date=${date}`);
      for (const feeder of reporting) {
        const homes = world.homes.filter((h) => h.feederId === feeder.feederId);
        const truth = homes.map((h) => simulateHomeDay(createHomeProfile(world.seed, h.index), date).importWh);
        for (const point of day.loads.filter((p) => p.feederId === feeder.feederId && p.totalWh !== null)) {
          expect(point.totalWh, `${feeder.feederId} ${date} period ${point.period}`).toBe(truth.reduce((sum, wh) => sum + (wh[point.period] ?? 0), 0));
          expect(point.reported).toBe(homes.length);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(48);
    const events = await dnoGet<{ events: { meterId: string; type: string }[] }>(`/api/dno/events?worldId=${worldId}`);
    expect(events.events.length).toBeGreaterThan(0);
    expect(events.events.every((e) => world.homes.some((h) => h.meterId === e.meterId))).toBe(true);

    // The console, as the DNO, shows the same.
    await page.goto('/dno');
    await page.getByLabel('View as').selectOption('dno');
    await page.getByRole('button', { name: 'Switch' }).click();
    await expect(page.getByLabel('View as')).toHaveValue('dno');
    await page.getByRole('combobox', { name: 'World' }).selectOption(worldId);
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page.getByRole('heading', { name: 'No feeder load yet' })).toHaveCount(0);
    await expect(page.getByRole('img', { name: /Feeder load per half hour on \d{4}-\d{2}-\d{2}, kWh/ })).toBeVisible();
    const shownDate = (await dnoGet<Feeders>(`/api/dno/feeders?worldId=${worldId}`)).date ?? '';
    await expect(page.getByText(`${shownDate}, per half hour, kWh: the sum of every feeder meter’s masked share.`)).toBeVisible();
    const loadTable = page.getByRole('table', { name: `Feeder load per half hour on ${shownDate}, kWh` });
    for (const feeder of reporting) await expect(loadTable.getByRole('columnheader', { name: `${feeder.feederId} (kWh)` })).toHaveCount(1);
    const eventTable = page.getByRole('table', { name: 'Power-quality events' });
    await expect(eventTable.getByRole('row').filter({ hasText: events.events[0]?.meterId ?? '-' }).first()).toBeVisible();
    await expect(eventTable.getByRole('row').filter({ has: page.getByRole('cell', { name: /^(sag|swell|outage)$/ }) }).first()).toBeVisible();

    // A campaign to the first reporting feeder, from the console, acknowledged by its real meters.
    const feederId = reporting[0]?.feederId ?? '';
    const meterIds = world.homes.filter((h) => h.feederId === feederId).map((h) => h.meterId);
    const form = page.getByRole('form', { name: 'New load-control campaign' });
    await form.getByLabel('Target feeder').selectOption(feederId);
    await form.getByLabel('Randomisation window (s, ≤ 600)').fill('600');
    // The host wakes monthly: a meter may take the command at the wake before the month's metering
    // or only at the one after it (its card clock then at the next month's start). A window on the
    // first evening of the month after next is live at either, so every meter applies it.
    // The clock is a London midnight: in summer time that is 23:00 UTC the day before, so the month
    // is read from the London date.
    const clock = londonDateOf(Date.parse(((await (await request.get(`/api/worlds/${worldId}`)).json()) as { clock: string }).clock));
    const windowStart = new Date(Date.UTC(Number(clock.slice(0, 4)), Number(clock.slice(5, 7)), 1, 17, 0));
    await form.getByLabel('Start (UTC)').fill(windowStart.toISOString().slice(0, 16));
    await form.getByRole('button', { name: 'Sign and send campaign' }).click();
    await expect(form.getByRole('status')).toContainText(`signed and queued to ${meterIds.length} meter(s)`);
    const campaignId = (await form.getByRole('status').locator('.font-mono').textContent()) ?? '';

    await runMonth();

    const { campaigns } = await dnoGet<{ campaigns: { campaignId: string; start: string; durationSeconds: number; randomisationSeconds: number; targets: { meterId: string; state: string; appliedStart: string | null; appliedEnd: string | null; reason: string | null }[] }[] }>(`/api/dno/campaigns?worldId=${worldId}`);
    const campaign = campaigns.find((c) => c.campaignId === campaignId);
    expect(campaign?.targets.map((t) => t.meterId)).toEqual(meterIds);
    const start = Date.parse(campaign?.start ?? '');
    expect(start).toBe(windowStart.getTime());
    for (const target of campaign?.targets ?? []) {
      expect(target.state, `${target.meterId}: ${target.reason ?? ''}`).toBe('applied');
      const appliedStart = Date.parse(target.appliedStart ?? '');
      expect(appliedStart).toBeGreaterThanOrEqual(start);
      expect(appliedStart).toBeLessThanOrEqual(start + (campaign?.randomisationSeconds ?? 0) * 1000);
      expect(Date.parse(target.appliedEnd ?? '') - appliedStart).toBe((campaign?.durationSeconds ?? 0) * 1000);
    }
    await page.goto(`/dno?worldId=${worldId}`);
    const acks = page.getByRole('table', { name: `Acknowledgements of ${campaignId}` });
    await expect(acks.getByRole('rowheader')).toHaveText(meterIds);
    await expect(acks.getByRole('cell', { name: 'applied', exact: true })).toHaveCount(meterIds.length);
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
      await page.screenshot({ path: test.info().outputPath(`dno-${theme}.png`), fullPage: true });
    }
  });
});
