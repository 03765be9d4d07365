import { describe, expect, it } from 'vitest';
import { bytesToHex, encodeTlv, hexToBytes, parseResponseApdu, scp03HostInitializeUpdate, ScpAuthenticationError } from '@hydra/globalplatform';
import { BILLING_SOURCE, makeWorld, probeSource, swOf, type World } from './fixture';
import {
  appletCommand,
  collectCommand,
  deleteCommand,
  getStatusCommand,
  hydraAid,
  installForInstallCommand,
  installForLoadCommand,
  installForPersonalizationCommand,
  ISSUER_AID,
  keyCheckValue,
  loadCommands,
  openScp03,
  parseAppletResponse,
  parseCollectResponse,
  parseGetStatusResponse,
  putKeyCommand,
  selectCommand,
  storeDataCommands,
  transmit,
  type HostChannel,
} from '../../src/secure-element/index';

const PROBE = hydraAid('applet', 'probe');
const PROBE_ELF = hydraAid('elf', 'probe');

function withProbe(): { world: World; host: HostChannel } {
  const world = makeWorld();
  const host = world.open('supplier');
  const source = probeSource();
  world.load(host, 'supplier', 'probe', world.loadFile('supplier', source), source);
  expect(world.install(host, 'probe', 'probe').sw).toBe(0x9000);
  return { world, host };
}

describe('GP §11.5/§11.6 INSTALL and LOAD', () => {
  it('answers INSTALL [for load] with 00 9000, each LOAD block with 9000, and registers the load file and instance', () => {
    const world = makeWorld();
    const host = world.open('supplier');
    const source = probeSource();
    const bytes = world.loadFile('supplier', source);
    const install = host.send(installForLoadCommand({ elfAid: PROBE_ELF, hash: bytesToHex(new Uint8Array(32)) }));
    expect(install).toEqual({ data: Uint8Array.of(0), sw: 0x9000 });
    // Same INSTALL again with the real hash replaces the pending load.
    const commands = loadCommands(bytes, 100);
    expect(commands.length).toBeGreaterThan(3);
    expect(commands.at(-1)?.p1).toBe(0x80);
    world.load(host, 'supplier', 'probe', bytes, source);
    expect(world.se.state.registry.loadFiles[PROBE_ELF]?.manifest).toMatchObject({ id: 'probe', version: '1.0.0', owner: 'supplier' });
    expect(world.install(host, 'probe', 'probe')).toEqual({ data: Uint8Array.of(0), sw: 0x9000 });
    expect(world.se.state.registry.applets[PROBE]).toMatchObject({ appletId: 'probe', lifecycle: 'SELECTABLE', sdAid: world.sdAid('supplier'), elfAid: PROBE_ELF });
  });

  it('refuses a LOAD block out of sequence (6A86), a LOAD without INSTALL [for load] (6985) and malformed INSTALL data (6A80)', () => {
    const world = makeWorld();
    const host = world.open('supplier');
    const source = probeSource();
    const commands = loadCommands(world.loadFile('supplier', source), 100);
    expect(host.send(commands[0]!).sw).toBe(0x6985);
    host.send(installForLoadCommand({ elfAid: PROBE_ELF, hash: bytesToHex(new Uint8Array(32)) }));
    expect(host.send(commands[1]!).sw).toBe(0x6a86);
    const bad = installForLoadCommand({ elfAid: PROBE_ELF, hash: 'aa' });
    expect(host.send(bad).sw).toBe(0x6a80);
    expect(host.send({ ...bad, data: bad.data.slice(0, 4) }).sw).toBe(0x6a80);
    expect(host.send({ ...bad, p1: 0x03 }).sw).toBe(0x6a86);
    expect(world.se.state.registry.loadFiles).toEqual({});
  });

  it('loads the published billing applet file unchanged (its bytes are the signed bytes) and installs it with the metrology privilege', () => {
    const world = makeWorld();
    const host = world.open('supplier');
    world.load(host, 'supplier', 'billing', world.loadFile('supplier', BILLING_SOURCE), BILLING_SOURCE);
    const installed = host.send(installForInstallCommand({ elfAid: hydraAid('elf', 'billing'), appletAid: hydraAid('applet', 'billing'), privileges: ['metrology'] }));
    expect(installed.sw).toBe(0x9000);
    expect(world.se.state.registry.applets[hydraAid('applet', 'billing')]).toMatchObject({ appletId: 'billing', privileges: ['metrology'] });
    expect(world.se.state.registry.loadFiles[hydraAid('elf', 'billing')]?.source).toBe(BILLING_SOURCE);
  });
});

