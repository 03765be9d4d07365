// The meter's APDU trace buffer: bounded, numbered without reuse, hands out what is not yet saved,
// and withholds PUT KEY's key components from the plain side.
import { bytesToHex, encodeCommandApdu, encodeResponseApdu, hexToBytes, type RoutingHeader } from '@hydra/globalplatform';
import { describe, expect, it } from 'vitest';
import { ApduTrace, APDU_TRACE_LIMIT, traceExchange, type ApduExchange } from './apdu-trace';

const header: RoutingHeader = { messageId: 'm1', worldId: 'w', meterId: 'w-m0001', partyId: 'supplier', appletId: 'billing', messageClass: 'collect', direction: 'downlink' };

function exchange(n: number): ApduExchange {
  return traceExchange({
    at: n,
    command: { ...header, messageId: `m${n}` },
    response: { ...header, messageId: `r${n}`, direction: 'uplink', messageClass: 'collect-response', correlationId: `m${n}` },
    wrappedCommand: Uint8Array.of(0x84, 0xc0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8),
    wrappedResponse: Uint8Array.of(0x90, 0x00),
    plain: { command: { cla: 0x80, ins: 0xc0, p1: 0, p2: 0, data: new Uint8Array(0) }, response: { data: Uint8Array.of(0x7b, 0x7d), sw: 0x9000 } },
    refusal: null,
  });
}

describe('ApduTrace', () => {
  it(`keeps the newest ${APDU_TRACE_LIMIT} exchanges by default, numbered 1, 2, 3 … without reuse`, () => {
    const trace = new ApduTrace();
    for (let n = 1; n <= APDU_TRACE_LIMIT + 25; n++) trace.record(exchange(n));
    const kept = trace.entries();
    expect(kept).toHaveLength(APDU_TRACE_LIMIT);
    expect(kept[0]?.seq).toBe(26);
    expect(kept.at(-1)?.seq).toBe(APDU_TRACE_LIMIT + 25);
    expect(kept.at(-1)?.command.messageId).toBe(`m${APDU_TRACE_LIMIT + 25}`);
    expect(trace.lastSeq).toBe(APDU_TRACE_LIMIT + 25);
  });

  it('continues numbering after a restart and hands out only what is not yet saved', () => {
    const trace = new ApduTrace({ limit: 3, lastSeq: 40, now: () => 1234 });
    trace.record(exchange(1));
    trace.record(exchange(2));
    expect(trace.unsaved().map((e) => e.seq)).toEqual([41, 42]);
    expect(trace.unsaved()[0]?.recordedAt).toBe(1234);
    trace.markSaved(41);
    expect(trace.unsaved().map((e) => e.seq)).toEqual([42]);
    trace.record(exchange(3));
    trace.record(exchange(4));
    trace.markSaved(44);
    expect(trace.unsaved()).toEqual([]);
    expect(trace.entries().map((e) => e.seq)).toEqual([42, 43, 44]);
  });

  it('refuses a limit or a start that is not a whole number', () => {
    expect(() => new ApduTrace({ limit: 0 })).toThrow(RangeError);
    expect(() => new ApduTrace({ limit: 1.5 })).toThrow(RangeError);
    expect(() => new ApduTrace({ lastSeq: -1 })).toThrow(RangeError);
  });
});

describe('traceExchange', () => {
  it('records both sides as hex', () => {
    const e = exchange(7);
    expect(e.wrapped).toEqual({ command: '84c00000080102030405060708', response: '9000' });
    expect(e.plain).toEqual({ command: '80c00000', response: '7b7d9000' });
    expect(e.withheld).toBeNull();
  });

  it('withholds the key components of PUT KEY from the plain side, keeping its header', () => {
    const key = hexToBytes('00112233445566778899aabbccddeeff');
    const data = new Uint8Array(70);
    data[0] = 2;
    data.set(key, 4);
    const traced = traceExchange({
      at: 0,
      command: header,
      response: null,
      wrappedCommand: Uint8Array.of(0x84, 0xd8, 1, 0x81, 8, 0, 0, 0, 0, 0, 0, 0, 0),
      wrappedResponse: Uint8Array.of(0x90, 0),
      plain: { command: { cla: 0x80, ins: 0xd8, p1: 1, p2: 0x81, data }, response: { data: new Uint8Array(0), sw: 0x9000 } },
      refusal: null,
    });
    expect(traced.plain.command).toBe('80d80181');
    expect(traced.withheld).toMatch(/PUT KEY: 70 bytes of key data are not recorded/);
    expect(JSON.stringify(traced)).not.toContain(bytesToHex(key));
  });

  it('marks a command the card never read: plain command null, the answer the meter gave', () => {
    const refused = encodeResponseApdu({ data: new Uint8Array(0), sw: 0x6985 });
    const traced = traceExchange({ at: 0, command: header, response: null, wrappedCommand: encodeCommandApdu({ cla: 0x84, ins: 0xa4, p1: 4, p2: 0, data: new Uint8Array(16) }), wrappedResponse: refused, plain: null, refusal: 'collect must be a COLLECT APDU' });
    expect(traced.plain).toEqual({ command: null, response: '6985' });
    expect(traced.refusal).toBe('collect must be a COLLECT APDU');
  });
});
