// The comms hub's wake loop against a relay that delivers in the background (DESIGN.md
// Decisions 5 and 6): a party's next command appears only some time after the meter's answer was
// accepted, so a multi-round exchange (SCP11b set-up, then the collect) must not stall until the
// next scheduled wake.
import { bytesToBase64Url, bytesToHex, type RoutingHeader } from '@hydra/globalplatform';
import { describe, expect, it } from 'vitest';
import { frameApdu } from '../src/apdu-frame';
import { CommsHub, type HubMeter, type HubTransport } from '../src/comms-hub';
import { decodeEnvelope, encodeEnvelope } from '../src/envelope';

const worldId = 'hub-test';
let counter = 0;
const id = () => bytesToHex(Uint8Array.of(...new Array<number>(12).fill(0), (counter >>> 24) & 255, (counter >>> 16) & 255, (counter >>> 8) & 255, counter++ & 255));

/** A meter that answers every command with 9000. */
function fakeMeter(meterId: string): HubMeter & { handled: string[] } {
  const state = { meterId, pendingUplinks: [] as { header: RoutingHeader; sealed: string }[] };
  const handled: string[] = [];
  return {
    state,
    handled,
    certified: true,
    registration: () => ({ worldId, meterId, devicePublicKey: '', domains: [] }),
    installCertificates: () => undefined,
    handleDownlink({ header }) {
      handled.push(header.messageClass);
      const response: RoutingHeader = { ...header, messageId: id(), direction: 'uplink', messageClass: `${header.messageClass}-response`, correlationId: header.messageId };
      state.pendingUplinks.push({ header: response, sealed: bytesToBase64Url(Uint8Array.of(0x90, 0x00)) });
      return response;
    },
    acknowledgeUplinks(ids) {
      state.pendingUplinks = state.pendingUplinks.filter((uplink) => !ids.includes(uplink.header.messageId));
    },
    sign: () => new Uint8Array(64),
  };
}

/**
 * A relay whose party answers each uplink with the next command of a fixed script, visible only
 * after `lagWakes` further wakes (standing in for background delivery).
 */
function laggingRelay(script: string[], lagWakes: number) {
  const queued: { visibleAt: number; meterId: string; messageId: string; envelope: Uint8Array }[] = [];
  let wakes = 0;
  const step = new Map<string, number>();
  const command = (meterId: string, messageClass: string, visibleAt: number) => {
    const messageId = id();
    const header: RoutingHeader = { messageId, worldId, meterId, partyId: 'supplier', appletId: 'billing', messageClass, direction: 'downlink' };
    queued.push({ visibleAt, meterId, messageId, envelope: encodeEnvelope(header, frameApdu(Uint8Array.of(0x80, 0xca, 0, 0))) });
  };
  const transport: HubTransport = {
    register: async () => ({ certificates: [] }),
    async wake(_world, meterIds) {
      wakes++;
      return queued.filter((item) => meterIds.includes(item.meterId) && item.visibleAt <= wakes).map(({ meterId, messageId, envelope }) => ({ meterId, messageId, envelope }));
    },
    async post(envelopes) {
      // The party's next command becomes visible only `lagWakes` wakes after the next one.
      for (const envelope of envelopes) {
        const { meterId } = decodeEnvelope(envelope).header;
        const next = (step.get(meterId) ?? 0) + 1;
        step.set(meterId, next);
        const messageClass = script[next];
        if (messageClass) command(meterId, messageClass, wakes + 1 + lagWakes);
      }
      return envelopes.map(() => ({ status: 'accepted' as const }));
    },
    async acknowledge(acks) {
      for (const ack of acks) for (const messageId of ack.messageIds) queued.splice(queued.findIndex((item) => item.messageId === messageId), 1);
    },
  };
  return { transport, start: (meterId: string) => command(meterId, script[0] ?? 'collect', 0) };
}

const SCRIPT = ['session-setup', 'session-setup', 'session-setup', 'applet-command', 'collect'];

