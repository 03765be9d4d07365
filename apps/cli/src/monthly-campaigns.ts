/**
 * `hydra run --load-control DEVICE`: the DNO's load management in a headless world. Before the
 * meters run each month, the DNO sends every feeder one signed load-control campaign for that
 * month — DEVICE off from 17:00 to 19:00 London time on the 15th (the evening peak), each meter
 * starting at its own random offset within 600 s (DCUSA DCP204) — through the same
 * `createCampaign` its console uses. It targets the meters whose load-control applet took its
 * command key (none before their first wake), so a campaign never arrives ahead of that key.
 */
import type { DbClient } from '@hydra/db';
import { londonMidnightUtc } from '@hydra/meter-sim';
import { createCampaign, type DnoContext } from '@hydra/suppliers';

/** Options for {@link sendMonthlyCampaigns}. */
export interface SendMonthlyCampaignsOptions {
  db: DbClient;
  dno: DnoContext;
  worldId: string;
  /** The first local date of the month the campaigns are for (the world clock is not past it). */
  monthStart: string;
  device: 'ev' | 'heat-pump';
}

/** The window: 17:00–19:00 London on the 15th (never a clock-change day), each meter within 600 s of it. */
export const CAMPAIGN_WINDOW = { day: 15, hour: 17, durationSeconds: 7200, randomisationSeconds: 600 } as const;

/**
 * Creates one campaign per feeder with DNO meters ready for it.
 * @returns how many campaigns were sent.
 */
export async function sendMonthlyCampaigns(options: SendMonthlyCampaignsOptions): Promise<number> {
  const { db, dno, worldId, device } = options;
  const day = `${options.monthStart.slice(0, 7)}-${String(CAMPAIGN_WINDOW.day).padStart(2, '0')}`;
  const start = new Date(londonMidnightUtc(day) + CAMPAIGN_WINDOW.hour * 3_600_000).toISOString();
  const ready = await db.dnoMeter.findMany({ where: { worldId, commandKey: 'applied' }, orderBy: { meterId: 'asc' }, select: { meterId: true, feederId: true } });
  const feeders = new Map<string, string[]>();
  for (const meter of ready) feeders.set(meter.feederId, [...(feeders.get(meter.feederId) ?? []), meter.meterId]);
  let sent = 0;
  for (const meterIds of feeders.values()) {
    await createCampaign({
      context: dno,
      request: { worldId, device, action: 'off', limitKw: 0, start, durationSeconds: CAMPAIGN_WINDOW.durationSeconds, randomisationSeconds: CAMPAIGN_WINDOW.randomisationSeconds, meterIds },
    });
    sent++;
  }
  return sent;
}
