/**
 * The firewall's rules and its log (GP Card Specification v2.3.1 §6.4 "Java Card firewall" as the
 * meter models it, DESIGN.md "Firewall"): a channel reaches only its own domain's applets; an
 * applet reaches another only through a shareable interface the owner's manifest grants; an
 * applet gets only capabilities its manifest declares and its privileges allow. Every refusal is
 * an event `{ at, kind, actor, target, detail }` kept in the state's bounded log, which the
 * dashboard shows.
 */
import type { Registry } from './registry';
import { SeError } from './se-error';

/** Kinds of events: refusals (`firewall.*`) and management results. */
export type SeEventKind =
  | 'firewall.channel-foreign-applet'
  | 'firewall.unsecured-select'
  | 'firewall.foreign-domain'
  | 'firewall.owner-mismatch'
  | 'firewall.shareable-refused'
  | 'firewall.capability-refused'
  | 'firewall.send-refused'
  | 'firewall.consent-refused'
  | 'dap.refused'
  | 'management.loaded'
  | 'management.installed'
  | 'management.deleted'
  | 'management.upgraded'
  | 'management.keys-rotated'
  | 'management.lifecycle'
  | 'management.personalized'
  | 'management.consented'
  | 'management.withdrawn'
  | 'applet.fault'
  | 'channel.opened';

/** One event. `actor` and `target` are AIDs or channel ids; `at` is world time (ms). */
export interface SeEvent {
  at: number;
  kind: SeEventKind;
  actor: string;
  target: string;
  detail: string;
}

/** How many events the state keeps (oldest dropped first). */
export const MAX_EVENTS = 128;

/** Appends events to a log, keeping the newest {@link MAX_EVENTS}. Returns a new array. */
export function appendEvents(log: readonly SeEvent[], events: readonly SeEvent[]): SeEvent[] {
  const next = [...log, ...events];
  return next.length > MAX_EVENTS ? next.slice(next.length - MAX_EVENTS) : next;
}

/** Whether an event is a refusal recorded by the firewall or the DAP check. */
export function isRefusal(event: SeEvent): boolean {
  return event.kind.startsWith('firewall.') || event.kind === 'dap.refused';
}

/**
 * Checks that a channel authenticated to `channelSd` may select `targetAid` (the domain itself or
 * an applet associated with it).
 * @throws {SeError} 6982 with a firewall record for another party's applet or domain.
 */
export function assertChannelReaches(registry: Registry, channelSd: string, targetAid: string): void {
  if (targetAid === channelSd) return;
  const applet = registry.applets[targetAid];
  if (applet && applet.sdAid === channelSd) return;
  throw new SeError('SECURITY_STATUS_NOT_SATISFIED', `firewall: ${targetAid} is not reachable through the channel of ${channelSd}`, {
    kind: applet ? 'firewall.channel-foreign-applet' : 'firewall.foreign-domain',
    actor: channelSd,
    target: targetAid,
  });
}

/**
 * Checks that applet `fromAid` may call the shareable interface `name` of applet `toAid`: the
 * callee's manifest must list the caller's applet id under that interface.
 * @throws {SeError} 6982 with a firewall record otherwise.
 */
export function assertShareableGrant(registry: Registry, fromAid: string, toAid: string, name: string): void {
  const from = registry.applets[fromAid];
  const to = registry.applets[toAid];
  const allowed = to ? registry.loadFiles[to.elfAid]?.manifest.shareable[name] : undefined;
  if (from && to && !to.locked && allowed?.includes(from.appletId)) return;
  throw new SeError('SECURITY_STATUS_NOT_SATISFIED', `firewall: ${fromAid} has no grant for ${name} on ${toAid}`, {
    kind: 'firewall.shareable-refused',
    actor: fromAid,
    target: toAid,
  });
}
