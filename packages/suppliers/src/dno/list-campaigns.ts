/**
 * The DNO's load-control campaigns for a world, newest first, each with its per-meter
 * acknowledgements — what its console shows.
 */
import type { DnoContext } from './context';

/** One meter's acknowledgement of a campaign. */
export interface CampaignTargetView {
  meterId: string;
  state: string;
  appliedStart: string | null;
  appliedEnd: string | null;
  reason: string | null;
  ackedAt: string | null;
}

/** A campaign as the DNO's console shows it. */
export interface CampaignView {
  campaignId: string;
  device: string;
  action: string;
  limitKw: number;
  start: string;
  durationSeconds: number;
  randomisationSeconds: number;
  sequence: number;
  createdAt: string;
  targets: CampaignTargetView[];
  counts: { queued: number; applied: number; refused: number };
}

/** Options for {@link listCampaigns}. */
export interface ListCampaignsOptions {
  context: Pick<DnoContext, 'db'>;
  worldId: string;
  /** Only this campaign. */
  campaignId?: string;
  /** At most this many (default 50). */
  limit?: number;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** Campaigns of a world, newest first. */
export async function listCampaigns(options: ListCampaignsOptions): Promise<CampaignView[]> {
  const rows = await options.context.db.dnoCampaign.findMany({
    where: { worldId: options.worldId, ...(options.campaignId ? { id: options.campaignId } : {}) },
    orderBy: { sequence: 'desc' },
    take: Math.min(Math.max(options.limit ?? 50, 1), 200),
    include: { targets: { orderBy: { meterId: 'asc' } } },
  });
  return rows.map((row) => {
    const targets = row.targets.map((target) => ({
      meterId: target.meterId,
      state: target.state,
      appliedStart: iso(target.appliedStart),
      appliedEnd: iso(target.appliedEnd),
      reason: target.reason,
      ackedAt: iso(target.ackedAt),
    }));
    const count = (state: string) => targets.filter((target) => target.state === state).length;
    return {
      campaignId: row.id,
      device: row.device,
      action: row.action,
      limitKw: row.limitW / 1000,
      start: row.start.toISOString(),
      durationSeconds: row.durationSeconds,
      randomisationSeconds: row.randomisationSeconds,
      sequence: row.sequence,
      createdAt: row.createdAt.toISOString(),
      targets,
      counts: { queued: count('queued'), applied: count('applied'), refused: count('refused') },
    };
  });
}
