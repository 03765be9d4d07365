// Student probes run on a copy of a real meter's state: each is refused by the real meter core and
// secure element with the right status word and record, the registry stays as it was, and the
// meter's own state is never touched.
import { hexToBytes } from '@hydra/globalplatform';
import { describe, expect, it } from 'vitest';
import { ApduTrace } from '../../src/meter/apdu-trace';
import { appletAidOf, type MeterCore } from '../../src/meter/meter-core';
import { downlinkPort, runProbe, type ProbeKind } from '../../src/meter/student-probes';
import { collectCommand, openScp11b, selectCommand } from '../../src/secure-element/index';
import { hydraAid } from '../../src/secure-element/registry';
import { billingSignature, ca, certifiedMeter, random } from './certified-meter';

/** A certified meter whose supplier channel is open, with its trace. */
function liveMeter(): { core: MeterCore; trace: ApduTrace } {
  const trace = new ApduTrace();
  const core = certifiedMeter({ onExchange: (exchange) => trace.record(exchange) });
  const host = openScp11b({ port: downlinkPort(core, 'supplier', 'billing', random), channel: 'supplier', sdAid: hydraAid('sd', 'supplier'), trustAnchor: { id: hexToBytes(ca.id), publicKey: hexToBytes(ca.publicKey) }, random, now: Date.UTC(2025, 0, 1) });
  host.send(selectCommand(appletAidOf('billing')));
  host.send(collectCommand());
  return { core, trace };
}

function probe(kind: ProbeKind, meter = liveMeter()) {
  const before = JSON.stringify(meter.core.state);
  const result = runProbe(kind, { state: meter.core.state, random, trace: meter.trace.entries(), signatures: { billing: billingSignature } });
  expect(JSON.stringify(meter.core.state), 'the live meter state is untouched').toBe(before);
  return result;
}

describe('student probes', () => {
  it('another party’s channel SELECTs billing: 6982 and a firewall event naming its domain and the applet', () => {
    const result = probe('foreign-select');
    expect(result.problem).toBeNull();
    expect(result.steps.map((s) => s.sw)).toEqual([0x9000, 0x9000, 0x9000, 0x6982]);
    expect(result.sw).toBe(0x6982);
    expect(result.refused).toBe(true);
    expect(result.summary).toMatch(/^The dno opens SCP11b/);
    const refusal = result.events.find((e) => e.kind === 'firewall.channel-foreign-applet');
    expect(refusal).toMatchObject({ actor: hydraAid('sd', 'dno'), target: appletAidOf('billing') });
    expect(result.events.some((e) => e.kind === 'channel.opened')).toBe(true);
    expect(result.registryUnchanged).toBe(true);
  });

  it('an unsigned package: INSTALL [for load] accepted, the last LOAD refused 6982 with a DAP event; no load file added', () => {
    const result = probe('unsigned-load');
    expect(result.problem).toBeNull();
    expect(result.sw).toBe(0x6982);
    expect(result.steps.at(-1)?.label).toMatch(/LOAD block \d+ \(last\)/);
    expect(result.steps.slice(0, -1).every((s) => s.sw === 0x9000)).toBe(true);
    expect(result.events.map((e) => e.kind)).toContain('dap.refused');
    expect(result.events.find((e) => e.kind === 'dap.refused')?.detail).toMatch(/no DAP signature/);
    expect(result.registryUnchanged).toBe(true);
  });

  it('a tampered package with the published signature: refused 6982, the signature does not verify; billing keeps its version', () => {
    const result = probe('tampered-load');
    expect(result.problem).toBeNull();
    expect(result.sw).toBe(0x6982);
    expect(result.events.find((e) => e.kind === 'dap.refused')?.detail).toMatch(/does not verify/);
    expect(result.registryUnchanged).toBe(true);
  });

  it('replaying the last wrapped command: ignored under its own id, 6982 under a new one, recorded by the meter core', () => {
    const result = probe('replay');
    expect(result.problem).toBeNull();
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]).toMatchObject({ sw: 0, response: '' });
    expect(result.steps[1]?.sw).toBe(0x6982);
    expect(result.sw).toBe(0x6982);
    expect(result.refusals).toEqual([expect.objectContaining({ partyId: 'supplier', reason: 'command: failed secure messaging (6982)' })]);
    expect(result.events).toEqual([]);
    expect(result.registryUnchanged).toBe(true);
  });

  it('says why instead of throwing when a probe cannot run: no certificate yet, no trace yet, no signature', () => {
    const uncertified = { core: certifiedMeter({ certified: false }), trace: new ApduTrace() };
    expect(probe('foreign-select', uncertified).problem).toMatch(/no certificate yet/);
    expect(probe('replay', uncertified).problem).toMatch(/no wrapped command/);
    const meter = liveMeter();
    const unsigned = runProbe('tampered-load', { state: meter.core.state, random });
    expect(unsigned.problem).toMatch(/no published signature/);
    expect(unsigned.sw).toBeNull();
    expect(unsigned.refused).toBe(false);
  });
});
