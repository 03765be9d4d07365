/**
 * The DNO's inbox: takes the card's answer the relay delivers, lets the party session verify and
 * open it under the DNO's own SCP03 session keys, and stores exactly what the privacy contract
 * gives the DNO (DESIGN.md message catalog):
 * - power-quality events: type, start, duration, extreme voltage;
 * - feeder shares: one masked value per half hour, from which the feeder's load is recovered once
 *   every meter on the feeder has reported (`recover-feeder-load.ts`);
 * - load-control acknowledgements: command id, applied start and end (or the refusal's reason),
 *   from the command's own answer and from the applet's outbox;
 * - whether the load-control and aggregation applets took the DNO's command key, the aggregation
 *   applet's public key (generated on the card) and which feeder roster it applied or refused.
 * Then it re-arms the answered applet's standing collect and, once a feeder's last key is in,
 * signs and sends its roster (`distribute-roster.ts`). Idempotent by relay message id and, inside
 * the sealed payload, by event (meter, type, start), share (meter, date) and ack (campaign, meter).
 */
import type { DbTransaction, DnoMeter } from '@hydra/db';
import { copyBytes, hexToBytes, isP256PublicKey, type RoutingHeader } from '@hydra/globalplatform';
import { z } from 'zod';
import { answeredWithData, parseAppletAnswer, parseCollectItems } from '../shared/applet-commands';
import { PartyError } from '../shared/party-error';
import { receivePartyUplink } from '../shared/party-inbox';
import type { CompletedCommand } from '../shared/party-session';
import { ensureDnoCollect } from './arm-collects';
import { DNO_APPLETS, DNO_PARTY_ID, type DnoApplet, type DnoContext } from './context';
import { distributeRoster } from './distribute-roster';
import { recoverFeederLoad } from './recover-feeder-load';
import { dnoSessionOptions } from './session';

const MAX_UTC_MS = 8.64e15;

const eventSchema = z
  .object({
    type: z.enum(['sag', 'swell', 'outage']),
    start: z.number().int().min(0).max(MAX_UTC_MS),
    durationSeconds: z.number().int().min(0).max(366 * 86_400),
    extremeV: z.number().min(0).max(1000),
  })
  .strict();

const sharesSchema = z
  .object({
    date: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/),
    feederId: z.string().min(1).max(64),
    shares: z.array(z.number().int().min(0).max(2 ** 32 - 1)).min(46).max(50),
  })
  .strict();

const ackSchema = z
  .object({
    commandId: z.string().max(64),
    result: z.enum(['applied', 'refused']),
    appliedStart: z.number().int().min(0).max(MAX_UTC_MS).nullable(),
    appliedEnd: z.number().int().min(0).max(MAX_UTC_MS).nullable(),
    reason: z.string().max(300).nullable(),
  })
  .strict();

/** The one outbox class each DNO applet may send (packages/meter-sim privacy contract). */
const OUTBOX_CLASS: Record<DnoApplet, string> = {
  'power-quality': 'power-quality-event',
  aggregation: 'feeder-shares',
  'load-control': 'load-control-ack',
};

/** The aggregation applet's answer to `public-key`: a SEC 1 P-256 key, compressed or not, in hex. */
const publicKeyAnswerSchema = z.object({ result: z.literal('applied'), publicKey: z.string().regex(/^(?:[0-9a-fA-F]{66}|[0-9a-fA-F]{130})$/) });

type Ack = z.infer<typeof ackSchema>;

/** Options for {@link receiveDnoUplink}. */
export interface ReceiveDnoUplinkOptions {
  context: DnoContext;
  envelope: Uint8Array;
}

/** What the inbox did with an uplink. */
export interface ReceiveDnoUplinkResult {
  status: 'accepted' | 'already-delivered';
  events: number;
  shares: number;
  acks: number;
}

interface Stored {
  events: number;
  shares: number;
  acks: number;
  malformed: string | null;
  collectedApplet: DnoApplet | null;
  /** The feeder whose roster may now be complete (an aggregation key just arrived). */
  keyedFeeder: string | null;
}

function isDnoApplet(appletId: string): appletId is DnoApplet {
  return (DNO_APPLETS as readonly string[]).includes(appletId);
}

/** Applies one acknowledgement to its campaign target (unknown command ids are ignored). */
async function recordAck(tx: DbTransaction, meterId: string, ack: Ack, now: Date): Promise<number> {
  if (!ack.commandId) return 0;
  const target = await tx.dnoCampaignTarget.findUnique({ where: { campaignId_meterId: { campaignId: ack.commandId, meterId } } });
  if (!target) return 0;
  await tx.dnoCampaignTarget.update({
    where: { campaignId_meterId: { campaignId: ack.commandId, meterId } },
    data: {
      state: ack.result,
      appliedStart: ack.appliedStart === null ? null : new Date(ack.appliedStart),
      appliedEnd: ack.appliedEnd === null ? null : new Date(ack.appliedEnd),
      reason: ack.reason,
      ackedAt: target.ackedAt ?? now,
    },
  });
  return 1;
}

