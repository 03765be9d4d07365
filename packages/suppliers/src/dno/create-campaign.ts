/**
 * Creates a load-control campaign (DESIGN.md message catalog, "load-control command"): one command
 * document — target switch, action, start, duration, randomisation window ≤ 600 s (DCUSA DCP204,
 * Smart Charge Points Regulations 2021) — signed with the DNO's command key (ECDSA P-256 over its
 * canonical JSON, the form packages/meter-sim/applets/load-control.js verifies), stored with one
 * target row per chosen meter, then queued to each meter as the applet command
 * `load-control { command, signature }` under the `load-control` class only the DNO may send.
 */
import { bytesToHex, copyBytes, signMessage, utf8ToBytes, type Json } from '@hydra/globalplatform';
import { z } from 'zod';
import { canonicalJson } from '../shared/canonical-json';
import { PartyError } from '../shared/party-error';
import { loadCommandKey } from './command-key';
import { DNO_PARTY_ID, type DnoContext } from './context';
import { listCampaigns, type CampaignView } from './list-campaigns';
import { sendDnoCommand } from './send-command';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected lower-case letters, digits and dashes');

/** A campaign as the DNO's API takes it. */
export const campaignRequestSchema = z
  .object({
    worldId: id,
    device: z.enum(['ev', 'heat-pump'], { message: "expected 'ev' or 'heat-pump'" }),
    action: z.enum(['off', 'limit'], { message: "expected 'off' or 'limit'" }),
    /** kW cap with action 'limit' (0 < limit ≤ 50); 0 with 'off'. */
    limitKw: z.number({ message: 'expected a number of kW' }).min(0, 'expected 0…50 kW').max(50, 'expected 0…50 kW'),
    /** UTC, ISO 8601. */
    start: z.iso.datetime({ message: 'expected a UTC date and time, e.g. 2025-01-15T17:00:00Z' }),
    durationSeconds: z.number({ message: 'expected whole seconds' }).int('expected whole seconds').min(60, 'expected at least 60 s').max(86_400, 'expected at most 86 400 s (a day)'),
    randomisationSeconds: z.number({ message: 'expected whole seconds' }).int('expected whole seconds').min(0, 'expected 0…600 s').max(600, 'expected at most 600 s (DCUSA DCP204)'),
    /** Every DNO meter on this feeder… */
    feederId: id.optional(),
    /** …or these meters. */
    meterIds: z.array(id).min(1, 'expected at least one meter').max(500, 'expected at most 500 meters').optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.action === 'off' && value.limitKw !== 0) ctx.addIssue({ code: 'custom', path: ['limitKw'], message: "expected 0 with action 'off'" });
    if (value.action === 'limit' && value.limitKw === 0) ctx.addIssue({ code: 'custom', path: ['limitKw'], message: "expected more than 0 kW with action 'limit' (use 'off' to switch off)" });
    if ((value.feederId === undefined) === (value.meterIds === undefined)) ctx.addIssue({ code: 'custom', path: ['feederId'], message: 'expected either a feeder or a list of meters as the target' });
  });

/** A campaign request. */
export type CampaignRequest = z.infer<typeof campaignRequestSchema>;

/** Options for {@link createCampaign}. */
export interface CreateCampaignOptions {
  context: DnoContext;
  request: unknown;
}

/** The signed command document (the applet's `ControlCommand`). */
export interface LoadControlDocument {
  commandId: string;
  sequence: number;
  device: 'ev' | 'heat-pump';
  action: 'off' | 'limit';
  limitKw: number;
  start: number;
  durationSeconds: number;
  randomisationSeconds: number;
  [key: string]: Json;
}

function invalid(message: string): PartyError {
  return new PartyError(DNO_PARTY_ID, 'INVALID_REQUEST', message);
}

/**
 * Validates, signs, stores and queues a campaign.
 * @throws {PartyError} INVALID_REQUEST naming the field — a malformed request, a window already
 *   over at the world clock, a target with no DNO meter — and nothing is stored then.
 */
export async function createCampaign(options: CreateCampaignOptions): Promise<CampaignView> {
  const { context } = options;
  const parsed = campaignRequestSchema.safeParse(options.request);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`${issue?.path.join('.') || 'campaign'}: ${issue?.message ?? 'invalid'}`);
  }
  const request = parsed.data;
  const world = await context.db.world.findUnique({ where: { id: request.worldId } });
  if (!world) throw invalid(`worldId: no world ${request.worldId}`);
  const start = Date.parse(request.start);
  if (start + request.durationSeconds * 1000 <= world.clock.getTime()) {
    throw invalid(`start: the window would be over before the world clock (${world.clock.toISOString()}); choose a later start`);
  }
  const meters = await context.db.dnoMeter.findMany({
    where: { worldId: request.worldId, ...(request.feederId ? { feederId: request.feederId } : { meterId: { in: request.meterIds ?? [] } }) },
    orderBy: { meterId: 'asc' },
  });
  if (request.feederId && meters.length === 0) throw invalid(`feederId: no DNO meter on feeder ${request.feederId} in world ${request.worldId}`);
  const unknown = (request.meterIds ?? []).find((meterId) => !meters.some((meter) => meter.meterId === meterId));
  if (unknown) throw invalid(`meterIds: ${unknown} is not a DNO meter of world ${request.worldId}`);

  const last = await context.db.dnoCampaign.findFirst({ orderBy: { sequence: 'desc' }, select: { sequence: true } });
  // Strictly increasing, and above any sequence a meter may remember from before a database reset.
  const sequence = Math.max((last?.sequence ?? 0) + 1, Math.floor(context.now() / 1000));
  const campaignId = `lc-${bytesToHex(context.random(8))}`;
  const document: LoadControlDocument = {
    commandId: campaignId,
    sequence,
    device: request.device,
    action: request.action,
    limitKw: request.action === 'off' ? 0 : request.limitKw,
    start,
    durationSeconds: request.durationSeconds,
    randomisationSeconds: request.randomisationSeconds,
  };
  const key = await loadCommandKey(context);
  const text = canonicalJson(document);
  const signature = signMessage(utf8ToBytes(text), key.privateKey);
  await context.db.dnoCampaign.create({
    data: {
      id: campaignId,
      worldId: request.worldId,
      device: document.device,
      action: document.action,
      limitW: Math.round(document.limitKw * 1000),
      start: new Date(start),
      durationSeconds: document.durationSeconds,
      randomisationSeconds: document.randomisationSeconds,
      sequence,
      document: text,
      signature: copyBytes(signature),
      targets: { create: meters.map((meter) => ({ meterId: meter.meterId, state: 'queued' })) },
    },
  });
  for (const meter of meters) {
    try {
      // Ahead of the standing collects: the window is near, and a meter that wakes rarely must not
      // spend its round trips on outboxes first.
      await sendDnoCommand({ context, meterId: meter.meterId, appletId: 'load-control', name: 'load-control', body: { command: document, signature: bytesToHex(signature) }, messageClass: 'load-control', first: true });
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      // The meter's channel is backed up (its queue is full): say so on its row rather than fail the campaign.
      await context.db.dnoCampaignTarget.update({ where: { campaignId_meterId: { campaignId, meterId: meter.meterId } }, data: { state: 'refused', reason: `not sent: ${error.message}` } });
    }
  }
  const [view] = await listCampaigns({ context, worldId: request.worldId, campaignId });
  if (!view) throw new Error(`campaign ${campaignId} vanished`);
  return view;
}
