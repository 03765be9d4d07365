import { describe, expect, it } from 'vitest';
import { makeWorld, probeSource, swOf } from './fixture';
import { appletCommand, hydraAid, installForInstallCommand, installForLoadCommand, appletSourceHash, selectCommand, transmit, deleteCommand, isRefusal } from '../../src/secure-element/index';

const PROBE = hydraAid('applet', 'probe');

function supplierWithProbe(source = probeSource(), privileges: ('metrology')[] = []) {
  const world = makeWorld();
  const supplier = world.open('supplier');
  world.load(supplier, 'supplier', 'probe', world.loadFile('supplier', source), source);
  expect(world.install(supplier, 'probe', 'probe', privileges).sw).toBe(0x9000);
  return { world, supplier };
}

describe('firewall: a channel reaches only its own domain (DESIGN.md "Firewall")', () => {
  it("refuses the DNO's channel selecting the supplier's applet (6982) and records the refusal", () => {
    const { world } = supplierWithProbe();
    const dno = world.open('dno');
    const registry = structuredClone(world.se.state.registry);
    expect(dno.send(selectCommand(PROBE)).sw).toBe(0x6982);
    expect(dno.send(selectCommand(world.sdAid('supplier'))).sw).toBe(0x6982);
    expect(world.se.state.registry).toEqual(registry);
    const [foreignApplet, foreignDomain] = world.se.state.events.slice(-2);
    expect(foreignApplet).toMatchObject({ kind: 'firewall.channel-foreign-applet', actor: world.sdAid('dno'), target: PROBE, at: world.clock.now });
    expect(foreignApplet?.detail).toMatch(/not reachable/);
    expect(foreignDomain).toMatchObject({ kind: 'firewall.foreign-domain', target: world.sdAid('supplier') });
    // The DNO's channel still works for its own domain afterwards.
    expect(dno.send(selectCommand(world.sdAid('dno'))).sw).toBe(0x9000);
  });

  it('refuses selecting an applet outside any secure channel and records it', () => {
    const { world } = supplierWithProbe();
    expect(swOf(transmit(world.se, 'plain', selectCommand(PROBE)))).toBe(0x6982);
    expect(world.se.state.events.at(-1)).toMatchObject({ kind: 'firewall.unsecured-select', actor: 'plain', target: PROBE });
  });

  it("refuses a party loading into, installing from or deleting another party's domain", () => {
    const { world } = supplierWithProbe();
    const dno = world.open('dno');
    const source = probeSource({ owner: 'dno', id: 'dno-probe' });
    expect(dno.send(installForLoadCommand({ elfAid: hydraAid('elf', 'x'), sdAid: world.sdAid('supplier'), hash: appletSourceHash(source) })).sw).toBe(0x6982);
    expect(dno.send(installForInstallCommand({ elfAid: hydraAid('elf', 'probe'), appletAid: hydraAid('applet', 'stolen') })).sw).toBe(0x6982);
    expect(dno.send(deleteCommand(PROBE)).sw).toBe(0x6982);
    expect(world.se.state.registry.applets[PROBE]).toBeDefined();
    expect(world.se.state.events.slice(-3).map((event) => event.kind)).toEqual(['firewall.foreign-domain', 'firewall.foreign-domain', 'firewall.foreign-domain']);
  });

  it("refuses an applet whose manifest names another owner (6985, firewall.owner-mismatch)", () => {
    const world = makeWorld();
    const supplier = world.open('supplier');
    const source = probeSource({ owner: 'telecare' });
    const responses = world.load(supplier, 'supplier', 'probe', world.loadFile('supplier', source), source);
    expect(responses.at(-1)?.sw).toBe(0x6985);
    expect(world.se.state.registry.loadFiles).toEqual({});
    expect(world.se.state.events.at(-1)).toMatchObject({ kind: 'firewall.owner-mismatch' });
  });
});