/** Stores the items of one collect answer; validates every item before storing any. */
async function recordCollect(tx: DbTransaction, meter: DnoMeter, appletId: DnoApplet, data: Uint8Array, now: Date): Promise<Omit<Stored, 'collectedApplet' | 'keyedFeeder'>> {
  const stored = { events: 0, shares: 0, acks: 0, malformed: null as string | null };
  let items;
  try {
    items = parseCollectItems(data);
    for (const item of items) if (item.messageClass !== OUTBOX_CLASS[appletId]) throw new Error(`${appletId} may not send ${item.messageClass}`);
  } catch (error) {
    return { ...stored, malformed: error instanceof Error ? error.message.slice(0, 120) : 'malformed' };
  }
  const parsed = items.map((item) => (appletId === 'power-quality' ? eventSchema : appletId === 'aggregation' ? sharesSchema : ackSchema).safeParse(item.body));
  const bad = parsed.find((result) => !result.success);
  if (bad && !bad.success) return { ...stored, malformed: `${OUTBOX_CLASS[appletId]}: ${bad.error.issues[0]?.path.join('.') ?? ''} ${bad.error.issues[0]?.message ?? 'invalid'}` };
  const recover = new Set<string>();
  for (const result of parsed) {
    if (!result.success) continue;
    if (appletId === 'power-quality') {
      const event = result.data as z.infer<typeof eventSchema>;
      const unique = { meterId: meter.meterId, type: event.type, start: new Date(event.start) };
      if (await tx.dnoPowerQualityEvent.findUnique({ where: { meterId_type_start: unique } })) continue;
      await tx.dnoPowerQualityEvent.create({
        data: { id: `pq-${meter.meterId}-${event.type}-${event.start}`, worldId: meter.worldId, feederId: meter.feederId, ...unique, durationSeconds: event.durationSeconds, extremeDeciV: Math.round(event.extremeV * 10) },
      });
      stored.events++;
    } else if (appletId === 'aggregation') {
      const share = result.data as z.infer<typeof sharesSchema>;
      // Shares count only on the feeder the public registry puts the meter on (the masks' membership).
      if (share.feederId !== meter.feederId) return { ...stored, malformed: `feeder-shares: meter ${meter.meterId} is on ${meter.feederId}, not ${share.feederId}` };
      if (await tx.dnoFeederShare.findUnique({ where: { meterId_date: { meterId: meter.meterId, date: share.date } } })) continue;
      await tx.dnoFeederShare.create({ data: { worldId: meter.worldId, feederId: meter.feederId, date: share.date, meterId: meter.meterId, shares: JSON.stringify(share.shares) } });
      recover.add(share.date);
      stored.shares++;
    } else {
      stored.acks += await recordAck(tx, meter.meterId, result.data as Ack, now);
    }
  }
  if (recover.size > 0) await recoverFeederLoad({ tx, worldId: meter.worldId, feederId: meter.feederId, dates: [...recover] });
  return stored;
}

/**
 * Processes one uplink envelope.
 * @throws {PartyError} for an envelope not for the DNO, one that fails authentication or answers
 *   nothing in flight (REPLAYED), a message id reused with other bytes, a meter the DNO does not
 *   know (UNKNOWN_METER) — nothing is stored then — or a collect answer that is not what the
 *   applet sends (MALFORMED, recorded in the receipt; nothing from it is stored).
 */
