// The trace hook on a real meter core: every handled command is recorded once with both sides —
// wrapped as the relay carried it (CLA 84, C-MAC, encrypted data) and plain as the card saw it
// (80 C0 after unwrapping; the COLLECT answer before R-ENC) — refusals included, and no key
// material of any kind ends up in it.
import { bytesToHex, bytesToUtf8, hexToBytes, parseCommandApdu, parseResponseApdu } from '@hydra/globalplatform';
import { describe, expect, it } from 'vitest';
import { ApduTrace, type TracedExchange } from '../../src/meter/apdu-trace';
import { appletAidOf } from '../../src/meter/meter-core';
import { downlinkPort } from '../../src/meter/student-probes';
import { appletCommand, collectCommand, openScp11b, selectCommand } from '../../src/secure-element/index';
import { hydraAid } from '../../src/secure-element/registry';
import { ca, certifiedMeter, random } from './certified-meter';

const tariff = { id: 't1', kind: 'flat', unitRate: 24_500, standingCharge: 60_990 };

function run(limit?: number) {
  const trace = new ApduTrace(limit === undefined ? {} : { limit });
  const core = certifiedMeter({ onExchange: (exchange) => trace.record(exchange) });
  const port = downlinkPort(core, 'supplier', 'billing', random);
  const host = openScp11b({ port, channel: 'supplier', sdAid: hydraAid('sd', 'supplier'), trustAnchor: { id: hexToBytes(ca.id), publicKey: hexToBytes(ca.publicKey) }, random, now: Date.UTC(2025, 0, 1) });
  expect(host.send(selectCommand(appletAidOf('billing'))).sw).toBe(0x9000);
  expect(host.send(appletCommand('set-tariff', { tariff })).sw).toBe(0x9000);
  core.advanceTo('2025-02-02');
  const collect = host.send(collectCommand());
  expect(collect.sw).toBe(0x9000);
  return { core, trace, host, port, collect };
}

const ins = (hex: string | null) => (hex === null ? null : parseCommandApdu(hexToBytes(hex)).ins);

describe('the meter core trace hook', () => {
  it('records each exchange once, in order: SCP11b set-up plain on both sides, later commands wrapped and plain', () => {
    const { trace } = run();
    const entries = trace.entries();
    expect(entries.map((e) => ins(e.plain.command))).toEqual([0xa4, 0xca, 0x88, 0xa4, 0xd0, 0xc0]);
    expect(entries.map((e) => e.command.messageClass)).toEqual(['session-setup', 'session-setup', 'session-setup', 'applet-command', 'applet-command', 'collect']);
    // Set-up APDUs travel plain: what the relay carried is what the card read.
    for (const e of entries.slice(0, 3)) {
      expect(e.plain.command).toBe(e.wrapped.command);
      expect(e.plain.response).toBe(e.wrapped.response);
    }
    expect(entries.every((e) => e.response?.correlationId === e.command.messageId && e.response.direction === 'uplink')).toBe(true);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('shows COLLECT as the relay saw it (84 C0 with C-MAC, encrypted answer with R-MAC) and as the card saw it (80 C0 00 00, the JSON answer)', () => {
    const { trace, collect } = run();
    const entry = trace.entries().at(-1) as TracedExchange;
    const wrapped = parseCommandApdu(hexToBytes(entry.wrapped.command));
    expect([wrapped.cla, wrapped.ins]).toEqual([0x84, 0xc0]);
    expect(wrapped.data).toHaveLength(8); // no data, so only the C-MAC
    expect(entry.plain.command?.slice(0, 8)).toBe('80c00000');
    const plainResponse = parseResponseApdu(hexToBytes(entry.plain.response));
    expect(plainResponse.sw).toBe(0x9000);
    expect(bytesToUtf8(plainResponse.data)).toBe(bytesToUtf8(collect.data));
    expect(JSON.parse(bytesToUtf8(plainResponse.data))).toHaveProperty('items');
    const wrappedResponse = parseResponseApdu(hexToBytes(entry.wrapped.response));
    expect(wrappedResponse.sw).toBe(0x9000);
    expect(wrappedResponse.data.length).toBeGreaterThan(plainResponse.data.length); // padded, encrypted and MAC'd
    expect(bytesToHex(wrappedResponse.data)).not.toContain(bytesToHex(plainResponse.data.slice(0, 16)));
  });

  it('records refusals: a replayed wrapped command (6982, not unwrapped) and a class that does not match its APDU (6985, never reached the card)', () => {
    const { trace, core, port, host } = run();
    const last = trace.entries().at(-1) as TracedExchange;
    port.process({ channel: 'supplier', apdu: hexToBytes(last.wrapped.command) });
    const replay = trace.entries().at(-1) as TracedExchange;
    expect(replay.plain.command).toBeNull();
    expect(parseResponseApdu(hexToBytes(replay.plain.response)).sw).toBe(0x6982);
    expect(replay.wrapped.command).toBe(last.wrapped.command);

    const mismatched = host.wrap(selectCommand(appletAidOf('billing')));
    core.handleDownlink({ header: { ...last.command, messageId: bytesToHex(random(16)), messageClass: 'collect' }, sealed: mismatched });
    const refused = trace.entries().at(-1) as TracedExchange;
    expect(refused.refusal).toBe('collect must be a COLLECT APDU');
    expect(refused.plain).toEqual({ command: null, response: '6985' });
  });

  it('stays bounded on a long run', () => {
    const { trace, port } = run(4);
    for (let i = 0; i < 10; i++) port.process({ channel: 'supplier', apdu: Uint8Array.of(0x00, 0xa4, 0x04, 0x00, 0x05, 0xa0, 0, 0, 0, 1) });
    expect(trace.entries()).toHaveLength(4);
    expect(trace.lastSeq).toBe(16);
  });

  it('holds no key material: no static, private, session or device key appears anywhere in it', () => {
    const { trace, core, host } = run();
    const text = JSON.stringify(trace.entries()).toLowerCase();
    const secrets: string[] = [core.state.device.privateKey];
    for (const domain of Object.values(core.state.se.registry.domains)) secrets.push(domain.scp03.enc, domain.scp03.mac, domain.scp03.dek, domain.scp11.privateKey);
    for (const channel of Object.values(core.state.se.channels)) if (channel.session) secrets.push(channel.session.keys.sEnc, channel.session.keys.sMac, channel.session.keys.sRmac);
    secrets.push(host.session.keys.sEnc, host.session.keys.sMac, host.session.keys.sRmac);
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of secrets) expect(text).not.toContain(secret.toLowerCase());
  });
});
