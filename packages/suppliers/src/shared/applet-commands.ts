/**
 * The applet-level commands every party sends through its secure channel, as the card manager
 * takes them (packages/meter-sim `card-manager.ts`): COLLECT (80 C0 00 00, no data) drains the
 * selected applet's outbox; the applet command (80 D0 00 00) carries UTF-8 JSON `{ name, body }`
 * to the applet's `process`. Both are wrapped at security level 33 by the party session.
 */
import { bytesToHex, bytesToUtf8, utf8ToBytes, type Json } from '@hydra/globalplatform';
import { z } from 'zod';
import type { QueuedCommand } from './party-session';

/**
 * The AID of an applet instance on every meter: the simulator's RID F0 "HYDR", kind 03, then the
 * applet id's first 10 characters in ASCII (packages/meter-sim `registry.ts`, `hydraAid`).
 */
export function appletAid(appletId: string): string {
  let name = '';
  for (const char of appletId.slice(0, 10)) name += (char.charCodeAt(0) & 0x7f).toString(16).padStart(2, '0');
  return `f04859445203${name}`;
}

/** COLLECT (80 C0 00 00): the selected applet's outbox, up to 64 KiB of response. */
export function collectApdu(): QueuedCommand['apdu'] {
  return { cla: 0x80, ins: 0xc0, p1: 0, p2: 0, data: '', ne: 65536 };
}

/** The applet command (80 D0 00 00) with JSON `{ name, body }`. */
export function appletCommandApdu(name: string, body: { [key: string]: Json }): QueuedCommand['apdu'] {
  return { cla: 0x80, ins: 0xd0, p1: 0, p2: 0, data: bytesToHex(utf8ToBytes(JSON.stringify({ name, body }))), ne: 65536 };
}

/** One item of an applet's outbox as COLLECT returns it. */
export interface OutboxItem {
  messageClass: string;
  body: Record<string, unknown>;
}

const collectSchema = z.object({ items: z.array(z.object({ messageClass: z.string().max(64), body: z.record(z.string(), z.unknown()) })).max(10_000) });

/**
 * Parses a COLLECT response's data: `{ items: [{ messageClass, body }] }`.
 * @throws {Error} when the data is not that document (the caller records it as malformed).
 */
export function parseCollectItems(data: Uint8Array): OutboxItem[] {
  return collectSchema.parse(JSON.parse(bytesToUtf8(data))).items;
}

/** Parses an applet command's response body (empty for a bare status word). */
export function parseAppletAnswer(data: Uint8Array): Record<string, unknown> {
  if (data.length === 0) return {};
  const value: unknown = JSON.parse(bytesToUtf8(data));
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Whether a status word is a success the card sent with data (9000, or 6310 "more data waits"). */
export function answeredWithData(sw: number): boolean {
  return sw === 0x9000 || sw === 0x6310;
}