describe('firewall: capabilities and the privacy contract', () => {
  it('refuses an outbox message class the manifest does not declare: 6F00, no storage change, event recorded', () => {
    const { world, supplier } = supplierWithProbe();
    supplier.send(selectCommand(PROBE));
    expect(supplier.send(appletCommand('emit-forbidden')).sw).toBe(0x6f00);
    const applet = world.se.state.registry.applets[PROBE]!;
    expect(applet.storage).toEqual({});
    expect(applet.outbox).toEqual([]);
    expect(world.se.state.events.slice(-2).map((event) => event.kind)).toEqual(['firewall.send-refused', 'applet.fault']);
    expect(world.se.state.events.at(-2)).toMatchObject({ actor: PROBE, target: 'raw-reads' });
  });

  it('withholds metrology from an applet that declares it without the privilege (event at install), and feeds the privileged one', () => {
    const withoutPrivilege = supplierWithProbe(probeSource({ capabilities: ['metrology', 'storage', 'outbox'] }));
    expect(withoutPrivilege.world.se.state.events.find((event) => event.kind === 'firewall.capability-refused')).toMatchObject({ actor: PROBE, target: 'metrology' });
    const day = { date: '2025-01-01', startUtc: Date.UTC(2025, 0, 1), halfHours: 48, weekday: 3, importWh: Array(48).fill(100), exportWh: Array(48).fill(0) };
    withoutPrivilege.world.se.feedMetrology(day);
    expect(withoutPrivilege.world.se.state.registry.applets[PROBE]?.storage).toEqual({});

    const privileged = supplierWithProbe(probeSource({ capabilities: ['metrology', 'storage', 'outbox'] }), ['metrology']);
    privileged.world.se.feedMetrology(day);
    expect(privileged.world.se.state.registry.applets[PROBE]?.storage).toEqual({ days: 1, lastImport: 4800 });
  });

  it("gives each applet its own copy of the feed: one that changes its arrays changes nothing for the next, nor the card's input", () => {
    const world = makeWorld();
    const supplier = world.open('supplier');
    const manifest = (id: string) => JSON.stringify({ id, version: '1.0.0', owner: 'supplier', capabilities: ['metrology', 'storage'], sends: [], description: 'feed probe' });
    const vandal = `export const manifest = ${manifest('vandal')};
export default function create(caps) { return { onMetrology(day) {
  day.importWh.fill(999999); day.exportWh.push(5);
  let replaced = true; try { day.importWh = []; } catch { replaced = false; }
  caps.storage.set('seen', { first: day.importWh[0], replaced, frozen: Object.isFrozen(day) });
} }; }`;
    const witness = `export const manifest = ${manifest('witness')};
export default function create(caps) { return { onMetrology(day) { caps.storage.set('seen', { sum: day.importWh.reduce((a, b) => a + b, 0), exports: day.exportWh.length }); } }; }`;
    for (const [name, source] of [['vandal', vandal], ['witness', witness]] as const) {
      world.load(supplier, 'supplier', name, world.loadFile('supplier', source), source);
      expect(world.install(supplier, name, name, ['metrology']).sw).toBe(0x9000);
    }
    const day = { date: '2025-01-01', startUtc: Date.UTC(2025, 0, 1), halfHours: 48, weekday: 3, importWh: Array(48).fill(100), exportWh: Array(48).fill(0) };
    world.se.feedMetrology(day);
    const seen = (name: string) => world.se.state.registry.applets[hydraAid('applet', name)]?.storage.seen;
    expect(seen('vandal')).toEqual({ first: 999999, replaced: false, frozen: true });
    expect(seen('witness')).toEqual({ sum: 4800, exports: 48 });
    expect(day.importWh.every((wh) => wh === 100) && day.exportWh.length === 48).toBe(true);
  });

  it('brokers a shareable interface only for the applet ids its owner granted', () => {
    const world = makeWorld();
    const supplier = world.open('supplier');
    const owner = probeSource({ id: 'owner', shareable: { ping: ['friend'] } });
    const friend = probeSource({ id: 'friend' });
    const stranger = probeSource({ id: 'stranger' });
    for (const [name, source] of [['owner', owner], ['friend', friend], ['stranger', stranger]] as const) {
      world.load(supplier, 'supplier', name, world.loadFile('supplier', source), source);
      expect(world.install(supplier, name, name).sw).toBe(0x9000);
    }
    const ok = world.se.invokeShareable({ from: hydraAid('applet', 'friend'), to: hydraAid('applet', 'owner'), name: 'ping', body: { from: 'friend' } });
    expect(ok).toEqual({ status: 0x9000, body: { pong: 'friend' } });
    const refused = world.se.invokeShareable({ from: hydraAid('applet', 'stranger'), to: hydraAid('applet', 'owner'), name: 'ping', body: {} });
    expect(refused.status).toBe(0x6982);
    const otherInterface = world.se.invokeShareable({ from: hydraAid('applet', 'friend'), to: hydraAid('applet', 'owner'), name: 'put', body: { key: 'k', value: 1 } });
    expect(otherInterface.status).toBe(0x6982);
    expect(world.se.state.registry.applets[hydraAid('applet', 'owner')]?.storage).toEqual({});
    const refusals = world.se.state.events.filter((event) => event.kind === 'firewall.shareable-refused');
    expect(refusals.map((event) => event.actor)).toEqual([hydraAid('applet', 'stranger'), hydraAid('applet', 'friend')]);
    expect(refusals.every(isRefusal)).toBe(true);
  });

  it('keeps the event log bounded', () => {
    const world = makeWorld();
    for (let i = 0; i < 300; i++) transmit(world.se, 'x', selectCommand(hydraAid('applet', 'none')));
    const { world: w2 } = supplierWithProbe();
    for (let i = 0; i < 300; i++) transmit(w2.se, 'x', selectCommand(PROBE));
    expect(w2.se.state.events.length).toBe(128);
    expect(world.se.state.events.length).toBe(0);
  });
});