describe('applet commands (80 C0 COLLECT, 80 D0) through the domain channel', () => {
  it('dispatches to the applet, carries its status word and drains the outbox once', () => {
    const { host } = withProbe();
    expect(host.send(selectCommand(PROBE)).sw).toBe(0x9000);
    expect(host.send(appletCommand('refuse')).sw).toBe(0x6985);
    expect(host.send(appletCommand('nope')).sw).toBe(0x6d00);
    host.send(appletCommand('emit', { n: 1 }));
    host.send(appletCommand('emit', { n: 2 }));
    const first = host.send(collectCommand());
    expect(first.sw).toBe(0x9000);
    expect(parseCollectResponse(first.data).map((item) => item.body.n)).toEqual([1, 2]);
    expect(parseCollectResponse(host.send(collectCommand()).data)).toEqual([]);
    expect(host.send({ ...collectCommand(), p1: 1 }).sw).toBe(0x6a86);
    expect(host.send({ ...appletCommand('x'), data: Uint8Array.of(0x7b) }).sw).toBe(0x6a80);
  });

  it('hands the applet the world clock, not the host clock', () => {
    const { world, host } = withProbe();
    world.clock.now = Date.UTC(2030, 5, 1);
    host.send(selectCommand(PROBE));
    expect(parseAppletResponse(host.send(appletCommand('now')).data)).toEqual({ now: Date.UTC(2030, 5, 1) });
  });

  it('rolls back an applet that throws (6F00): its storage writes are not kept', () => {
    const { world, host } = withProbe();
    host.send(selectCommand(PROBE));
    expect(host.send(appletCommand('throw')).sw).toBe(0x6f00);
    expect(world.se.state.registry.applets[PROBE]?.storage).toEqual({});
    expect(world.se.state.events.at(-1)).toMatchObject({ kind: 'applet.fault', actor: PROBE });
  });
});

describe('GP §11.2 DELETE', () => {
  it('refuses to delete a load file while an instance depends on it (6985, with the reason), then deletes with related objects', () => {
    const { world, host } = withProbe();
    const before = structuredClone(world.se.state.registry);
    const refused = host.send(deleteCommand(PROBE_ELF));
    expect(refused.sw).toBe(0x6985);
    expect(world.se.state.registry).toEqual(before);
    expect(host.send(deleteCommand(PROBE_ELF, { related: true }))).toEqual({ data: Uint8Array.of(0), sw: 0x9000 });
    expect(world.se.state.registry.loadFiles[PROBE_ELF]).toBeUndefined();
    expect(world.se.state.registry.applets[PROBE]).toBeUndefined();
  });

  it('deletes an instance alone, then the load file; unknown AID is 6A88; a malformed body is 6A80', () => {
    const { world, host } = withProbe();
    expect(host.send(deleteCommand(PROBE)).sw).toBe(0x9000);
    expect(host.send(deleteCommand(PROBE_ELF)).sw).toBe(0x9000);
    expect(world.se.state.registry.loadFiles).toEqual({});
    expect(host.send(deleteCommand(PROBE_ELF)).sw).toBe(0x6a88);
    expect(host.send({ ...deleteCommand(PROBE_ELF), data: Uint8Array.of(0x4f, 0x05, 1) }).sw).toBe(0x6a80);
    expect(host.send({ ...deleteCommand(PROBE_ELF), p2: 0x01 }).sw).toBe(0x6a86);
  });

  it('gives the reason for the dependency refusal in the thrown error message', async () => {
    const { SeError } = await import('../../src/secure-element/index');
    const { handleDelete } = await import('../../src/secure-element/card-manager');
    const { world } = withProbe();
    const draft = structuredClone(world.se.state);
    const channel = { ...Object.values(draft.channels)[0]! };
    const ctx = { draft, channelId: 'x', channel, instances: world.se.env.instances, random: () => new Uint8Array(0), at: 0, events: [], forget: [] };
    expect(() => handleDelete(ctx, deleteCommand(PROBE_ELF))).toThrow(SeError);
    expect(() => handleDelete(ctx, deleteCommand(PROBE_ELF))).toThrow(/still has instance\(s\) .*P2=80/);
  });
});

describe('GP §11.2 DELETE of a supplementary security domain (consent revoked)', () => {
  it('lets only the issuer delete a party domain; with related objects its applets, storage and keys go and its channels close', () => {
    const world = makeWorld();
    const telecare = world.open('telecare', 'telecare');
    const telecareKey = world.se.state.registry.domains[world.sdAid('telecare')]!.scp11.privateKey;
    const source = probeSource({ owner: 'telecare', id: 'telecare-probe' });
    world.load(telecare, 'telecare', 'tprobe', world.loadFile('telecare', source), source);
    expect(world.install(telecare, 'tprobe', 'tprobe').sw).toBe(0x9000);
    expect(world.open('dno').send(deleteCommand(world.sdAid('telecare'), { related: true })).sw).toBe(0x6982);
    const issuer = world.openIssuer();
    expect(issuer.send(deleteCommand(world.sdAid('telecare'))).sw).toBe(0x6985);
    expect(issuer.send(deleteCommand(ISSUER_AID)).sw).toBe(0x6985);
    expect(issuer.send(deleteCommand(world.sdAid('telecare'), { related: true })).sw).toBe(0x9000);
    const { registry, channels } = world.se.state;
    expect(registry.domains[world.sdAid('telecare')]).toBeUndefined();
    expect(registry.applets[hydraAid('applet', 'tprobe')]).toBeUndefined();
    expect(registry.loadFiles[hydraAid('elf', 'tprobe')]).toBeUndefined();
    expect(channels.telecare?.session).toBeNull();
    expect(JSON.stringify(world.se.state)).not.toContain(telecareKey);
  });
});