describe('CommsHub.cycle with a relay that delivers in the background', () => {
  it('without replyWait, ends the wake when the party has not answered yet', async () => {
    const relay = laggingRelay(SCRIPT, 1);
    const meter = fakeMeter(`${worldId}-m0001`);
    relay.start(meter.state.meterId);
    const hub = new CommsHub({ worldId, transport: relay.transport, persist: async () => undefined });
    await hub.cycle([meter]);
    expect(meter.handled).toEqual(['session-setup']);
  });

  it('with replyWait, looks again after a pause and finishes the whole exchange in one wake', async () => {
    const relay = laggingRelay(SCRIPT, 1);
    const meters = [fakeMeter(`${worldId}-m0001`), fakeMeter(`${worldId}-m0002`)];
    for (const meter of meters) relay.start(meter.state.meterId);
    const pauses: number[] = [];
    const hub = new CommsHub({ worldId, transport: relay.transport, persist: async () => undefined, replyWait: { delaysMs: [5, 10], pause: async (ms) => void pauses.push(ms) } });
    const report = await hub.cycle(meters);
    for (const meter of meters) expect(meter.handled).toEqual(SCRIPT);
    expect(report.rounds).toBe(SCRIPT.length);
    expect(report.uplinks).toBe(SCRIPT.length * 2);
    // One pause per round the party lagged, then the full set once nothing more came.
    expect(pauses).toEqual([5, 5, 5, 5, 5, 10]);
  });

  it('with replyWait, gives up after the last pause when the party never answers', async () => {
    const relay = laggingRelay(['collect'], 1);
    const meter = fakeMeter(`${worldId}-m0001`);
    relay.start(meter.state.meterId);
    const pauses: number[] = [];
    const hub = new CommsHub({ worldId, transport: relay.transport, persist: async () => undefined, replyWait: { delaysMs: [1, 2, 3], pause: async (ms) => void pauses.push(ms) } });
    const report = await hub.cycle([meter]);
    expect(report.rounds).toBe(1);
    expect(pauses).toEqual([1, 2, 3]);
  });
});

describe('CommsHub.cycle with a party that has several applets', () => {
  it('answers one standing collect per applet per wake, and leaves each re-armed one for the next wake', async () => {
    // The DNO's three collects wait in one channel (meter, dno, downlink); the relay hands out its head.
    const meterId = `${worldId}-m0001`;
    const queue: { messageId: string; appletId: string; envelope: Uint8Array }[] = [];
    const arm = (appletId: string) => {
      const messageId = id();
      const header: RoutingHeader = { messageId, worldId, meterId, partyId: 'dno', appletId, messageClass: 'collect', direction: 'downlink' };
      queue.push({ messageId, appletId, envelope: encodeEnvelope(header, frameApdu(Uint8Array.of(0x84, 0xc0, 0, 0))) });
    };
    for (const appletId of ['power-quality', 'aggregation', 'load-control']) arm(appletId);
    const transport: HubTransport = {
      register: async () => ({ certificates: [] }),
      wake: async () => (queue[0] ? [{ meterId, messageId: queue[0].messageId, envelope: queue[0].envelope }] : []),
      async post(envelopes) {
        // Each answer re-arms that applet's collect behind the others.
        for (const envelope of envelopes) arm(decodeEnvelope(envelope).header.appletId);
        return envelopes.map(() => ({ status: 'accepted' as const }));
      },
      async acknowledge(acks) {
        for (const ack of acks) for (const messageId of ack.messageIds) queue.splice(queue.findIndex((item) => item.messageId === messageId), 1);
      },
    };
    const meter = fakeMeter(meterId);
    const applets: string[] = [];
    const handle = meter.handleDownlink.bind(meter);
    meter.handleDownlink = (message) => (applets.push(message.header.appletId), handle(message));
    const hub = new CommsHub({ worldId, transport, persist: async () => undefined });
    await hub.cycle([meter]);
    expect(applets).toEqual(['power-quality', 'aggregation', 'load-control']);
    expect(queue.map((item) => item.appletId)).toEqual(['power-quality', 'aggregation', 'load-control']);
    await hub.cycle([meter]);
    expect(applets).toHaveLength(6);
  });
});
