/**
 * Signs and sends a feeder's aggregation roster (DESIGN.md Decision 13; the protocol in
 * packages/meter-sim/applets/aggregation.js): once every home the public world registry puts on a
 * feeder of at least 5 meters has answered the DNO's `public-key` command, the DNO signs
 * `{ feederId, sequence, members: [{ meterId, publicKey }] }` — ECDSA P-256 over its canonical
 * JSON with the DNO's sealed command key — and sends `roster { roster, signature }` to every
 * member through its own channel. Each meter checks the signature, finds itself, and computes one
 * ECDH secret per peer on the card: the DNO holds public keys only and never learns a pair secret.
 * A changed membership or key gives a new roster with a higher sequence (the applet refuses one
 * not above the last it applied).
 */
import { isUniqueViolation } from '@hydra/db';
import { bytesToHex, copyBytes, signMessage, utf8ToBytes } from '@hydra/globalplatform';
import { canonicalJson } from '../shared/canonical-json';
import { loadCommandKey } from './command-key';
import type { DnoContext } from './context';
import { MIN_FEEDER_METERS } from './feeder-totals';
import { sendDnoCommand } from './send-command';

/** The roster document the DNO signs and each member's aggregation applet verifies. */
export interface FeederRoster {
  feederId: string;
  sequence: number;
  members: { meterId: string; publicKey: string }[];
  [key: string]: string | number | { meterId: string; publicKey: string }[];
}

/** Options for {@link distributeRoster}. */
export interface DistributeRosterOptions {
  context: DnoContext;
  worldId: string;
  feederId: string;
}

/** Why no roster was sent, or the roster sent. */
export type DistributeRosterResult =
  | { sent: false; reason: 'small-feeder' | 'waiting-for-keys' | 'unchanged' }
  | { sent: true; roster: FeederRoster; recipients: number };

const sameMembers = (a: FeederRoster['members'], b: FeederRoster['members']) =>
  a.length === b.length && a.every((member, i) => member.meterId === b[i]?.meterId && member.publicKey === b[i]?.publicKey);

/**
 * Sends the feeder's roster if it is complete and differs from the last one sent.
 * Safe to call after every key that arrives: an unchanged membership sends nothing, and two
 * callers racing store one roster (the other finds it, or loses on the unique sequence).
 * @returns what was done; a member whose channel is backed up has the refusal on its key row.
 */
export async function distributeRoster(options: DistributeRosterOptions): Promise<DistributeRosterResult> {
  const { context, worldId, feederId } = options;
  const homes = await context.db.home.findMany({ where: { worldId, feederId }, select: { meterId: true }, orderBy: { meterId: 'asc' } });
  if (homes.length < MIN_FEEDER_METERS) return { sent: false, reason: 'small-feeder' };
  const keys = await context.db.dnoAggregationKey.findMany({ where: { meterId: { in: homes.map((home) => home.meterId) }, worldId } });
  const byMeter = new Map(keys.flatMap((row) => (row.publicKey ? [[row.meterId, bytesToHex(row.publicKey)] as const] : [])));
  if (homes.some((home) => !byMeter.has(home.meterId))) return { sent: false, reason: 'waiting-for-keys' };
  const members = homes.map((home) => ({ meterId: home.meterId, publicKey: byMeter.get(home.meterId) ?? '' }));

  const last = await context.db.dnoFeederRoster.findFirst({ where: { worldId, feederId }, orderBy: { sequence: 'desc' } });
  if (last && sameMembers((JSON.parse(last.document) as FeederRoster).members, members)) return { sent: false, reason: 'unchanged' };
  // Strictly increasing, and above any sequence a meter may remember from before a database reset.
  const sequence = Math.max((last?.sequence ?? 0) + 1, Math.floor(context.now() / 1000));
  const roster: FeederRoster = { feederId, sequence, members };
  const text = canonicalJson(roster);
  const key = await loadCommandKey(context);
  const signature = signMessage(utf8ToBytes(text), key.privateKey);
  try {
    await context.db.dnoFeederRoster.create({ data: { worldId, feederId, sequence, document: text, signature: copyBytes(signature) } });
  } catch (error) {
    if (isUniqueViolation(error)) return { sent: false, reason: 'unchanged' };
    throw error;
  }
  let recipients = 0;
  for (const member of members) {
    try {
      // Ahead of the standing collects: a host that wakes once a month meters the whole month
      // under whatever roster it holds, so the roster must not wait behind three collects.
      await sendDnoCommand({ context, meterId: member.meterId, appletId: 'aggregation', name: 'roster', body: { roster, signature: bytesToHex(signature) }, messageClass: 'applet-command', first: true });
      recipients++;
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      await context.db.dnoAggregationKey.update({ where: { meterId: member.meterId }, data: { rosterRefusal: `roster ${sequence} not sent: ${error.message}` } });
    }
  }
  return { sent: true, roster, recipients };
}

/**
 * Sends every feeder of the world whose roster is complete and changed its roster — the catch-up
 * path (after a crash between storing a key and sending the roster), run with each clock step.
 * @returns how many rosters were sent.
 */
export async function distributeRosters(context: DnoContext, worldId: string): Promise<number> {
  const feeders = await context.db.home.groupBy({ by: ['feederId'], where: { worldId }, _count: { _all: true }, orderBy: { feederId: 'asc' } });
  let sent = 0;
  for (const feeder of feeders) {
    if (feeder._count._all < MIN_FEEDER_METERS) continue;
    if ((await distributeRoster({ context, worldId, feederId: feeder.feederId })).sent) sent++;
  }
  return sent;
}