export async function receiveDnoUplink(options: ReceiveDnoUplinkOptions): Promise<ReceiveDnoUplinkResult> {
  const { context } = options;
  const record = async (completed: CompletedCommand | null, tx: DbTransaction, header: RoutingHeader, meter: DnoMeter) => {
    const stored: Stored = { events: 0, shares: 0, acks: 0, malformed: null, collectedApplet: null, keyedFeeder: null };
    const now = new Date(context.now());
    const command = completed?.command;
    if (completed && command && isDnoApplet(command.appletId)) {
      const { sw, data } = completed.response;
      if (command.messageClass === 'collect') {
        stored.collectedApplet = command.appletId;
        if (answeredWithData(sw)) Object.assign(stored, await recordCollect(tx, meter, command.appletId, data, now));
      } else if (command.messageClass === 'load-control') {
        const ack = ackSchema.safeParse(parseSafely(data));
        if (sw === 0x9000 && ack.success) stored.acks += await recordAck(tx, meter.meterId, ack.data, now);
        else {
          // A refusal comes back as a bare status word; its reason follows in the applet's outbox.
          const commandId = commandIdOf(command.apdu.data);
          if (commandId) stored.acks += await recordAck(tx, meter.meterId, { commandId, result: 'refused', appliedStart: null, appliedEnd: null, reason: `the meter refused the command (status ${sw.toString(16).toUpperCase()})` }, now);
        }
      } else if (command.appletId === 'load-control' && commandNameOf(command.apdu.data) === 'personalise') {
        await tx.dnoMeter.update({ where: { meterId: meter.meterId }, data: { commandKey: sw === 0x9000 ? 'applied' : 'refused' } });
      } else if (command.appletId === 'aggregation') {
        if (await recordAggregationAnswer(tx, meter, command.apdu.data, sw, data)) stored.keyedFeeder = meter.feederId;
      }
    }
    const outcome = stored.malformed
      ? `${command?.appletId}:collect:malformed`
      : command
        ? `${command.appletId}:${command.messageClass}:${completed.response.sw.toString(16)}:${stored.events + stored.shares + stored.acks}`
        : header.messageClass;
    return { outcome, result: stored };
  };
  const taken = await receivePartyUplink({
    partyId: DNO_PARTY_ID,
    envelope: options.envelope,
    db: context.db,
    receipts: (db) => db.dnoReceipt,
    session: dnoSessionOptions(context),
    admit: async (header) => {
      const meter = await context.db.dnoMeter.findUnique({ where: { meterId: header.meterId } });
      if (!meter) throw new PartyError(DNO_PARTY_ID, 'UNKNOWN_METER', `dno: meter ${header.meterId} has no DNO security domain the relay announced`);
      return meter;
    },
    record,
  });
  if (taken.status === 'already-delivered') return { status: 'already-delivered', events: 0, shares: 0, acks: 0 };
  const { result, admitted } = taken;
  // Keep each applet's collect standing: re-arm the one just answered unless another is pending.
  if (result.collectedApplet) await ensureDnoCollect(context, admitted, result.collectedApplet);
  if (result.keyedFeeder) await distributeRoster({ context, worldId: admitted.worldId, feederId: result.keyedFeeder });
  if (result.malformed) throw new PartyError(DNO_PARTY_ID, 'MALFORMED', `inbox: ${result.malformed} (recorded; nothing stored)`);
  return { status: 'accepted', events: result.events, shares: result.shares, acks: result.acks };
}

/**
 * Records the aggregation applet's answer to one of the DNO's commands on the meter's key row:
 * `personalise` (took the command key or not), `public-key` (the key it generated on the card,
 * checked to be a P-256 point), `roster` (the sequence applied, or the refusal's status word —
 * refusals come back bare, Amendment D §6.2.5).
 * @returns whether a new public key was stored (the feeder's roster may now be complete).
 */
async function recordAggregationAnswer(tx: DbTransaction, meter: DnoMeter, commandHex: string, sw: number, data: Uint8Array): Promise<boolean> {
  const where = { meterId: meter.meterId };
  const name = commandNameOf(commandHex);
  const status = sw.toString(16).toUpperCase();
  if (name === 'personalise') {
    await tx.dnoAggregationKey.updateMany({ where, data: { dnoKey: sw === 0x9000 ? 'applied' : 'refused' } });
  } else if (name === 'public-key') {
    const answer = publicKeyAnswerSchema.safeParse(parseSafely(data));
    const key = answer.success ? hexToBytes(answer.data.publicKey) : null;
    if (sw !== 0x9000 || !key || !isP256PublicKey(key)) {
      await tx.dnoAggregationKey.updateMany({ where, data: { rosterRefusal: `public-key: no P-256 key in the answer (status ${status})` } });
      return false;
    }
    const { count } = await tx.dnoAggregationKey.updateMany({ where, data: { publicKey: copyBytes(key), rosterRefusal: null } });
    return count > 0;
  } else if (name === 'roster') {
    const body = documentOf(commandHex)?.body as { roster?: { sequence?: unknown } } | undefined;
    const sequence = typeof body?.roster?.sequence === 'number' ? body.roster.sequence : null;
    if (sw === 0x9000) await tx.dnoAggregationKey.updateMany({ where, data: { rosterSequence: sequence, rosterRefusal: null } });
    else await tx.dnoAggregationKey.updateMany({ where, data: { rosterRefusal: `roster ${sequence ?? '?'} refused by the meter (status ${status})` } });
  }
  return false;
}

function parseSafely(data: Uint8Array): unknown {
  try {
    return parseAppletAnswer(data);
  } catch {
    return null;
  }
}

/** The command document's id inside a queued load-control APDU's data (hex of `{ name, body }`). */
function commandIdOf(dataHex: string): string | null {
  const body = documentOf(dataHex)?.body as { command?: { commandId?: unknown } } | undefined;
  return typeof body?.command?.commandId === 'string' ? body.command.commandId : null;
}

function commandNameOf(dataHex: string): string | null {
  const name = documentOf(dataHex)?.name;
  return typeof name === 'string' ? name : null;
}

function documentOf(dataHex: string): Record<string, unknown> | null {
  try {
    return parseAppletAnswer(hexToBytes(dataHex));
  } catch {
    return null;
  }
}