describe('GP §11.4 GET STATUS', () => {
  it('lists applications with E3 { 4F, 9F70, C5, C4, CC } and load files with CE and 84', () => {
    const { world, host } = withProbe();
    const apps = host.send(getStatusCommand(0x40));
    expect(apps.sw).toBe(0x9000);
    expect(apps.data[0]).toBe(0xe3);
    const entries = parseGetStatusResponse(apps.data);
    expect(entries).toContainEqual({ aid: PROBE, lifecycle: 0x07, privileges: [], elfAid: PROBE_ELF, sdAid: world.sdAid('supplier') });
    expect(entries).toContainEqual(expect.objectContaining({ aid: world.sdAid('supplier'), lifecycle: 0x0f, sdAid: ISSUER_AID }));
    const files = parseGetStatusResponse(host.send(getStatusCommand(0x10)).data);
    expect(files).toEqual([{ aid: PROBE_ELF, lifecycle: 0x01, sdAid: world.sdAid('supplier'), version: '1.0', moduleAid: PROBE_ELF }]);
  });

  it('shows a party only its own domain and content; P1 80 (ISD) is 6A88 for it; wrong P1/P2 are 6A86', () => {
    const { world } = withProbe();
    const dno = world.open('dno');
    const seen = parseGetStatusResponse(dno.send(getStatusCommand(0x40)).data).map((entry) => entry.aid);
    expect(seen).toEqual([world.sdAid('dno')]);
    expect(dno.send(getStatusCommand(0x20)).sw).toBe(0x6a88);
    expect(dno.send(getStatusCommand(0x80)).sw).toBe(0x6a88);
    expect(dno.send({ ...getStatusCommand(0x40), p1: 0x41 }).sw).toBe(0x6a86);
    expect(dno.send({ ...getStatusCommand(0x40), p2: 0x00 }).sw).toBe(0x6a86);
    expect(dno.send({ ...getStatusCommand(0x40), data: encodeTlv(0x5c, Uint8Array.of(0x4f)) }).sw).toBe(0x6a80);
  });
});

describe('GP §11.8 PUT KEY (key rotation)', () => {
  it('replaces the SCP03 key set: the new keys open a channel, the old ones no longer do', () => {
    const world = makeWorld();
    const host = world.open('supplier');
    const domain = world.se.state.registry.domains[world.sdAid('supplier')]!;
    const oldKeys = { enc: hexToBytes(domain.scp03.enc), mac: hexToBytes(domain.scp03.mac), dek: hexToBytes(domain.scp03.dek) };
    // The old keys work before rotation.
    openScp03({ port: world.se, channel: 'scp03-before', sdAid: world.sdAid('supplier'), keys: oldKeys, random: () => new Uint8Array(8).fill(1) });
    const newKeys = { enc: new Uint8Array(16).fill(0x11), mac: new Uint8Array(16).fill(0x22), dek: new Uint8Array(16).fill(0x33) };
    const command = putKeyCommand({ currentVersion: 1, newVersion: 2, keys: newKeys, dek: hexToBytes(host.session.keys.sDek ?? '') });
    // The key components travel encrypted under the DEK, never in plain (GP Amendment D §7.2).
    expect(bytesToHex(command.data)).not.toContain(bytesToHex(newKeys.enc));
    const response = host.send(command);
    expect(response.sw).toBe(0x9000);
    expect(bytesToHex(response.data)).toBe('02' + bytesToHex(keyCheckValue(newKeys.enc)) + bytesToHex(keyCheckValue(newKeys.mac)) + bytesToHex(keyCheckValue(newKeys.dek)));
    expect(world.se.state.registry.domains[world.sdAid('supplier')]?.scp03.keyVersion).toBe(2);
    // Old key version named explicitly: 6A88. Old keys with "current" (00): the card's cryptogram does not verify.
    transmit(world.se, 'old', selectCommand(world.sdAid('supplier')));
    expect(swOf(transmit(world.se, 'old', scp03HostInitializeUpdate({ keys: oldKeys, keyVersion: 1, securityLevel: 0x33, random: () => new Uint8Array(8) }).output))).toBe(0x6a88);
    expect(() => openScp03({ port: world.se, channel: 'old2', sdAid: world.sdAid('supplier'), keys: oldKeys, random: () => new Uint8Array(8).fill(2) })).toThrow(ScpAuthenticationError);
    const fresh = openScp03({ port: world.se, channel: 'new', sdAid: world.sdAid('supplier'), keys: newKeys, keyVersion: 2, random: () => new Uint8Array(8).fill(3) });
    expect(fresh.send(getStatusCommand(0x40)).sw).toBe(0x9000);
  });

  it('refuses a wrong current version (6A88), keys under another DEK or a bad check value (6A80) and a short body (6700) without changing keys', () => {
    const world = makeWorld();
    const host = world.open('supplier');
    const keys = { enc: new Uint8Array(16).fill(1), mac: new Uint8Array(16).fill(2), dek: new Uint8Array(16).fill(3) };
    const dek = hexToBytes(host.session.keys.sDek ?? '');
    const before = structuredClone(world.se.state.registry);
    expect(host.send(putKeyCommand({ currentVersion: 5, newVersion: 2, keys, dek })).sw).toBe(0x6a88);
    // Encrypted under another DEK: the check values do not match.
    expect(host.send(putKeyCommand({ currentVersion: 1, newVersion: 2, keys, dek: new Uint8Array(16).fill(9) })).sw).toBe(0x6a80);
    const command = putKeyCommand({ currentVersion: 1, newVersion: 2, keys, dek });
    const corrupted = command.data.slice();
    corrupted[21] = (corrupted[21] ?? 0) ^ 1;
    expect(host.send({ ...command, data: corrupted }).sw).toBe(0x6a80);
    expect(host.send({ ...command, data: command.data.slice(0, 30) }).sw).toBe(0x6700);
    expect(world.se.state.registry).toEqual(before);
  });
});

