/**
 * The comms hub a meter host runs: it wakes its meters on schedule, takes their downlink commands
 * from the relay, hands each to its meter, posts the meters' signed responses, and acknowledges
 * what it took — in that order, with the meters' state saved before any acknowledgement, so a
 * crash at any point loses nothing (at-least-once both ways; the meter dedupes commands by id and
 * the relay answers a byte-identical redelivery "already delivered").
 *
 * Transport-agnostic: `HubTransport` is HTTP in a browser worker, a message port in a CLI worker.
 * Meters are taken structurally, so this package does not depend on the meter simulator.
 */
import { base64UrlToBytes, type RoutingHeader } from '@hydra/globalplatform';
import { frameApdu, unframeApdu } from './apdu-frame';
import { decodeEnvelope, encodeEnvelope } from './envelope';
import { RelayError } from './errors';
import type { IssuedCertificates } from './manufacturer-ca';

/** What the hub needs of a meter core. */
export interface HubMeter {
  readonly state: { meterId: string; pendingUplinks: { header: RoutingHeader; sealed: string }[] };
  /** True once the device and every domain hold a certificate from the manufacturer CA. */
  readonly certified: boolean;
  registration(): { worldId: string; meterId: string; devicePublicKey: string; domains: { partyId: string; aid: string; publicKey: string }[] };
  installCertificates(certificates: IssuedCertificates): void;
  /** Hands one command APDU (unframed) to the meter; its response APDU joins `pendingUplinks`. */
  handleDownlink(message: { header: RoutingHeader; sealed: Uint8Array }): RoutingHeader | null;
  acknowledgeUplinks(messageIds: readonly string[]): void;
  sign(bytes: Uint8Array): Uint8Array;
}

/** How the hub reaches the relay. */
export interface HubTransport {
  /** Registers meters (public keys only); the manufacturer CA behind the relay returns their certificates. */
  register(registrations: ReturnType<HubMeter['registration']>[]): Promise<{ certificates: IssuedCertificates[] }>;
  /** Downlink envelopes queued for these meters. */
  wake(worldId: string, meterIds: readonly string[]): Promise<{ messageId: string; meterId: string; envelope: Uint8Array }[]>;
  /** Posts uplink envelopes; returns, per envelope, accepted / already-delivered or the refusal. */
  post(envelopes: readonly Uint8Array[]): Promise<({ status: 'accepted' | 'already-delivered' } | { status: 'refused'; code: string; message: string })[]>;
  acknowledge(acks: readonly { meterId: string; messageIds: string[] }[]): Promise<void>;
  /**
   * A transport that receives downlinks pushed over a stream: resolves as soon as each of
   * `meterIds` has a new command, or after `timeoutMs`. The hub waits for the parties' next
   * commands this way instead of pausing for the whole delay and asking again.
   */
  awaitDownlinks?(meterIds: readonly string[], timeoutMs: number): Promise<void>;
}

/** What one hub cycle (one wake) did. */
export interface HubCycleReport {
  commands: number;
  refusedCommands: number;
  uplinks: number;
  uplinkBytes: number;
  refusedUplinks: { messageId: string; code: string; message: string }[];
  /** Take → answer → post rounds this wake needed. */
  rounds: number;
}

/** Options for {@link CommsHub}. */
export interface CommsHubOptions {
  worldId: string;
  transport: HubTransport;
  /** Saves the given meters' state (called before anything is acknowledged). */
  persist: (meterIds: readonly string[]) => Promise<void>;
  /** Most take → answer → post rounds in one wake (default {@link MAX_ROUNDS_PER_WAKE}). */
  maxRounds?: number;
  /**
   * For a relay that answers an uplink once it is stored and delivers it in the background (the
   * web app): when meters that just answered find no new command yet, look again after each of
   * these pauses before ending the wake. Without it (a relay that delivers before answering) a
   * wake ends as soon as no command is waiting.
   */
  replyWait?: { delaysMs: readonly number[]; pause: (ms: number) => Promise<void> };
}

/**
 * Default bound on rounds per wake: SCP11b set-up (3), then for a party with three applets (the
 * DNO) a SELECT and a collect each (6), and a command or two besides.
 */
export const MAX_ROUNDS_PER_WAKE = 12;

/** Whether the meter's response to a command carries a success status word (9000 or 63xx warning). */
function answeredWithSuccess(meter: HubMeter, messageId: string): boolean {
  const uplink = meter.state.pendingUplinks.find((pending) => pending.header.messageId === messageId);
  if (!uplink) return false;
  const bytes = base64UrlToBytes(uplink.sealed);
  const sw1 = bytes[bytes.length - 2];
  return sw1 === 0x90 || sw1 === 0x63;
}

/** The comms hub for one host's meters. */
export class CommsHub {
  constructor(private readonly options: CommsHubOptions) {}

  /**
   * Registers meters with the relay (public keys only) and installs the certificates the
   * manufacturer CA returns in each meter that has none yet.
   */
  async register(meters: readonly HubMeter[]): Promise<void> {
    if (meters.length === 0) return;
    const { certificates } = await this.options.transport.register(meters.map((meter) => meter.registration()));
    const byId = new Map(certificates.map((issued) => [issued.meterId, issued]));
    const changed: string[] = [];
    for (const meter of meters) {
      const issued = byId.get(meter.state.meterId);
      if (meter.certified || !issued) continue;
      meter.installCertificates(issued);
      changed.push(meter.state.meterId);
    }
    if (changed.length > 0) await this.options.persist(changed);
  }

