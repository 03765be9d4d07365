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
import { decodeEnvelope, encodeEnvelope } from './envelope';
import { RelayError } from './errors';

/** What the hub needs of a meter core. */
export interface HubMeter {
  readonly state: { meterId: string; pendingUplinks: { header: RoutingHeader; sealed: string }[] };
  registration(): { worldId: string; meterId: string; devicePublicKey: string; domains: { partyId: string; aid: string; publicKey: string }[] };
  setPartyKey(partyId: string, publicKeyHex: string): void;
  handleDownlink(message: { header: RoutingHeader; sealed: Uint8Array }): RoutingHeader | null;
  acknowledgeUplinks(messageIds: readonly string[]): void;
  sign(bytes: Uint8Array): Uint8Array;
}

/** How the hub reaches the relay. */
export interface HubTransport {
  register(registrations: ReturnType<HubMeter['registration']>[]): Promise<{ partyKeys: { partyId: string; publicKey: string }[] }>;
  /** Downlink envelopes queued for these meters. */
  wake(worldId: string, meterIds: readonly string[]): Promise<{ messageId: string; meterId: string; envelope: Uint8Array }[]>;
  /** Posts uplink envelopes; returns, per envelope, accepted / already-delivered or the refusal. */
  post(envelopes: readonly Uint8Array[]): Promise<({ status: 'accepted' | 'already-delivered' } | { status: 'refused'; code: string; message: string })[]>;
  acknowledge(acks: readonly { meterId: string; messageIds: string[] }[]): Promise<void>;
}

/** What one hub cycle did. */
export interface HubCycleReport {
  commands: number;
  refusedCommands: number;
  uplinks: number;
  uplinkBytes: number;
  refusedUplinks: { messageId: string; code: string; message: string }[];
}

/** Options for {@link CommsHub}. */
export interface CommsHubOptions {
  worldId: string;
  transport: HubTransport;
  /** Saves the given meters' state (called before anything is acknowledged). */
  persist: (meterIds: readonly string[]) => Promise<void>;
}

/** The comms hub for one host's meters. */
export class CommsHub {
  constructor(private readonly options: CommsHubOptions) {}

  /** Registers meters with the relay and records the parties' channel keys in each. */
  async register(meters: readonly HubMeter[]): Promise<void> {
    if (meters.length === 0) return;
    const { partyKeys } = await this.options.transport.register(meters.map((meter) => meter.registration()));
    for (const meter of meters) {
      for (const { partyId, publicKey } of partyKeys) {
        if (meter.registration().domains.some((domain) => domain.partyId === partyId)) meter.setPartyKey(partyId, publicKey);
      }
    }
    await this.options.persist(meters.map((meter) => meter.state.meterId));
  }

  /** One wake: take commands, answer them, post every pending uplink. */
  async cycle(meters: readonly HubMeter[]): Promise<HubCycleReport> {
    const report: HubCycleReport = { commands: 0, refusedCommands: 0, uplinks: 0, uplinkBytes: 0, refusedUplinks: [] };
    const byId = new Map(meters.map((meter) => [meter.state.meterId, meter]));
    const downlinks = await this.options.transport.wake(this.options.worldId, [...byId.keys()]);
    const taken = new Map<string, string[]>();
    for (const downlink of downlinks) {
      const meter = byId.get(downlink.meterId);
      if (!meter) continue;
      let response: RoutingHeader | null = null;
      try {
        const envelope = decodeEnvelope(downlink.envelope);
        if (envelope.header.meterId === downlink.meterId) response = meter.handleDownlink({ header: envelope.header, sealed: envelope.payload });
      } catch (error) {
        if (!(error instanceof RelayError)) throw error;
      }
      report.commands++;
      if (!response) report.refusedCommands++;
      taken.set(downlink.meterId, [...(taken.get(downlink.meterId) ?? []), downlink.messageId]);
    }
    await this.options.persist([...taken.keys()]);
    await this.postPending(meters, report);
    if (taken.size > 0) await this.options.transport.acknowledge([...taken].map(([meterId, messageIds]) => ({ meterId, messageIds })));
    return report;
  }

  private async postPending(meters: readonly HubMeter[], report: HubCycleReport): Promise<void> {
    const batch: { meter: HubMeter; messageId: string; bytes: Uint8Array }[] = [];
    for (const meter of meters) {
      for (const uplink of meter.state.pendingUplinks) {
        // ECDSA here is deterministic (RFC 6979), so a retried uplink is byte-identical.
        const bytes = encodeEnvelope(uplink.header, base64UrlToBytes(uplink.sealed), (signed) => meter.sign(signed));
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