describe('GP §11.11 STORE DATA', () => {
  it('personalises an applet after INSTALL [for personalization], across several blocks', () => {
    const { world, host } = withProbe();
    expect(host.send(installForPersonalizationCommand(PROBE))).toEqual({ data: Uint8Array.of(0), sw: 0x9000 });
    const commands = storeDataCommands({ tariff: { id: 't1', unitRate: 24_500, note: 'x'.repeat(300) } }, 100);
    expect(commands.length).toBeGreaterThan(2);
    for (const command of commands) expect(host.send(command).sw).toBe(0x9000);
    expect(world.se.state.registry.applets[PROBE]?.storage.tariff).toMatchObject({ id: 't1', unitRate: 24_500 });
    host.send(selectCommand(PROBE));
    expect(parseAppletResponse(host.send(appletCommand('get', { key: 'tariff' })).data).value).toMatchObject({ id: 't1' });
  });

  it('writes to the domain itself without a personalisation target; refuses bad JSON (6A80) and block gaps (6A86)', () => {
    const world = makeWorld();
    const host = world.open('dno');
    expect(host.send(storeDataCommands({ feeder: 'F-17' })[0]!).sw).toBe(0x9000);
    expect(world.se.state.registry.domains[world.sdAid('dno')]?.data).toEqual({ feeder: 'F-17' });
    expect(host.send({ cla: 0x80, ins: 0xe2, p1: 0x80, p2: 0, data: Uint8Array.of(0x5b, 0x31, 0x5d) }).sw).toBe(0x6a80);
    expect(host.send({ cla: 0x80, ins: 0xe2, p1: 0x80, p2: 3, data: Uint8Array.of(0x7b, 0x7d) }).sw).toBe(0x6a86);
  });
});

describe('ISO 7816-4 status words for malformed commands', () => {
  it('answers 6700, 6E00, 6D00 and 6982 (management outside a secure channel) and changes nothing', () => {
    const world = makeWorld();
    const before = structuredClone(world.se.state);
    const send = (hex: string) => swOf(transmit(world.se, 'raw', hexToBytes(hex)));
    expect(send('80e6')).toBe(0x6700);
    expect(send('00a4040005a0000001')).toBe(0x6700);
    expect(send('40a4040000')).toBe(0x6e00);
    expect(send('0012000000')).toBe(0x6d00);
    expect(send('80e60200')).toBe(0x6982);
    expect(send('00a4040003a00000')).toBe(0x6a80);
    expect(send('00a4040005f0f0f0f0f0')).toBe(0x6a82);
    expect(send('00a4000005a000000151')).toBe(0x6a86);
    expect(send('84e6020000')).toBe(0x6982);
    expect(world.se.state).toEqual(before);
    expect(parseResponseApdu(transmit(world.se, 'raw', selectCommand(ISSUER_AID))).sw).toBe(0x9000);
  });
});