describe('runtime: crypto and load-control only as the manifest declares them', () => {
  const capsProbe = (capabilities: string[]) => `export const manifest = ${JSON.stringify({ id: 'caps', version: '1.0.0', owner: 'dno', capabilities, sends: [], description: 'test' })};
export default function create(caps) {
  return {
    process(command) {
      if (command.name === 'caps') return { status: 0x9000, body: { names: Object.keys(caps).sort(), frozen: Object.isFrozen(caps) && (caps.crypto ? Object.isFrozen(caps.crypto) : true) } };
      if (command.name === 'keys') {
        const a = caps.crypto.generateKeyPair();
        const b = caps.crypto.generateKeyPair();
        const z1 = caps.crypto.ecdh(a.privateKey, b.publicKey);
        const z2 = caps.crypto.ecdh(b.privateKey, a.publicKey);
        return { status: 0x9000, body: { a: a.publicKey, b: b.publicKey, agree: z1 === z2 && z1.length === 64 } };
      }
      if (command.name === 'tamper') { try { caps.crypto.verify = () => true; } catch { return { status: 0x9000, body: { tampered: false } }; } return { status: 0x9000, body: { tampered: true } }; }
      if (command.name === 'switch') { caps.loadControl.schedule({ commandId: 'x', device: 'ev', fromUtc: 1, toUtc: 2, limitKw: 0 }); return { status: 0x9000, body: {} }; }
      return { status: 0x6d00, body: {} };
    },
  };
}
`;

  function install(capabilities: string[]) {
    const world = makeWorld();
    const dno = world.open('dno');
    const source = capsProbe(capabilities);
    world.load(dno, 'dno', 'caps', world.loadFile('dno', source), source);
    expect(world.install(dno, 'caps', 'caps').sw).toBe(0x9000);
    expect(dno.send(selectCommand(hydraAid('applet', 'caps'))).sw).toBe(0x9000);
    const call = (name: string) => {
      const response = dno.send(appletCommand(name));
      return { sw: response.sw, body: (response.data.length ? JSON.parse(new TextDecoder().decode(response.data)) : {}) as Record<string, unknown> };
    };
    return { world, call };
  }

  it('an applet that declares neither gets neither', () => {
    const { call } = install(['storage']);
    expect(call('caps').body).toEqual({ names: ['storage'], frozen: true });
    expect(call('keys').sw).toBe(0x6f00);
    expect(call('switch').sw).toBe(0x6f00);
  });

  it('crypto: hardened functions; key pairs from the card random source; ECDH agrees', () => {
    const { call } = install(['storage', 'crypto']);
    expect(call('caps').body).toEqual({ names: ['crypto', 'storage'], frozen: true });
    const keys = call('keys').body;
    expect(keys.agree).toBe(true);
    expect(keys.a).toMatch(/^0[23][0-9a-f]{64}$/);
    expect(keys.a).not.toBe(keys.b);
    expect(call('tamper').body).toEqual({ tampered: false });
  });

  it('load-control: the windows it schedules land in the applet record', () => {
    const { world, call } = install(['load-control']);
    expect(call('caps').body.names).toEqual(['loadControl']);
    expect(call('switch').sw).toBe(0x9000);
    expect(world.se.state.registry.applets[hydraAid('applet', 'caps')]?.controls).toEqual([{ commandId: 'x', device: 'ev', fromUtc: 1, toUtc: 2, limitKw: 0 }]);
  });
});