  /**
   * One wake. SCP03 allows one command in flight per channel, so each party's next command
   * follows the meter's answer: the hub loops take → answer → post until no new command arrives,
   * at most `maxRounds` times. When the relay delivers in the background, the party's next command
   * may lag the post; `replyWait` gives meters that answered a few short looks more. A standing
   * collect is answered once per applet per wake; the one re-armed after it waits for the next wake.
   */
  async cycle(meters: readonly HubMeter[]): Promise<HubCycleReport> {
    const report: HubCycleReport = { commands: 0, refusedCommands: 0, uplinks: 0, uplinkBytes: 0, refusedUplinks: [], rounds: 0 };
    const byId = new Map(meters.map((meter) => [meter.state.meterId, meter]));
    const collected = new Set<string>();
    let awake = [...byId.keys()];
    const maxRounds = this.options.maxRounds ?? MAX_ROUNDS_PER_WAKE;
    const replyWait = this.options.replyWait;
    let waits = 0;
    // Uplinks left from an interrupted earlier wake go first.
    await this.postPending(meters.filter((meter) => meter.state.pendingUplinks.length > 0), report);
    while (awake.length > 0 && report.rounds < maxRounds) {
      const downlinks = await this.options.transport.wake(this.options.worldId, awake);
      const heard = new Set(downlinks.map((downlink) => downlink.meterId));
      // Meters that answered last round and have heard nothing back: their party may not have
      // received the answer yet (background delivery), so they stay awake.
      const silent = report.rounds > 0 ? awake.filter((id) => !heard.has(id)) : [];
      const taken = new Map<string, string[]>();
      for (const downlink of downlinks) {
        const meter = byId.get(downlink.meterId);
        if (!meter) continue;
        let response: RoutingHeader | null = null;
        try {
          const envelope = decodeEnvelope(downlink.envelope);
          // One standing collect per applet per wake: a party with several applets (the DNO's
          // power quality, aggregation and load control) has each one's outbox collected.
          const channel = `${envelope.header.meterId}/${envelope.header.partyId}/${envelope.header.appletId}`;
          const isCollect = envelope.header.messageClass === 'collect';
          if (isCollect && collected.has(channel)) continue;
          if (envelope.header.meterId === downlink.meterId) response = meter.handleDownlink({ header: envelope.header, sealed: unframeApdu(envelope.payload) });
          // A collect the card refused (e.g. 6982, session gone) does not count: the party re-opens and re-sends it.
          if (isCollect && response && answeredWithSuccess(meter, response.messageId)) collected.add(channel);
        } catch (error) {
          if (!(error instanceof RelayError)) throw error;
        }
        report.commands++;
        if (!response) report.refusedCommands++;
        taken.set(downlink.meterId, [...(taken.get(downlink.meterId) ?? []), downlink.messageId]);
      }
      if (taken.size === 0) {
        const delay = replyWait?.delaysMs[waits];
        if (replyWait && delay !== undefined && silent.length > 0) {
          waits++;
          if (this.options.transport.awaitDownlinks) await this.options.transport.awaitDownlinks(silent, delay);
          else await replyWait.pause(delay);
          awake = silent;
          continue;
        }
        break;
      }
      waits = 0;
      report.rounds++;
      await this.options.persist([...taken.keys()]);
      const answering = [...taken.keys()].flatMap((id) => byId.get(id) ?? []);
      await this.postPending(answering, report);
      await this.options.transport.acknowledge([...taken].map(([meterId, messageIds]) => ({ meterId, messageIds })));
      awake = [...taken.keys(), ...silent];
    }
    return report;
  }

  private async postPending(meters: readonly HubMeter[], report: HubCycleReport): Promise<void> {
    const batch: { meter: HubMeter; messageId: string; bytes: Uint8Array }[] = [];
    for (const meter of meters) {
      for (const uplink of meter.state.pendingUplinks) {
        // ECDSA here is deterministic (RFC 6979), so a retried uplink is byte-identical.
        const bytes = encodeEnvelope(uplink.header, frameApdu(base64UrlToBytes(uplink.sealed)), (signed) => meter.sign(signed));
        batch.push({ meter, messageId: uplink.header.messageId, bytes });
      }
    }
    if (batch.length === 0) return;
    const results = await this.options.transport.post(batch.map((item) => item.bytes));
    const done = new Map<HubMeter, string[]>();
    results.forEach((result, i) => {
      const item = batch[i];
      if (!item) return;
      if (result.status === 'refused') {
        report.refusedUplinks.push({ messageId: item.messageId, code: result.code, message: result.message });
        return;
      }
      report.uplinks++;
      report.uplinkBytes += item.bytes.length;
      done.set(item.meter, [...(done.get(item.meter) ?? []), item.messageId]);
    });
    for (const [meter, ids] of done) meter.acknowledgeUplinks(ids);
    await this.options.persist([...done.keys()].map((meter) => meter.state.meterId));
  }
}