describe('firewall: each part of the metrology feed needs its own privilege', () => {
  const feedProbe = `export const manifest = ${JSON.stringify({ id: 'feed', version: '1.0.0', owner: 'dno', capabilities: ['metrology', 'storage'], sends: [], description: 'test' })};
export default function create(caps) {
  return { onMetrology(day) { caps.storage.set('seen', { keys: Object.keys(day).sort(), registers: day.importWh.length }); } };
}
`;
  const domain = ['security-domain', 'dap-verification', 'authorized-management', 'metrology', 'voltage'] as const;
  const day = {
    date: '2025-01-01',
    startUtc: Date.UTC(2025, 0, 1),
    halfHours: 48,
    weekday: 3,
    importWh: Array(48).fill(100),
    exportWh: Array(48).fill(0),
    voltage: { minV: Array(48).fill(229), maxV: Array(48).fill(231), meanV: Array(48).fill(230) },
    voltageExcursions: [{ startUtc: Date.UTC(2025, 0, 1, 3), durationSeconds: 4, extremeV: 200 }],
    activity: [{ minute: 420, durationMinutes: 3, watts: 3000 }],
  };

  for (const [privileges, keys, registers] of [
    [['metrology'], ['date', 'exportWh', 'halfHours', 'importWh', 'startUtc', 'weekday'], 48],
    [['voltage'], ['date', 'exportWh', 'halfHours', 'importWh', 'startUtc', 'voltage', 'voltageExcursions', 'weekday'], 0],
    [['metrology', 'voltage'], ['date', 'exportWh', 'halfHours', 'importWh', 'startUtc', 'voltage', 'voltageExcursions', 'weekday'], 48],
  ] as const) {
    it(`an applet holding ${privileges.join(' + ')} sees ${keys.filter((k) => !['date', 'startUtc', 'halfHours', 'weekday'].includes(k)).join(', ')}${registers ? '' : ' (registers empty)'}`, () => {
      const world = makeWorld({ privileges: { dno: [...domain] } });
      const dno = world.open('dno');
      world.load(dno, 'dno', 'feed', world.loadFile('dno', feedProbe), feedProbe);
      expect(world.install(dno, 'feed', 'feed', [...privileges]).sw).toBe(0x9000);
      world.se.feedMetrology(day);
      expect(world.se.state.registry.applets[hydraAid('applet', 'feed')]?.storage.seen).toEqual({ keys: [...keys], registers });
    });
  }

  it('a domain cannot grant a part of the feed it does not hold (the DNO and occupant activity): 6982, recorded', () => {
    const world = makeWorld({ privileges: { dno: [...domain] } });
    const dno = world.open('dno');
    world.load(dno, 'dno', 'feed', world.loadFile('dno', feedProbe), feedProbe);
    expect(world.install(dno, 'feed', 'feed', ['activity']).sw).toBe(0x6982);
    expect(world.se.state.registry.applets[hydraAid('applet', 'feed')]).toBeUndefined();
    expect(world.se.state.events.at(-1)).toMatchObject({ kind: 'firewall.capability-refused', target: 'activity' });
  });
});
